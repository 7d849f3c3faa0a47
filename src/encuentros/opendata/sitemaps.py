from django.contrib.sitemaps import Sitemap

from encuentros.core.sitemaps import register

from .models import DataRequest, Dataset


@register("datasets")
class DatasetSitemap(Sitemap):
    limit = 5000

    def items(self):
        return Dataset.objects.order_by("pk").only("pk")


@register("data-requests")
class DataRequestSitemap(Sitemap):
    limit = 5000

    def items(self):
        return DataRequest.objects.order_by("pk").only("pk")
