from django.urls import reverse
from django.utils.translation import gettext as _

from encuentros.encounters.hooks import encounter_link

from .models import DataRequest


@encounter_link
def data_demand(encounter):
    links = [(_("Request data for this encounter"),
              reverse("opendata:request_create") + f"?encounter={encounter.number}")]
    if DataRequest.objects.filter(encounter=encounter).exists():
        links.append((_("Matchmaking: data requests and agencies"),
                      reverse("opendata:matchmaking", args=[encounter.number])))
    return links
