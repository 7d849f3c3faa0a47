from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from encuentros.core.sectors import Sector
from encuentros.encounters.models import Encounter


class Survey(models.Model):
    """A questionnaire of an encounter, before (pre) or after (post) it."""

    class Moment(models.TextChoices):
        PRE = "pre", _("before the encounter")
        POST = "post", _("after the encounter")

    encounter = models.ForeignKey(Encounter, on_delete=models.CASCADE, related_name="surveys",
                                  verbose_name=_("encounter"))
    moment = models.CharField(_("moment"), max_length=4, choices=Moment.choices)
    title = models.CharField(_("title"), max_length=200)
    intro = models.TextField(_("introduction"), blank=True)
    is_open = models.BooleanField(_("open for answers"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["encounter__number", "moment"]
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        constraints = [models.UniqueConstraint(fields=["encounter", "moment"],
                                               name="one_survey_per_moment")]

    def __str__(self):
        return f"{self.encounter.number} · {self.get_moment_display()}"


class Question(models.Model):
    class Kind(models.TextChoices):
        LIKERT = "likert", _("agreement scale 1–5")
        OPEN = "open", _("open answer")

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    key = models.SlugField(_("key"), max_length=60,
                           help_text=_("Same key in the pre and post survey to compare them."))
    text = models.CharField(_("question"), max_length=300)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.LIKERT)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["survey", "order", "pk"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [models.UniqueConstraint(fields=["survey", "key"],
                                               name="question_key_unique_in_survey")]

    def __str__(self):
        return self.text


class Response(models.Model):
    """One person's answers to one survey, under a pseudonym (a keyed hash of the
    registration): pre and post answers of the same person share it; it reveals nobody."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    respondent = models.CharField(_("pseudonym"), max_length=64)
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)

    class Meta:
        ordering = ["survey", "submitted_at"]
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        constraints = [models.UniqueConstraint(fields=["survey", "respondent"],
                                               name="one_response_per_person")]

    def __str__(self):
        return f"{self.survey} · {self.respondent[:8]}"


class Answer(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    value = models.PositiveSmallIntegerField(_("value"), null=True, blank=True)
    text = models.TextField(_("text"), blank=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [models.UniqueConstraint(fields=["response", "question"],
                                               name="one_answer_per_question")]

    def __str__(self):
        return f"{self.question.key}: {self.value if self.value is not None else '…'}"
