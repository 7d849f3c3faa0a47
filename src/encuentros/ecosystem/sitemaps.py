from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from encuentros.core.sitemaps import register

from .models import Organization


@register("organizations")
class OrganizationSitemap(Sitemap):
    changefreq = "weekly"
    limit = 5000

    def items(self):
        return Organization.objects.order_by("pk").only("slug")

    def location(self, item):
        return reverse("ecosystem:organization", args=[item.slug])
