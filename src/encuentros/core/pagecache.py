"""Whole-response cache of the public lists (pages and API) for anonymous visitors.

Public lists are the same for every anonymous visitor in one language, and they are what the
open internet reads most. A response is kept in the shared cache (Redis or the file cache, so
every app-server process sees the same entries) under the *public data version*; any save or
delete of a model of ours (signals, connected in core.apps) bumps the version, so a change is
visible on the next request. Writes that send no signals (bulk imports, queryset updates) bump
the version too: every POST/PUT/PATCH/DELETE request that reaches a view (below), every background
task that ends (core/tasks.py) and every management command that writes (the import, demo and
restore commands call bump()); entries expire after PUBLIC_PAGE_CACHE_SECONDS anyway.

Only GET/HEAD requests of URL names in CACHEABLE, without a session or a messages cookie (a
signed-in person, or a pending flash message, always gets a fresh page) and only 200 responses
that set no cookie are kept. `settings.PUBLIC_PAGE_CACHE_SECONDS = 0` turns it off.
"""

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.urls import Resolver404, resolve
from django.utils.translation import get_language

VERSION_KEY = "public:version"

CACHEABLE = {
    "core:home",
    "encounters:list", "encounters:detail",
    "ecosystem:organizations", "ecosystem:people",
    "opendata:catalog", "opendata:requests", "opendata:demand",
    "collaboration:index", "collaboration:proposals", "collaboration:tables",
    "collaboration:agreements", "collaboration:commitments", "collaboration:initiatives",
    "openness:index",
    "api-v1:list_encounters", "api-v1:get_encounter", "api-v1:list_organizations",
    "api-v1:list_proposals", "api-v1:list_tables", "api-v1:list_agreements",
    "api-v1:list_commitments", "api-v1:list_initiatives", "api-v1:datasets",
    "api-v1:data_requests", "api-v1:demand_summary", "api-v1:scores", "api-v1:instruments",
    "api-v1:seating_plans", "api-v1:get_proposal", "api-v1:get_table", "api-v1:get_agreement",
    "api-v1:get_commitment", "api-v1:get_history",
}
PRIVATE_COOKIES = ("sessionid", "messages")
KEPT_HEADERS = ("Content-Type", "Content-Language")


def version() -> int:
    value = cache.get(VERSION_KEY)
    if value is None:
        cache.add(VERSION_KEY, 1, None)
        value = cache.get(VERSION_KEY, 1)
    return value


def bump(**_kwargs) -> None:
    """The public data changed: every cached public response is stale from now on."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 2, None)


def _seconds() -> int:
    return int(getattr(settings, "PUBLIC_PAGE_CACHE_SECONDS", 0) or 0)


def _url_name(request) -> str:
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return ""
    return match.view_name


class PublicPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        seconds = _seconds()
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            response = self.get_response(request)
            if seconds and response.status_code < 400:
                bump()  # whatever the view wrote, with or without signals, is public now
            return response
        if (not seconds or any(name in request.COOKIES for name in PRIVATE_COOKIES)
                or request.user.is_authenticated):
            return self.get_response(request)
        name = _url_name(request)
        if name not in CACHEABLE:
            return self.get_response(request)
        key = f"public:{version()}:{get_language()}:{request.get_full_path()}"
        hit = cache.get(key)
        if hit is not None:
            content, headers = hit
            response = HttpResponse(content)
            for header, value in headers.items():
                response[header] = value
            response["X-Cache"] = "hit"
            return response
        response = self.get_response(request)
        if (response.status_code == 200 and not response.cookies
                and not getattr(response, "streaming", False)):
            headers = {h: response[h] for h in KEPT_HEADERS if h in response}
            cache.set(key, (response.content, headers), seconds)
        return response
