import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from encuentros.collaboration import services
from encuentros.collaboration.models import Challenge
from encuentros.core.sectors import Sector
from encuentros.ecosystem.models import Organization, Person


@pytest.fixture
def author(db):
    user = get_user_model().objects.create_user("autora", "autora@example.org", "s3cret-pass-123")
    org = Organization.objects.create(name="Colectivo Datos del Barrio",
                                      sector=Sector.CIVIL_SOCIETY)
    Person.objects.create(user=user, full_name="Autora Privada", email="autora@example.org",
                          sector=Sector.CIVIL_SOCIETY, organization=org)
    return user


@pytest.fixture
def stranger(db):
    return get_user_model().objects.create_user("otra", "otra@example.org", "s3cret-pass-123")


@pytest.fixture
def challenge(encounter, agency):
    c = Challenge.objects.create(title="Cruces peligrosos", encounter=encounter)
    c.agencies.add(agency)
    return c


@pytest.fixture
def draft(author, encounter, challenge):
    return services.create_proposal(author, title="Mapa de cruces", summary="Un mapa abierto",
                                    challenge=challenge, encounter=encounter)


@pytest.fixture
def submitted(draft, author):
    return services.transition(draft, "submitted", author)


@pytest.fixture
def under_review(submitted, organizer):
    return services.transition(submitted, "under_review", organizer)


@pytest.fixture
def agreement(organizer, encounter, agency):
    return services.save_agreement(organizer, kind="letter_of_intent",
                                   title="Carta de intención de movilidad",
                                   encounter=encounter, signatories=[agency])


@pytest.fixture
def commitment(organizer, agreement, agency):
    return services.create_commitment(
        organizer, title="Publicar cruces", agreement=agreement, responsible=agency,
        due_date=timezone.localdate() + dt.timedelta(days=30))


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Accounts are created in most tests here; the real hasher is tested in tests/core."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def english_messages():
    """Service error messages are matched in English here; the Spanish catalog is checked in
    test_error_message_is_translated and by the pages."""
    from django.utils import translation

    with translation.override("en"):
        yield
