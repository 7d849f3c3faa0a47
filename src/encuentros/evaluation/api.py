"""Survey results of an encounter: aggregates only, small groups suppressed."""

from django.shortcuts import get_object_or_404
from ninja import Router

from encuentros.core.apitypes import Id
from encuentros.encounters.models import Encounter

from . import services

router = Router(tags=["evaluation"])


@router.get("/encounters/{int:encounter_id}/survey-results",
            summary="Pre/post survey results of an encounter")
def survey_results(request, encounter_id: Id):
    """Per item, overall and per sector: answers before and after, paired people, means,
    mean change with a bootstrap 95% interval, Wilcoxon signed-rank test and rank-biserial
    effect size. Groups with fewer than 5 answers are suppressed (`suppressed: true`, no
    numbers). Open answers are never published."""
    encounter = get_object_or_404(Encounter, pk=encounter_id, is_published=True)
    res = services.results(encounter)
    return {
        "encounter": encounter.number, "responses": res.responses, "response_rates": res.rates,
        "items": [{"key": k, "text": res.texts.get(k, "")} for k in res.keys],
        "groups": {g: [i.as_dict() for i in items] for g, items in res.groups.items()},
    }
