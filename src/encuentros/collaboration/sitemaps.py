from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from encuentros.core.sitemaps import register
from encuentros.encounters.models import Encounter

from .models import Agreement, CollaborativeTable, Commitment, Proposal


@register("follow-up")
class FollowUpSitemap(Sitemap):
    def items(self):
        return list(Encounter.objects.filter(is_published=True).order_by("number"))

    def location(self, item):
        return reverse("collaboration:encounter", args=[item.number])


@register("follow-up-objects")
class ObjectsSitemap(Sitemap):
    limit = 5000

    def items(self):
        public = Proposal.objects.exclude(status=Proposal.Status.DRAFT).order_by("pk")
        return (list(public) + list(CollaborativeTable.objects.order_by("pk"))
                + list(Agreement.objects.order_by("pk")) + list(Commitment.objects.order_by("pk")))
