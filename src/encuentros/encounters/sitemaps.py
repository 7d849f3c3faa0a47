from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from encuentros.core.sitemaps import register

from .models import Encounter


@register("encounters")
class EncounterSitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        return Encounter.objects.filter(is_published=True).order_by("number")

    def location(self, item):
        return item.get_absolute_url()


@register("reports")
class ReportSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return Encounter.objects.filter(is_published=True).order_by("number")

    def location(self, item):
        return reverse("evaluation:report", args=[item.number])
