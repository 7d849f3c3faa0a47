import datetime as dt
import re
from pathlib import Path

import pytest
from django.core.management import call_command

from encuentros.encounters.models import Encounter, Registration, ReportedAttendance

SEED = Path(__file__).resolve().parents[3] / "shared/seed/000_a5d00aee478f7fee.txt"


@pytest.fixture
def demo(db):
    call_command("load_demo", verbosity=0)


def test_five_historical_encounters_with_the_seeds_numbers(demo, client):
    data = {e["number"]: e for e in client.get("/api/v1/encounters").json()["items"]}
    assert set(data) == {1, 2, 3, 4, 5, 6}

    def att(n):
        return sorted((a["sector"] or "", a["people"], a["organizations"])
                      for a in data[n]["attendance"])

    assert att(1) == [("government", 100, 40)]
    assert att(2) == [("civil_society", 60, 30), ("government", 120, 50)]
    assert att(3) == [("civil_society", 50, None), ("government", 50, None)]
    assert att(4) == [("", None, 33), ("government", 76, 24)]
    assert att(5) == [("", 90, None)]  # sector not stated: not invented
    assert data[5]["start_date"] == "2017-12-07" and data[5]["end_date"] == "2017-12-08"
    assert data[1]["start_date"] == "2013-10-17"
    assert data[3]["venue"] == "Fotomuseo Cuatro Caminos"
    assert all(data[n]["status"] == "past" for n in range(1, 6))


@pytest.mark.skipif(not SEED.exists(), reason="shared/ seed not beside the repository")
def test_historical_facts_appear_in_the_seed(demo):
    seed = SEED.read_text(encoding="utf-8")
    flat = re.sub(r"\s+", " ", seed)
    for e in Encounter.objects.filter(number__lte=5):
        assert re.sub(r"\s+", " ", e.objective) in flat, e.number
        assert e.theme in flat, e.number
        assert e.venue.name in flat
    for row in ReportedAttendance.objects.all():
        assert str(row.people or "") in flat


def test_synthetic_encounter_is_open_and_sizeable(demo):
    sixth = Encounter.objects.get(number=6)
    assert sixth.accepts_registrations and sixth.status == "upcoming"
    regs = sixth.registrations.filter(status="registered")
    assert 350 <= regs.count() <= 450
    sectors = set(regs.values_list("sector", flat=True))
    assert sectors == {"government", "civil_society", "academia", "private", "citizen"}
    assert sixth.agenda.filter(kind="table_dynamic").exists()
    assert sixth.start_date > dt.date.today()


def test_load_demo_is_idempotent_and_deterministic(demo):
    before = list(Registration.objects.order_by("badge_token")
                  .values_list("badge_token", "person__email", "sector"))
    counts = (Encounter.objects.count(), ReportedAttendance.objects.count())
    call_command("load_demo", verbosity=0)
    after = list(Registration.objects.order_by("badge_token")
                 .values_list("badge_token", "person__email", "sector"))
    assert before == after
    assert counts == (Encounter.objects.count(), ReportedAttendance.objects.count())
