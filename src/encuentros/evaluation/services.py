"""Surveys of an encounter: the standard pre/post questionnaire, answering, and results."""

import hashlib
import hmac
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from encuentros.encounters.models import Encounter, Registration

from . import analysis
from .models import Answer, Question, Response, Survey

# The standard questionnaire (its text is content, stored with each survey and editable in the
# admin); the same keys before and after make the pre/post comparison.
STANDARD_ITEMS = [
    ("trust_government", "likert", gettext_lazy(
        "I trust that government agencies listen to citizens' proposals.")),
    ("trust_civil_society", "likert", gettext_lazy(
        "I trust that civil society organizations act in the public interest.")),
    ("cross_sector_understanding", "likert", gettext_lazy(
        "I understand how people from other sectors see the city's problems.")),
    ("usefulness", "likert", gettext_lazy(
        "Meetings between sectors are useful to solve public problems.")),
    ("intention_collaborate", "likert", gettext_lazy(
        "In the next months I will work with someone from another sector.")),
    ("expectations", "open", gettext_lazy("What do you expect from this encounter?")),
]
POST_OPEN = ("takeaway", "open", gettext_lazy(
    "What will you do differently after this encounter?"))


class SurveyError(Exception):
    def __init__(self, message, field=None):
        super().__init__(message)
        self.message, self.field = message, field


def likert_keys(encounter: Encounter) -> list[str]:
    keys = []
    for q in Question.objects.filter(survey__encounter=encounter, kind=Question.Kind.LIKERT) \
            .order_by("survey__moment", "order"):
        if q.key not in keys:
            keys.append(q.key)
    return keys


@transaction.atomic
def create_standard_surveys(encounter: Encounter) -> list[Survey]:
    """The pre and post surveys with the standard items (idempotent)."""
    surveys = []
    for moment in (Survey.Moment.PRE, Survey.Moment.POST):
        survey, created = Survey.objects.get_or_create(
            encounter=encounter, moment=moment,
            defaults={"title": (_("Before the encounter") if moment == "pre"
                                else _("After the encounter"))})
        if created:
            items = [i for i in STANDARD_ITEMS if moment == "pre" or i[0] != "expectations"]
            if moment == "post":
                items.append(POST_OPEN)
            Question.objects.bulk_create(
                Question(survey=survey, key=key, kind=kind, text=str(text), order=i)
                for i, (key, kind, text) in enumerate(items))
        surveys.append(survey)
    return surveys


def respondent_key(registration: Registration) -> str:
    """Keyed hash of the registration: stable for one person at one encounter, not reversible
    without the server's secret key, and different for every encounter."""
    message = f"{registration.encounter_id}:{registration.pk}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()[:32]


def existing_response(survey: Survey, registration: Registration) -> Response | None:
    return survey.responses.filter(respondent=respondent_key(registration)).first()


@transaction.atomic
def submit(survey: Survey, registration: Registration, data: dict) -> Response:
    """Save (or replace, while the survey is open) a person's answers. ``data`` maps question
    keys to a value 1–5 (Likert, required) or a text (open, optional)."""
    if not survey.is_open:
        raise SurveyError(_("This survey is closed."))
    if registration.encounter_id != survey.encounter_id or \
            registration.status != Registration.Status.REGISTERED:
        raise SurveyError(_("Only people registered for this encounter can answer."))
    questions = list(survey.questions.all())
    answers = []
    for q in questions:
        raw = data.get(q.key)
        if q.kind == Question.Kind.LIKERT:
            try:
                value = int(raw)
            except (TypeError, ValueError):
                value = None
            if value is None or not 1 <= value <= 5:
                raise SurveyError(_("Choose a value from 1 to 5."), field=q.key)
            answers.append(Answer(question=q, value=value))
        else:
            text = (raw or "").strip()[:4000]
            if text:
                answers.append(Answer(question=q, text=text))
    response, _created = Response.objects.update_or_create(
        survey=survey, respondent=respondent_key(registration),
        defaults={"sector": registration.sector, "submitted_at": timezone.now()})
    response.answers.all().delete()
    for a in answers:
        a.response = response
    Answer.objects.bulk_create(answers)
    return response


@dataclass
class Results:
    encounter: Encounter
    keys: list[str]
    texts: dict
    groups: dict  # {"all" | sector: [ItemResult]}
    responses: dict  # moment → count
    rates: dict  # moment → share of eligible people
    eligible: dict


def results(encounter: Encounter) -> Results:
    """Aggregates only (small groups suppressed by the analysis)."""
    keys = likert_keys(encounter)
    texts = {}
    for q in Question.objects.filter(survey__encounter=encounter, kind=Question.Kind.LIKERT):
        texts.setdefault(q.key, q.text)
    values = {"pre": {}, "post": {}}
    sectors = {}
    for moment, key, respondent, sector, value in Answer.objects.filter(
            response__survey__encounter=encounter, question__kind=Question.Kind.LIKERT,
            value__isnull=False).values_list(
            "response__survey__moment", "question__key", "response__respondent",
            "response__sector", "value"):
        values[moment].setdefault(key, {})[respondent] = value
        sectors[respondent] = sector
    groups = analysis.analyse(keys, values["pre"], values["post"], sectors)
    counts = dict(Response.objects.filter(survey__encounter=encounter)
                  .values_list("survey__moment").annotate(n=Count("pk")))
    registered = encounter.registrations.filter(status=Registration.Status.REGISTERED)
    checked_in = registered.filter(checked_in_at__isnull=False).count()
    eligible = {"pre": registered.count(), "post": checked_in or registered.count()}
    rates = {m: analysis.response_rate(counts.get(m, 0), eligible[m]) for m in ("pre", "post")}
    return Results(encounter, keys, texts, groups, {m: counts.get(m, 0) for m in ("pre", "post")},
                   rates, eligible)


def open_answers(survey: Survey):
    """Free-text answers, for the organizers only (they may contain personal details)."""
    return (Answer.objects.filter(response__survey=survey, question__kind=Question.Kind.OPEN)
            .exclude(text="").select_related("question").order_by("question__order", "pk"))
