"""ARCO rights: access, rectification, cancellation (erasure), opposition."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from encuentros.core.sectors import Sector
from encuentros.ecosystem.models import Person
from encuentros.encounters import seating, services
from encuentros.encounters.models import Registration
from encuentros.evaluation import services as surveys
from encuentros.evaluation.models import Answer, Survey

LIKERT = {"trust_government": 4, "trust_civil_society": 3, "cross_sector_understanding": 4,
          "usefulness": 5, "intention_collaborate": 4}


@pytest.fixture
def me(db, encounter):
    user = get_user_model().objects.create_user("ana", "ana.unica@example.org", "s3cret-pass-123")
    encounter.capacity = None
    encounter.save()
    reg = services.register(encounter, services.RegistrationData(
        full_name="Ana Única Canario", email="ana.unica@example.org", sector=Sector.ACADEMIA,
        organization_name="Universidad Canaria", public_profile=True,
        accessibility_needs="silla de ruedas"), user=user)
    for i in range(7):
        services.register(encounter, services.RegistrationData(
            full_name=f"Otra {i}", email=f"otra{i}@example.org", sector=Sector.GOVERNMENT))
    seating.generate(encounter, table_size=4, rounds=2, source="registered")
    pre, _post = surveys.create_standard_surveys(encounter)
    Survey.objects.update(is_open=True)
    pre.refresh_from_db()
    surveys.submit(pre, reg, LIKERT | {"expectations": "Conocer a Beto Canario"})
    return user, reg


@pytest.mark.django_db
def test_access_downloads_everything_about_me_and_nobody_else(client, me):
    user, reg = me
    client.force_login(user)
    response = client.get(reverse("core:my_data"))
    data = json.loads(response.content)
    assert data["person"]["email"] == "ana.unica@example.org"
    assert data["registrations"][0]["accessibility_needs"] == "silla de ruedas"
    assert len(data["registrations"][0]["seats"]) == 2
    assert data["survey_answers"][0]["answers"]["usefulness"] == 5
    assert "otra0@example.org" not in response.content.decode()


@pytest.mark.django_db
def test_rectification_and_opposition(client, me):
    user, _reg = me
    client.force_login(user)
    person = user.person
    response = client.post(reverse("core:edit_profile"), {
        "full_name": "Ana Corregida", "phone": "", "sector": Sector.CIVIL_SOCIETY,
        "position": "Investigadora", "bio": "", "public_profile": "on",
        "organization_name": "Colectivo Nuevo"})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.full_name == "Ana Corregida" and person.organization.name == "Colectivo Nuevo"
    assert "Ana Corregida" in client.get(reverse("ecosystem:people")).content.decode()
    client.post(reverse("core:withdraw_public_profile"))
    person.refresh_from_db()
    assert not person.public_profile
    assert "Ana Corregida" not in client.get(reverse("ecosystem:people")).content.decode()


@pytest.mark.django_db
def test_erasure_anonymizes_everywhere_and_keeps_aggregates(client, me, encounter):
    user, reg = me
    before = services.attendance(encounter)
    client.force_login(user)
    bad = client.post(reverse("core:erase_account"), {"password": "wrong"})
    assert bad.status_code == 200 and Person.objects.filter(full_name__contains="Ana").exists()
    client.post(reverse("core:erase_account"), {"password": "s3cret-pass-123"})
    assert not get_user_model().objects.filter(username="ana").exists()
    reg.refresh_from_db()
    person = reg.person
    assert person.email is None and "Ana" not in person.full_name and not person.public_profile
    assert reg.status == Registration.Status.REGISTERED and reg.sector == Sector.ACADEMIA
    assert reg.accessibility_needs == "" and reg.organization.name == "Universidad Canaria"
    after = services.attendance(encounter)
    assert [(r.sector, r.people, r.organizations) for r in after.rows] == \
        [(r.sector, r.people, r.organizations) for r in before.rows]
    assert not Answer.objects.exclude(text="").exists()  # open answers deleted
    assert Answer.objects.filter(value__isnull=False).count() == len(LIKERT)
    for url in (reverse("ecosystem:people"), "/api/v1/atlas/graph?level=person",
                reverse("evaluation:results", args=[encounter.number])):
        body = client.get(url).content.decode()
        assert "Canario" not in body and "ana.unica" not in body
