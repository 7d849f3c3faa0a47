"""Capacity holds under real parallel connections (PostgreSQL row lock on the encounter)."""

import threading

import pytest
from django.db import connection, connections

from encuentros.core.sectors import Sector
from encuentros.encounters import services
from encuentros.encounters.models import Registration


def _register_in_parallel(encounter, n):
    barrier = threading.Barrier(n)
    errors = []

    def worker(i):
        try:
            barrier.wait(timeout=30)
            services.register(encounter, services.RegistrationData(
                full_name=f"Persona {i}", email=f"c{i}@example.org", sector=Sector.CITIZEN))
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return errors


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_registrations_never_exceed_capacity(encounter):
    assert connection.vendor == "postgresql"
    encounter.capacity = 20
    encounter.save()
    errors = _register_in_parallel(encounter, 60)
    assert errors == []
    counts = services.registration_counts(encounter)
    assert counts["registered"] == 20
    assert counts["waitlisted"] == 40
    # Waitlist order is the order of arrival, and the 20 seats went to the first 20 to commit.
    regs = list(Registration.objects.filter(encounter=encounter).order_by("created_at", "pk"))
    assert [r.status for r in regs] == ["registered"] * 20 + ["waitlisted"] * 40


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_duplicate_email_registers_once(encounter):
    barrier = threading.Barrier(8)
    outcomes = []

    def worker():
        try:
            barrier.wait(timeout=30)
            services.register(encounter, services.RegistrationData(
                full_name="Misma Persona", email="misma@example.org", sector=Sector.CITIZEN))
            outcomes.append("ok")
        except services.RegistrationError:
            outcomes.append("duplicate")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(outcomes) == ["duplicate"] * 7 + ["ok"]
    assert Registration.objects.filter(encounter=encounter).count() == 1
