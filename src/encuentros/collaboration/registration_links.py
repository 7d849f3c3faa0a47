from django.urls import reverse
from django.utils.translation import gettext as _

from encuentros.encounters.hooks import encounter_link


@encounter_link
def what_came_of_it(encounter):
    return [(_("What came of it: proposals, tables, agreements, commitments"),
             reverse("collaboration:encounter", args=[encounter.number]))]
