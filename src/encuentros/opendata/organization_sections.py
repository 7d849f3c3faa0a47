from django.urls import reverse
from django.utils.translation import gettext as _

from encuentros.ecosystem.directory import Section, organization_section

from .models import DataRequest, Dataset


@organization_section
def datasets(organization):
    rows = list(Dataset.objects.filter(publisher=organization).order_by("title")[:10])
    total = Dataset.objects.filter(publisher=organization).count()
    return Section(title=_("Datasets published"),
                   items=[(d.title, d.get_absolute_url(), ", ".join(d.formats)) for d in rows],
                   empty=_("No dataset in the catalog."),
                   more_url=reverse("opendata:catalog") + f"?publisher={organization.slug}"
                   if total > len(rows) else "")


@organization_section
def data_requests(organization):
    rows = list(DataRequest.objects.filter(agency=organization).order_by("-votes_count")[:10])
    if not rows:
        return None
    return Section(title=_("Data requests addressed to it"),
                   items=[(r.title, r.get_absolute_url(), r.get_status_display()) for r in rows])
