"""The attendance counts are cached per encounter and forgotten on every kind of write."""

import pytest

from encuentros.core.sectors import Sector
from encuentros.encounters import services
from encuentros.encounters.models import Registration, ReportedAttendance


def _data(i, sector=Sector.GOVERNMENT, org="Secretaría de Pruebas"):
    return services.RegistrationData(full_name=f"Persona {i}", email=f"p{i}@example.org",
                                     sector=sector, organization_name=org)


def _people(encounter):
    return {r.sector: r.people for r in services.attendance(encounter).rows}


@pytest.mark.django_db
def test_second_read_is_served_from_the_cache(encounter, django_assert_num_queries):
    services.register(encounter, _data(1))
    assert _people(encounter) == {"government": 1}
    # one query (reported attendance); the aggregate over registrations is not run again
    with django_assert_num_queries(1):
        assert _people(encounter) == {"government": 1}


@pytest.mark.django_db
def test_bulk_import_cancel_delete_and_check_in_are_seen(encounter):
    services.register(encounter, _data(1))
    assert _people(encounter) == {"government": 1}
    # bulk insert (spreadsheet import path): no model signals, explicit invalidation
    services.register_many(encounter, [_data(2), _data(3, Sector.ACADEMIA, "Universidad")])
    assert _people(encounter) == {"government": 2, "academia": 1}
    services.cancel(Registration.objects.get(person__email="p2@example.org"))
    assert _people(encounter) == {"government": 1, "academia": 1}
    Registration.objects.get(person__email="p3@example.org").delete()
    assert _people(encounter) == {"government": 1}
    services.check_in(encounter, Registration.objects.get(person__email="p1@example.org")
                      .badge_token)
    assert services.attendance(encounter).basis == "checked_in"


@pytest.mark.django_db
def test_reported_attendance_added_later_wins(encounter):
    services.register(encounter, _data(1))
    assert services.attendance(encounter).basis == "registered"
    ReportedAttendance.objects.create(encounter=encounter, sector=Sector.ACADEMIA, people=40)
    att = services.attendance(encounter)
    assert att.basis == "reported"
    assert att.total == 40
