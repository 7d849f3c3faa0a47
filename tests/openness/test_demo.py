"""Demo data of the openness app: deterministic, idempotent, fictitious organizations only."""

import pytest

from encuentros.demo import synthetic
from encuentros.ecosystem.models import Organization
from encuentros.openness import demo, services
from encuentros.openness.models import Answer, Assessment, Instrument


@pytest.fixture
def fictitious(db):
    """A few of the synthetic encounter's organizations, one sector each, plus a real-looking
    organization that the demo must leave alone."""
    made = []
    for sector, entries in synthetic.ORGANIZATIONS.items():
        for name, acronym in entries[:2]:
            made.append(Organization.objects.create(name=name, acronym=acronym, sector=sector))
    Organization.objects.create(name="Gobierno del Estado Real", sector="government")
    return made


@pytest.mark.django_db
def test_load_twice_does_not_duplicate(fictitious, encounter):
    first = demo.load([], encounter)
    counts = (Instrument.objects.count(), Assessment.objects.count(), Answer.objects.count())
    snapshot = sorted(Assessment.objects.values_list("organization__name", "period",
                                                     "perspective", "overall"))
    second = demo.load([], encounter)
    assert counts == (Instrument.objects.count(), Assessment.objects.count(),
                      Answer.objects.count())
    assert snapshot == sorted(Assessment.objects.values_list(
        "organization__name", "period", "perspective", "overall"))
    assert first["assessments"] == counts[1] and second["assessments"] == 0
    assert counts[0] == 2
    # Every sector, two periods each (change since last shows), some external reviews.
    self_ = Assessment.objects.filter(perspective="self", status="submitted")
    assert set(self_.values_list("sector", flat=True)) == {"government", "civil_society",
                                                            "academia", "private"}
    assert set(self_.values_list("period", flat=True)) == {"2025", "2026"}
    external = services.submitted(services.DEFAULT_SLUG, perspective="external")
    assert external.count() == demo.EXTERNAL_REVIEWS
    assert services.submitted(services.DEFAULT_SLUG).count() == 2 * len(fictitious)
    assert not Assessment.objects.filter(organization__name="Gobierno del Estado Real").exists()
    assert Assessment.objects.filter(period="2026").first().encounter == encounter
    org = fictitious[0]
    assert services.organization_results(org)[0].previous is not None


@pytest.mark.django_db
def test_load_demo_command_twice():
    from django.core.management import call_command

    call_command("load_demo", verbosity=0)
    counts = (Instrument.objects.count(), Assessment.objects.count(), Answer.objects.count())
    call_command("load_demo", verbosity=0)
    assert counts == (Instrument.objects.count(), Assessment.objects.count(),
                      Answer.objects.count())
    names = {n for entries in synthetic.ORGANIZATIONS.values() for n, _a in entries}
    assessed = set(Assessment.objects.values_list("organization__name", flat=True))
    assert assessed == names                       # every fictitious organization, nobody else
    assert counts[0] == 2 and counts[1] == 2 * len(names) + demo.EXTERNAL_REVIEWS
