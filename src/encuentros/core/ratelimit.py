"""Rate limits on login and on the forms anyone can post (registration, requests, proposals…).

Fixed-window counters in the cache (shared by every app-server process: Redis in production,
the file cache on one machine). A client over its limit gets a translated 429 page with
Retry-After; nothing it sent is processed. Limits are per client address; the login is also
limited per submitted username from one address (tight: guessing one account's password) and per
username from all addresses together (loose: a distributed guess). Keeping the tight limit per
address means a stranger who fails ten times locks out only themselves, not the account's owner.

`settings.RATELIMITS` sets (requests, seconds) per scope; `RATE_LIMITED_VIEWS` below maps URL
names to scopes. `settings.RATELIMIT_ENABLED = False` turns it off; `NUM_PROXIES` says how many
reverse proxies in front append to X-Forwarded-For (0: use REMOTE_ADDR).
"""

import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render
from django.utils.translation import gettext as _

# URL name → scope. Only POSTs count: reading is never limited here.
RATE_LIMITED_VIEWS = {
    "login": "login",
    "admin:login": "login",
    "core:signup": "signup",
    "password_reset": "password_reset",
    "encounters:register": "public_form",
    "opendata:request_create": "public_form",
    "opendata:request_vote": "public_form",
    "opendata:request_comment": "public_form",
    "collaboration:proposal_create": "public_form",
    "collaboration:proposal_support": "public_form",
    "collaboration:follow": "public_form",
    "evaluation:answer": "public_form",
}


def client_address(request) -> str:
    proxies = int(getattr(settings, "NUM_PROXIES", 0) or 0)
    if proxies:
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
                     if a.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def hit(scope: str, key: str) -> int:
    """Count one request of `key` in `scope`; return seconds to wait (0 when allowed)."""
    limit, window = settings.RATELIMITS[scope]
    now = int(time.time())
    start = now - now % window
    digest = hashlib.sha256(key.encode()).hexdigest()[:24]
    cache_key = f"rl:{scope}:{start}:{digest}"
    cache.add(cache_key, 0, window + 5)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, window + 5)
        count = 1
    return 0 if count <= limit else start + window - now


class RateLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method != "POST" or not getattr(settings, "RATELIMIT_ENABLED", True):
            return None
        match = request.resolver_match
        scope = RATE_LIMITED_VIEWS.get(match.view_name if match else "")
        if scope is None:
            return None
        checks = [(scope, f"ip:{client_address(request)}")]
        if scope == "login":
            username = (request.POST.get("username") or "").strip().lower()
            if username:
                checks += [("login_user", f"user:{username}:{client_address(request)}"),
                           ("login_account", f"user:{username}")]
        elif request.user.is_authenticated:
            checks = [(scope, f"account:{request.user.pk}")]
        # In order, stopping at the first refusal: an attempt refused for its address does not
        # count against the account (one address cannot use up an account's total alone).
        wait = 0
        for check_scope, key in checks:
            wait = hit(check_scope, key)
            if wait:
                break
        if not wait:
            return None
        response = render(request, "core/rate_limited.html", {
            "minutes": max(1, (wait + 59) // 60),
            "message": _("Too many attempts. Please wait a few minutes and try again."),
        }, status=429)
        response["Retry-After"] = str(wait)
        return response
