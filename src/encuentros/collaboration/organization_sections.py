"""The follow-up section of an organization's page: commitments it is responsible for and
agreements it signed."""

from django.urls import reverse
from django.utils.translation import gettext as _

from encuentros.ecosystem.directory import Section, organization_section

from .models import Agreement, Commitment


@organization_section
def follow_up(organization):
    commitments = (Commitment.objects.filter(responsible=organization)
                   .order_by("due_date", "pk")[:6])
    agreements = Agreement.objects.filter(signatories=organization).order_by("-signed_on")[:4]
    items = []
    for c in commitments:
        note = f"{c.get_status_display()} · {c.progress} %"
        if c.is_overdue:
            note += " · " + _("Overdue")
        items.append((c.title, c.get_absolute_url(), note))
    items += [(a.title, a.get_absolute_url(), a.get_kind_display()) for a in agreements]
    return Section(title=_("Agreements and commitments"), items=items,
                   empty=_("No agreements or commitments recorded."),
                   more_url=reverse("collaboration:dashboard") if items else "")
