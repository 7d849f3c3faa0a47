"""Directory of organizations and people, and the sections other apps add to an
organization's page (registered with :func:`organization_section` in an app's
``organization_sections.py``, discovered at start-up)."""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.utils.module_loading import autodiscover_modules

from .models import Organization, Person

_SECTIONS: list[Callable] = []
PAGE_SIZE = 30


@dataclass
class Section:
    title: str
    items: list  # [(text, url or "", note)]
    empty: str = ""
    more_url: str = ""


def organization_section(func):
    """Register ``func(organization) -> Section | None``."""
    _SECTIONS.append(func)
    return func


def autodiscover() -> None:
    autodiscover_modules("organization_sections")


def sections_for(organization: Organization) -> list[Section]:
    return [s for s in (func(organization) for func in _SECTIONS) if s is not None]


def search_organizations(params) -> "QuerySet":  # noqa: F821
    qs = Organization.objects.all()
    q = (params.get("q") or "").strip()
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(acronym__icontains=q)
                       | Q(description__icontains=q))
    for field in ("sector", "kind"):
        if params.get(field):
            qs = qs.filter(**{field: params[field]})
    if params.get("topic"):
        qs = qs.filter(topics__slug=params["topic"])
    if params.get("borough"):
        qs = qs.filter(borough__iexact=params["borough"])
    return qs.distinct()


def organizations_page(params, page_number):
    qs = (search_organizations(params).select_related("parent").prefetch_related("topics")
          .annotate(n_encounters=Count("registrations__encounter", distinct=True,
                                       filter=Q(registrations__status="registered")))
          .order_by("name"))
    return Paginator(qs, PAGE_SIZE).get_page(page_number)


def people_page(params, page_number):
    qs = Person.objects.filter(public_profile=True).select_related("organization") \
        .prefetch_related("topics")
    q = (params.get("q") or "").strip()
    if q:
        qs = qs.filter(Q(full_name__icontains=q) | Q(organization__name__icontains=q)
                       | Q(position__icontains=q))
    if params.get("sector"):
        qs = qs.filter(sector=params["sector"])
    if params.get("topic"):
        qs = qs.filter(topics__slug=params["topic"])
    return Paginator(qs.distinct().order_by("full_name"), PAGE_SIZE).get_page(page_number)


def participation(organization: Organization) -> list[dict]:
    """Encounters the organization took part in, with how many of its people registered."""
    rows = (organization.registrations.filter(status="registered")
            .values("encounter__number", "encounter__title")
            .annotate(people=Count("person", distinct=True))
            .order_by("encounter__number"))
    return [{"number": r["encounter__number"], "title": r["encounter__title"],
             "people": r["people"]} for r in rows]
