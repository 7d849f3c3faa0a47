from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from encuentros.ecosystem.models import Organization, Person, Topic
from encuentros.encounters.models import Encounter


class Dataset(models.Model):
    """A catalog entry, imported from a portal (CKAN, DCAT, data.json) or entered by hand."""

    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    publisher = models.ForeignKey(Organization, verbose_name=_("publisher"), null=True,
                                  blank=True, on_delete=models.SET_NULL, related_name="datasets")
    themes = models.ManyToManyField(Topic, verbose_name=_("themes"), blank=True,
                                    related_name="datasets")
    keywords = models.JSONField(_("keywords"), default=list, blank=True)
    formats = models.JSONField(_("formats"), default=list, blank=True)
    licence = models.CharField(_("licence"), max_length=200, blank=True)
    landing_url = models.URLField(_("landing page"), max_length=500, blank=True)
    source_catalog = models.CharField(_("source catalog"), max_length=300, blank=True)
    identifier = models.CharField(_("identifier"), max_length=300)
    modified = models.DateField(_("modified"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title"]
        verbose_name = _("dataset")
        verbose_name_plural = _("datasets")
        constraints = [models.UniqueConstraint(fields=["source_catalog", "identifier"],
                                               name="dataset_unique_in_catalog")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("opendata:dataset", args=[self.pk])


class DataRequest(models.Model):
    """"I need this information": demand for data, public, voted, followed to an answer."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        MATCHED = "matched", _("matched with an agency")
        IN_PROGRESS = "in_progress", _("in progress")
        PUBLISHED = "published", _("published")
        DECLINED = "declined", _("declined")

    title = models.CharField(_("what information"), max_length=200)
    problem = models.TextField(_("why: the public problem it helps with"))
    topic = models.ForeignKey(Topic, verbose_name=_("topic"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="data_requests")
    agency = models.ForeignKey(Organization, verbose_name=_("agency believed to hold it"),
                               null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="data_requests")
    desired_format = models.CharField(_("desired format"), max_length=100, blank=True)
    frequency = models.CharField(_("desired frequency"), max_length=100, blank=True)
    encounter = models.ForeignKey(Encounter, verbose_name=_("encounter"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="data_requests")
    requester = models.ForeignKey(Person, verbose_name=_("requester"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="data_requests")
    requester_sector = models.CharField(_("sector of the requester"), max_length=20, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices,
                              default=Status.OPEN)
    public_reason = models.TextField(_("public reason"), blank=True)
    agency_response = models.TextField(_("agency's response"), blank=True)
    datasets = models.ManyToManyField(Dataset, verbose_name=_("datasets that answer it"),
                                      blank=True, related_name="answers")
    votes_count = models.PositiveIntegerField(_("supports"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-votes_count", "-created_at"]
        verbose_name = _("data request")
        verbose_name_plural = _("data requests")
        indexes = [models.Index(fields=["status"]),
                   # the default order: lists read their first page off the index, no sort
                   models.Index(fields=["-votes_count", "-created_at"],
                                name="datarequest_ranking_idx")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("opendata:request", args=[self.pk])


class Vote(models.Model):
    request = models.ForeignKey(DataRequest, on_delete=models.CASCADE, related_name="votes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="data_request_votes")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("support")
        verbose_name_plural = _("supports")
        constraints = [models.UniqueConstraint(fields=["request", "user"], name="one_vote_each")]

    def __str__(self):
        return f"{self.request_id} · {self.user_id}"


class Comment(models.Model):
    request = models.ForeignKey(DataRequest, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                               related_name="data_request_comments")
    body = models.TextField(_("comment"), max_length=4000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")

    def __str__(self):
        return self.body[:60]


class StatusChange(models.Model):
    """Public history of a request's status (who is shown only by role, never by name)."""

    request = models.ForeignKey(DataRequest, on_delete=models.CASCADE, related_name="history")
    old = models.CharField(max_length=12)
    new = models.CharField(max_length=12)
    reason = models.TextField(blank=True)
    by_role = models.CharField(max_length=40, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")

    def __str__(self):
        return f"{self.old} → {self.new}"


class Match(models.Model):
    """A meeting made by matchmaking: a data request with the agency likely to hold the data."""

    encounter = models.ForeignKey(Encounter, on_delete=models.CASCADE, related_name="matches")
    request = models.ForeignKey(DataRequest, on_delete=models.CASCADE, related_name="matches")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE,
                                     related_name="matches")
    score = models.FloatField(_("compatibility"))
    explanation = models.CharField(_("why"), max_length=500, blank=True)
    slot = models.PositiveSmallIntegerField(_("time slot"), default=1)
    table = models.PositiveSmallIntegerField(_("table"), default=1)
    edited = models.BooleanField(_("edited by the organizers"), default=False)

    class Meta:
        ordering = ["slot", "table"]
        verbose_name = _("match")
        verbose_name_plural = _("matches")
        constraints = [models.UniqueConstraint(fields=["encounter", "request"],
                                               name="one_match_per_request")]

    def __str__(self):
        return f"{self.request} ↔ {self.organization}"
