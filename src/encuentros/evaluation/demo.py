"""Synthetic survey answers for the synthetic encounter only (the seed has no survey data)."""

import random

from encuentros.encounters.models import Registration

from . import services
from .models import Answer, Question, Response, Survey

SEED = 606


def load(historical, current) -> dict:
    pre, post = services.create_standard_surveys(current)
    if Response.objects.filter(survey__encounter=current).exists():
        return {"survey_responses": Response.objects.filter(survey__encounter=current).count()}
    Survey.objects.filter(pk=pre.pk).update(is_open=True)
    rng = random.Random(SEED)
    regs = list(current.registrations.filter(status=Registration.Status.REGISTERED)
                .order_by("pk"))
    questions = {s.moment: list(s.questions.filter(kind=Question.Kind.LIKERT))
                 for s in (pre, post)}
    shift = {"trust_government": 0.6, "trust_civil_society": 0.3,
             "cross_sector_understanding": 0.8, "usefulness": 0.4,
             "intention_collaborate": 0.5}
    responses, answers = [], []
    for reg in regs:
        answered_pre = rng.random() < 0.6
        answered_post = rng.random() < (0.75 if answered_pre else 0.2)
        base = {k: rng.gauss(3.0, 0.9) for k in shift}
        for survey, answered, moment in ((pre, answered_pre, "pre"),
                                         (post, answered_post, "post")):
            if not answered:
                continue
            r = Response(survey=survey, respondent=services.respondent_key(reg),
                         sector=reg.sector)
            responses.append(r)
            for q in questions[moment]:
                value = base.get(q.key, 3.0) + (shift.get(q.key, 0) if moment == "post" else 0)
                value += rng.gauss(0, 0.6)
                answers.append((r, q, min(5, max(1, round(value)))))
    Response.objects.bulk_create(responses)
    Answer.objects.bulk_create(Answer(response=r, question=q, value=v) for r, q, v in answers)
    return {"survey_responses": len(responses)}
