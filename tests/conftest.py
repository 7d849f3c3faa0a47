"""Shared fixtures. Every test runs on the database DATABASE_URL names (SQLite by default)."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.utils import timezone

from encuentros.core.sectors import Sector
from encuentros.ecosystem.models import Organization, Topic
from encuentros.encounters.models import Encounter, Venue


def pytest_collection_modifyitems(config, items):
    from django.conf import settings

    on_postgres = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
    skip_pg = pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL); CI runs it there")
    for item in items:
        if "postgres" in item.keywords and not on_postgres:
            item.add_marker(skip_pg)


@pytest.fixture
def is_postgres():
    return connection.vendor == "postgresql"


@pytest.fixture
def user(db):
    return get_user_model().objects.create_user("participante", "participante@example.org",
                                                "s3cret-pass-123", first_name="Participante")


@pytest.fixture
def admin_user(db):
    return get_user_model().objects.create_superuser("root", "root@example.org", "s3cret-pass-123")


@pytest.fixture
def organizer(db):
    return get_user_model().objects.create_user("organizadora", "org@example.org",
                                                "s3cret-pass-123")


@pytest.fixture
def venue(db):
    return Venue.objects.create(name="Centro de Cultura Digital")


@pytest.fixture
def topics(db):
    return [Topic.objects.create(name=n) for n in ("Movilidad", "Medio ambiente", "Salud")]


@pytest.fixture
def encounter(db, venue, organizer):
    today = timezone.localdate()
    e = Encounter.objects.create(
        number=7, title="Séptimo Encuentro", theme="Pruebas", objective="Objetivo",
        start_date=today + dt.timedelta(days=10), end_date=today + dt.timedelta(days=10),
        venue=venue, capacity=20, registration_open=True, is_published=True)
    e.organizers.add(organizer)
    return e


@pytest.fixture
def agency(db):
    return Organization.objects.create(name="Secretaría de Movilidad", acronym="SEMOVI",
                                       sector=Sector.GOVERNMENT)
