from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from encuentros.core.sectors import Sector
from encuentros.ecosystem.models import Organization


class Instrument(models.Model):
    """One version of an openness instrument, defined by a YAML file (see schema.py).

    ``spec`` is the validated, normalized definition; ``source_text`` the file as loaded.
    A (slug, version) is immutable once it has assessments: changes need a new version.
    """

    slug = models.SlugField(_("slug"), max_length=80)
    version = models.CharField(_("version"), max_length=20)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    source = models.TextField(_("source"), blank=True)
    sectors = models.JSONField(_("sectors"), default=list)
    spec = models.JSONField(_("definition"))
    source_text = models.TextField(_("YAML file"))
    is_active = models.BooleanField(_("active"), default=True,
                                    help_text=_("Active instruments can be answered."))
    loaded_at = models.DateTimeField(_("loaded at"), auto_now=True)

    class Meta:
        ordering = ["slug", "-loaded_at"]
        verbose_name = _("instrument")
        verbose_name_plural = _("instruments")
        constraints = [models.UniqueConstraint(fields=["slug", "version"],
                                               name="openness_instrument_slug_version")]

    def __str__(self):
        return f"{self.title} (v{self.version})"

    def get_absolute_url(self):
        return reverse("openness:instrument", args=[self.slug]) + f"?version={self.version}"

    @property
    def indicator_count(self) -> int:
        return sum(len(c["indicators"]) for p in self.spec["pillars"] for c in p["components"])


class Assessment(models.Model):
    """One organization's answers to one instrument, for one period and perspective."""

    class Perspective(models.TextChoices):
        SELF = "self", _("Self-assessment")
        EXTERNAL = "external", _("External review")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")

    instrument = models.ForeignKey(Instrument, verbose_name=_("instrument"),
                                   on_delete=models.PROTECT, related_name="assessments")
    organization = models.ForeignKey(Organization, verbose_name=_("organization"),
                                     on_delete=models.CASCADE,
                                     related_name="openness_assessments")
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices,
                              help_text=_("The organization's sector when it was assessed."))
    perspective = models.CharField(_("perspective"), max_length=10, choices=Perspective.choices,
                                   default=Perspective.SELF)
    period = models.CharField(_("period"), max_length=20,
                              help_text=_("A year (2026) or a part of it (2026-S1, 2026-Q3)."))
    encounter = models.ForeignKey("encounters.Encounter", verbose_name=_("encounter"),
                                  null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="openness_assessments")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.DRAFT)
    # Who entered it is private: never shown on public pages, the API or exports.
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("entered by"),
                                   null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Scores computed on submission (scoring.Result.as_dict()).
    overall = models.FloatField(_("overall score"), null=True, blank=True)
    results = models.JSONField(_("results"), default=dict, blank=True)

    class Meta:
        ordering = ["-period", "organization__name"]
        verbose_name = _("openness assessment")
        verbose_name_plural = _("openness assessments")
        constraints = [models.UniqueConstraint(
            fields=["instrument", "organization", "perspective", "period"],
            name="openness_assessment_unique_period")]
        indexes = [models.Index(fields=["status", "period"]),
                   models.Index(fields=["sector", "period"])]

    def __str__(self):
        return f"{self.organization} · {self.period} · {self.get_perspective_display()}"

    def get_absolute_url(self):
        return reverse("openness:assessment", args=[self.pk])

    @property
    def is_submitted(self) -> bool:
        return self.status == self.Status.SUBMITTED


class Answer(models.Model):
    """The answer to one indicator: an option value (or a number), "na" or "dk"."""

    assessment = models.ForeignKey(Assessment, verbose_name=_("assessment"),
                                   on_delete=models.CASCADE, related_name="answers")
    indicator = models.CharField(_("indicator"), max_length=40)
    value = models.CharField(_("answer"), max_length=40)
    score = models.FloatField(_("score"), null=True, blank=True,
                              help_text=_("0–1; empty for not applicable or don't know."))
    evidence_url = models.URLField(_("evidence link"), max_length=500, blank=True)

    class Meta:
        ordering = ["assessment", "id"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [models.UniqueConstraint(fields=["assessment", "indicator"],
                                               name="openness_answer_unique_indicator")]

    def __str__(self):
        return f"{self.indicator}: {self.value}"
