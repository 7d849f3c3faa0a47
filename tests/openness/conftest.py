"""Fixtures of the openness tests."""

import pytest
from django.contrib.auth import get_user_model

from encuentros.core.sectors import Sector
from encuentros.ecosystem.models import Organization, Person
from encuentros.openness import schema, services


@pytest.fixture(autouse=True)
def english():
    """Service messages in English (msgids); tests that check Spanish override it."""
    from django.utils import translation

    with translation.override("en"):
        yield


SMALL = """
slug: pequeno
version: "1"
title: Instrumento pequeño
sectors: [government, civil_society, academia, private]
maturity_threshold: 0.6
aggregation: {component: arithmetic, pillar: arithmetic, overall: arithmetic}
scales:
  yes_no:
    options:
      - {value: "si", label: "Sí", score: 1}
      - {value: "no", label: "No", score: 0}
  four:
    options:
      - {value: "0", label: "Nada", score: 0}
      - {value: "1", label: "Poco", score: 0.25}
      - {value: "2", label: "Bastante", score: 0.5}
      - {value: "3", label: "Mucho", score: 1}
pillars:
  - key: transparency
    title: Transparencia
    weight: 1
    components:
      - key: t_a
        title: A
        weight: 3
        indicators:
          - {key: t1, text: Uno, level: 1, scale: four, weight: 1, evidence: true}
          - {key: t2, text: Dos, level: 2, scale: four, weight: 3}
      - key: t_b
        title: B
        weight: 1
        indicators:
          - {key: t3, text: Tres, level: 1, scale: yes_no}
          - {key: t4, text: Cuatro, level: 3, scale: four, sectors: [government]}
  - key: participation
    title: Participación
    weight: 2
    components:
      - key: p_a
        title: PA
        indicators:
          - {key: p1, text: P uno, level: 1, scale: four}
          - {key: p2, text: P dos, level: 2, scale: four}
"""


@pytest.fixture
def small_spec():
    return schema.parse(SMALL)


@pytest.fixture
def small_instrument(db):
    return services.load_instrument(SMALL)[0]


@pytest.fixture
def default_instrument(db):
    path = services.INSTRUMENTS_DIR / "apertura-organizacional.yaml"
    return services.load_instrument(path.read_text(encoding="utf-8"))[0]


@pytest.fixture
def orgs(db):
    """Two organizations per sector (citizen excluded)."""
    out = {}
    for sector in (Sector.GOVERNMENT, Sector.CIVIL_SOCIETY, Sector.ACADEMIA, Sector.PRIVATE):
        out[sector] = [Organization.objects.create(name=f"{sector} org {i}", sector=sector)
                       for i in range(2)]
    return out


@pytest.fixture
def member(db, orgs):
    """An account whose Person belongs to the first government organization."""
    user = get_user_model().objects.create_user("miembro", "miembro-canary@example.org",
                                                "s3cret-pass-123")
    Person.objects.create(user=user, full_name="Miembro Canario Privado",
                          email="miembro-canary@example.org", sector=Sector.GOVERNMENT,
                          organization=orgs[Sector.GOVERNMENT][0])
    return user


@pytest.fixture
def answers_for():
    return full_answers


def full_answers(spec, sector, value_for=lambda indicator: None):
    """Raw answers for every applicable indicator: the best option unless value_for says."""
    data = {}
    for _p, _c, indicator in services.applicable(spec, sector):
        scale = spec["scales"][indicator["scale"]]
        value = value_for(indicator)
        if value is None:
            value = (str(scale["max"]) if scale["type"] == "number"
                     else max(scale["options"], key=lambda o: o["score"])["value"])
        data[indicator["key"]] = (value, "https://example.org/e" if indicator["evidence"]
                                  else "")
    return data


@pytest.fixture
def populated(db, default_instrument, member, organizer):
    """32 organizations (8 per sector) with self-assessments in 2025 and 2026, entered by a
    member account whose identity must never show."""
    from encuentros.openness.models import Assessment

    orgs, n = [], 0
    levels = ["0", "1", "2", "3"]
    for sector in (Sector.GOVERNMENT, Sector.CIVIL_SOCIETY, Sector.ACADEMIA, Sector.PRIVATE):
        for i in range(8):
            org = Organization.objects.create(name=f"Org {sector} {i}", sector=sector)
            orgs.append(org)
            for year, bump in (("2025", 0), ("2026", 1)):
                n += 1
                a = services.start_assessment(instrument=default_instrument, organization=org,
                                              perspective=Assessment.Perspective.SELF,
                                              period=year, user=member)[0]
                spec = default_instrument.spec

                def value_for(ind, i=i, bump=bump, n=n):
                    if ind["scale"] == "yes_no":
                        return "si" if (i + bump + ind["level"]) % 2 else "no"
                    return levels[min(3, (i + bump + ind["level"] + n) % 4 + bump)]

                services.save_answers(a, full_answers(spec, sector, value_for), submit=True)
    return orgs
