"""The public lists are served from the shared cache to anonymous visitors, and any change to
the data is visible on the next request; signed-in people always get a fresh page."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from encuentros.core import pagecache
from encuentros.ecosystem.models import Organization


@pytest.fixture
def cached(settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 300
    cache.clear()
    yield
    cache.clear()


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/encounters/", "/organizations/", "/api/v1/encounters",
                                 "/api/v1/organizations", "/data/"])
def test_second_anonymous_read_is_a_hit_without_queries(client, cached, encounter, url,
                                                        django_assert_num_queries):
    first = client.get(url)
    assert first.status_code == 200 and "X-Cache" not in first
    assert not first.cookies  # nothing personal: no CSRF or session cookie
    with django_assert_num_queries(0):
        second = client.get(url)
    assert second["X-Cache"] == "hit" and second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]


@pytest.mark.django_db
def test_a_change_is_visible_at_once(client, cached, encounter):
    url = "/api/v1/organizations?limit=100"
    before = client.get(url).json()["count"]
    Organization.objects.create(name="Nueva Agencia", sector="government")
    after = client.get(url)
    assert "X-Cache" not in after and after.json()["count"] == before + 1


@pytest.mark.django_db
def test_languages_are_cached_apart(client, cached, encounter):
    es = client.get("/encounters/", HTTP_ACCEPT_LANGUAGE="es-mx").content.decode()
    en = client.get("/encounters/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Encuentros" in es and "Encounters" in en and es != en
    again = client.get("/encounters/", HTTP_ACCEPT_LANGUAGE="en")
    assert again["X-Cache"] == "hit" and again.content.decode() == en


@pytest.mark.django_db
def test_signed_in_people_and_flash_messages_get_fresh_pages(client, cached, encounter, user):
    client.get("/encounters/")
    client.cookies["messages"] = "x"
    assert "X-Cache" not in client.get("/encounters/")
    del client.cookies["messages"]
    client.force_login(user)
    response = client.get("/encounters/")
    assert "X-Cache" not in response and "Mi cuenta" in response.content.decode()


@pytest.mark.django_db
def test_forms_and_private_pages_are_never_cached(client, cached, encounter):
    url = reverse("encounters:register", args=[encounter.number])
    client.get(url)
    assert "X-Cache" not in client.get(url)  # a form: it carries a CSRF token
    assert "X-Cache" not in client.get("/accounts/login/")


@pytest.mark.django_db
def test_bump_invalidates_everything(client, cached, encounter):
    client.get("/api/v1/encounters")
    assert client.get("/api/v1/encounters")["X-Cache"] == "hit"
    pagecache.bump()
    assert "X-Cache" not in client.get("/api/v1/encounters")


@pytest.mark.django_db
def test_language_can_be_chosen_without_a_token(client):
    from django.test import Client

    csrf_client = Client(enforce_csrf_checks=True)
    response = csrf_client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302 and response.cookies["django_language"].value == "en"
