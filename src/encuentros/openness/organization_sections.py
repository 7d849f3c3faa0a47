"""The openness section of an organization's page in the ecosystem directory."""

from django.urls import reverse
from django.utils.translation import gettext as _

from encuentros.ecosystem.directory import Section, organization_section

from .models import Assessment


@organization_section
def openness(organization):
    latest = (Assessment.objects.filter(organization=organization,
                                        status=Assessment.Status.SUBMITTED)
              .select_related("instrument").order_by("-period", "-submitted_at"))[:4]
    items = [(f"{a.instrument.title} · {a.get_perspective_display()} · {a.period}",
              reverse("openness:organization", args=[organization.slug]),
              _("overall %(score)s") % {"score": f"{a.overall:.2f}"}
              if a.overall is not None else "")
             for a in latest]
    return Section(title=_("Openness"), items=items,
                   empty=_("No openness assessment has been published yet."),
                   more_url=reverse("openness:organization", args=[organization.slug])
                   if items else "")
