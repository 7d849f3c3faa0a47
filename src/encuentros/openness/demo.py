"""Demo data of the openness app, called by encuentros.demo.services.load_demo (idempotent).

Loads the instruments shipped with the app and synthetic self-assessments of the synthetic
encounter's fictitious organizations (every sector, two periods so the change shows), plus a
few external reviews. Nothing here describes a real organization or a historical encounter.
"""

import random

from encuentros.ecosystem.models import Organization

from . import schema, services
from .models import Assessment

SEED = 2026
PERIODS = ("2025", "2026")
EXTERNAL_REVIEWS = 4


def _answers(spec: dict, sector: str, rng: random.Random, ability: dict, step: float) -> dict:
    """Answers driven by a latent openness per pillar (so items of a pillar correlate)."""
    data = {}
    for pillar, _component, indicator in services.applicable(spec, sector):
        key = indicator["key"]
        roll = rng.random()
        if roll < 0.03:
            data[key] = (schema.NOT_APPLICABLE, "")
            continue
        if roll < 0.06:
            data[key] = (schema.DONT_KNOW, "")
            continue
        scale = spec["scales"][indicator["scale"]]
        # Higher-level practices are harder: the latent score must clear the level.
        latent = ability[pillar["key"]] + step - 0.12 * (indicator["level"] - 1) + rng.gauss(0,
                                                                                          0.15)
        latent = min(1.0, max(0.0, latent))
        options = scale["options"]
        value = min(options, key=lambda o: abs(o["score"] - latent))["value"]
        evidence = ""
        if indicator["evidence"]:
            evidence = f"https://example.org/evidencia-demo/{key}"
        data[key] = (value, evidence)
    return data


def load(historical, current) -> dict:
    """historical: the five Encounter objects of the seed; current: the synthetic encounter."""
    from encuentros.demo import synthetic

    loaded = services.load_bundled()
    instrument = next(i for i, _outcome in loaded if i.slug == services.DEFAULT_SLUG)
    names = [name for entries in synthetic.ORGANIZATIONS.values() for name, _a in entries]
    orgs = list(Organization.objects.filter(name__in=names).order_by("name"))
    created = 0
    for n, org in enumerate(orgs):
        if org.sector not in instrument.sectors:
            continue
        rng = random.Random(f"{SEED}-{org.name}")
        ability = {p["key"]: rng.uniform(0.3, 0.9) for p in instrument.spec["pillars"]}
        plans = [(Assessment.Perspective.SELF, period, 0.12 * i)
                 for i, period in enumerate(PERIODS)]
        if n < EXTERNAL_REVIEWS:
            plans.append((Assessment.Perspective.EXTERNAL, PERIODS[-1], -0.05))
        for perspective, period, step in plans:
            answers = _answers(instrument.spec, org.sector, rng, ability, step)
            assessment, is_new = services.start_assessment(
                instrument=instrument, organization=org, perspective=perspective,
                period=period, encounter=current if period == PERIODS[-1] else None)
            if assessment.is_submitted:
                continue
            services.save_answers(assessment, answers, submit=True)
            created += int(is_new)
    return {"instruments": len(loaded), "assessments": created}
