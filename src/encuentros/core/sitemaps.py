"""/sitemap.xml: every public page. Apps add their own sections with :func:`register` in their
``sitemaps.py`` (discovered at start-up)."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse
from django.utils.module_loading import autodiscover_modules

SITEMAPS: dict = {}


def register(name: str):
    def decorator(cls):
        SITEMAPS[name] = cls
        return cls
    return decorator


def autodiscover() -> None:
    autodiscover_modules("sitemaps")


@register("pages")
class PagesSitemap(Sitemap):
    changefreq = "weekly"
    names = ["core:home", "encounters:list", "ecosystem:atlas", "ecosystem:organizations",
             "ecosystem:people", "openness:index", "opendata:catalog", "opendata:requests",
             "opendata:demand", "opendata:open_data", "collaboration:index",
             "collaboration:dashboard", "collaboration:proposals", "collaboration:tables",
             "collaboration:agreements", "collaboration:commitments",
             "collaboration:initiatives"]

    def items(self):
        return self.names

    def location(self, item):
        return reverse(item)
