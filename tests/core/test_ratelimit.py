"""Rate limits on login and public forms: over the limit, a translated 429 and nothing done."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from encuentros.encounters.models import Registration


@pytest.fixture
def limits(settings):
    settings.RATELIMIT_ENABLED = True
    settings.RATELIMITS = {"login": (3, 300), "login_user": (2, 300), "login_account": (4, 300),
                           "signup": (2, 3600),
                           "password_reset": (2, 3600), "public_form": (2, 600)}
    cache.clear()
    yield settings.RATELIMITS
    cache.clear()


@pytest.mark.django_db
def test_login_is_limited_per_username_and_per_address(client, user, limits):
    url = reverse("login")
    for _ in range(2):
        assert client.post(url, {"username": user.username, "password": "wrong"}
                           ).status_code == 200
    blocked = client.post(url, {"username": user.username, "password": "s3cret-pass-123"},
                          HTTP_ACCEPT_LANGUAGE="en")
    assert blocked.status_code == 429 and int(blocked["Retry-After"]) > 0
    assert "Too many attempts" in blocked.content.decode()
    assert "_auth_user_id" not in client.session  # the right password did not log in
    # The address has used its 3 attempts: another username from it is refused too.
    assert client.post(url, {"username": "otra", "password": "x"}).status_code == 429
    # Another address may still try another account.
    assert client.post(url, {"username": "otra", "password": "x"},
                       REMOTE_ADDR="10.0.0.9").status_code == 200


@pytest.mark.django_db
def test_a_stranger_cannot_lock_the_owner_out(client, user, limits):
    """Failures from one address use up that address's tries on the account, not the owner's;
    many addresses together meet the per-account limit."""
    url = reverse("login")
    for _ in range(2):
        client.post(url, {"username": user.username, "password": "wrong"},
                    REMOTE_ADDR="198.51.100.7")
    for _ in range(5):  # refused, and not counted against the account
        assert client.post(url, {"username": user.username, "password": "wrong"},
                           REMOTE_ADDR="198.51.100.7").status_code == 429
    owner = client.post(url, {"username": user.username, "password": "s3cret-pass-123"},
                        REMOTE_ADDR="192.0.2.10")
    assert owner.status_code == 302 and client.session.get("_auth_user_id") == str(user.pk)
    client.logout()
    # 3 counted attempts on the account so far (2 + the owner's): one more from anywhere, then
    # the total is reached whatever the address
    assert client.post(url, {"username": user.username.upper(), "password": "wrong"},
                       REMOTE_ADDR="192.0.2.98").status_code == 200
    assert client.post(url, {"username": user.username, "password": "wrong"},
                       REMOTE_ADDR="192.0.2.99").status_code == 429


@pytest.mark.django_db
def test_reading_is_never_limited(client, limits):
    for _ in range(5):
        assert client.get(reverse("login")).status_code == 200


@pytest.mark.django_db
def test_public_registration_form_is_limited_and_writes_nothing_over_it(client, encounter,
                                                                         limits):
    url = reverse("encounters:register", args=[encounter.number])

    def post(i):
        return client.post(url, {"full_name": f"Persona {i}", "email": f"p{i}@example.org",
                                 "no_organization": "on", "sector": "citizen"},
                           HTTP_ACCEPT_LANGUAGE="es-mx")

    assert post(1).status_code == 302 and post(2).status_code == 302
    blocked = post(3)
    assert blocked.status_code == 429 and "Demasiados intentos" in blocked.content.decode()
    assert Registration.objects.filter(encounter=encounter).count() == 2


@pytest.mark.django_db
def test_signed_in_people_are_counted_per_account(client, user, encounter, limits,
                                                  django_user_model):
    url = reverse("opendata:request_create")
    client.force_login(user)
    for _ in range(2):
        client.post(url, {})
    assert client.post(url, {}).status_code == 429
    other = django_user_model.objects.create_user("otra", "otra@example.org", "x-pass-12345")
    client.force_login(other)  # same address, another account
    assert client.post(url, {}).status_code == 200


@pytest.mark.django_db
def test_forwarded_address_is_used_only_behind_the_configured_proxies(client, user, limits,
                                                                      settings):
    settings.NUM_PROXIES = 1
    url = reverse("login")
    for i in range(3):
        assert client.post(url, {"username": f"u{i}", "password": "x"},
                           HTTP_X_FORWARDED_FOR="203.0.113.5").status_code == 200
    assert client.post(url, {"username": "u9", "password": "x"},
                       HTTP_X_FORWARDED_FOR="203.0.113.5").status_code == 429
    assert client.post(url, {"username": "u9", "password": "x"},
                       HTTP_X_FORWARDED_FOR="203.0.113.6").status_code == 200


@pytest.mark.django_db
def test_admin_login_is_limited_too(client, limits):
    url = reverse("admin:login")
    for _ in range(3):
        client.post(url, {"username": "root", "password": "x"})
    assert client.post(url, {"username": "root", "password": "x"}).status_code == 429
