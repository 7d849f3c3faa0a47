"""From idea to delivered result: challenges, proposals, collaborative tables, agreements,
commitments and milestones, initiatives; every change kept in a public history.

State changes go through services.py (workflow rules, history, notifications), never through
direct saves.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MaxValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from encuentros.core.sectors import Sector
from encuentros.core.uploads import validate_new_pdf
from encuentros.ecosystem.models import Organization, Person, Topic
from encuentros.encounters.models import Encounter


class Challenge(models.Model):
    """An urban challenge (reto urbano): a public problem to work on."""

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    topic = models.ForeignKey(Topic, verbose_name=_("topic"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="challenges")
    agencies = models.ManyToManyField(Organization, verbose_name=_("agencies concerned"),
                                      blank=True, related_name="challenges")
    encounter = models.ForeignKey(Encounter, verbose_name=_("encounter"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="challenges")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title"]
        verbose_name = _("urban challenge")
        verbose_name_plural = _("urban challenges")

    def __str__(self):
        return self.title


class Proposal(models.Model):
    """A citizen proposal: a solution idea that uses government data."""

    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("proposal status", "Draft")
        SUBMITTED = "submitted", _("Submitted")
        UNDER_REVIEW = "under_review", _("Under review")
        SELECTED = "selected", _("Selected")
        IN_TABLE = "in_table", _("In a collaborative table")
        IMPLEMENTED = "implemented", _("Implemented")
        NOT_SELECTED = "not_selected", _("Not selected")

    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("author"), null=True,
                               blank=True, on_delete=models.SET_NULL, related_name="proposals")
    author_organization = models.ForeignKey(
        Organization, verbose_name=_("author's organization"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="proposals")
    team = models.CharField(
        _("team"), max_length=300, blank=True,
        help_text=_("Who works on it, as it may be shown publicly (names only with their "
                    "consent, or the name of the group)."))
    challenge = models.ForeignKey(Challenge, verbose_name=_("urban challenge"), null=True,
                                  blank=True, on_delete=models.SET_NULL, related_name="proposals")
    encounter = models.ForeignKey(Encounter, verbose_name=_("encounter where it was presented"),
                                  null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="proposals")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices,
                              default=Status.DRAFT, db_index=True)
    status_reason = models.TextField(
        _("public reason"), blank=True,
        help_text=_("Why it was not selected; shown publicly."))
    support_count = models.PositiveIntegerField(_("supports"), default=0, editable=False)
    # Data needs: demand is counted once, as opendata DataRequests (migration 0002).
    data_requests = models.ManyToManyField("opendata.DataRequest", blank=True,
                                           related_name="proposals",
                                           verbose_name=_("data needed (data requests)"))
    datasets = models.ManyToManyField("opendata.Dataset", blank=True, related_name="proposals",
                                      verbose_name=_("datasets used"))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("citizen proposal")
        verbose_name_plural = _("citizen proposals")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("collaboration:proposal", args=[self.pk])

    @property
    def is_public(self) -> bool:
        return self.status != self.Status.DRAFT


class Support(models.Model):
    """One account supports a proposal once."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="supports")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="proposal_supports")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("support")
        verbose_name_plural = _("supports")
        constraints = [models.UniqueConstraint(fields=["proposal", "user"],
                                               name="one_support_per_account")]

    def __str__(self):
        return f"{self.user} → {self.proposal}"


class Review(models.Model):
    """An organizer's review of a proposal, with a score per criterion (1–5)."""

    CRITERIA = {
        "impact": _("Public impact"),
        "feasibility": _("Feasibility"),
        "data": _("Data available or obtainable"),
        "collaboration": _("Cross-sector collaboration"),
    }

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("reviewer"),
                                 null=True, on_delete=models.SET_NULL, related_name="+")
    scores = models.JSONField(_("scores"), default=dict)
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        constraints = [models.UniqueConstraint(fields=["proposal", "reviewer"],
                                               name="one_review_per_reviewer")]

    def __str__(self):
        return f"{self.proposal} ({self.total})"

    @property
    def total(self) -> float:
        values = [v for v in self.scores.values() if isinstance(v, int | float)]
        return round(sum(values) / len(values), 2) if values else 0.0


class CollaborativeTable(models.Model):
    """A mesa colaborativa: people from several sectors working on one challenge."""

    class Status(models.TextChoices):
        FORMING = "forming", _("Forming")
        ACTIVE = "active", _("Active")
        CONCLUDED = "concluded", _("Concluded")
        SUSPENDED = "suspended", _("Suspended")
        UNKNOWN = "unknown", _("Status not recorded")

    name = models.CharField(_("name"), max_length=200)
    challenge = models.ForeignKey(Challenge, verbose_name=_("urban challenge"), null=True,
                                  blank=True, on_delete=models.SET_NULL, related_name="tables")
    encounter = models.ForeignKey(Encounter, verbose_name=_("encounter"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="collaborative_tables")
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices,
                              default=Status.FORMING, db_index=True)
    proposals = models.ManyToManyField(Proposal, verbose_name=_("proposals"), blank=True,
                                       related_name="tables")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("collaborative table")
        verbose_name_plural = _("collaborative tables")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("collaboration:table", args=[self.pk])


class TableMember(models.Model):
    class Role(models.TextChoices):
        COORDINATOR = "coordinator", _("Coordinator")
        DATA_HOLDER = "data_holder", _("Data holder")
        ACADEMIA = "academia", _("Academia")
        CIVIL_SOCIETY = "civil_society", _("Civil society")
        CITIZEN = "citizen", _("Citizen")
        PRIVATE = "private", _("Private sector")
        OTHER = "other", _("Other")

    table = models.ForeignKey(CollaborativeTable, on_delete=models.CASCADE,
                              related_name="members")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.OTHER)
    person = models.ForeignKey(Person, verbose_name=_("person"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="table_memberships")
    organization = models.ForeignKey(Organization, verbose_name=_("organization"), null=True,
                                     blank=True, on_delete=models.SET_NULL,
                                     related_name="table_memberships")
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices)

    class Meta:
        ordering = ["table", "role", "pk"]
        verbose_name = _("table member")
        verbose_name_plural = _("table members")

    def __str__(self):
        return f"{self.table}: {self.get_role_display()}"

    @property
    def public_name(self) -> str:
        if self.person_id and self.person.public_profile:
            return self.person.full_name
        return ""


class TableSession(models.Model):
    table = models.ForeignKey(CollaborativeTable, on_delete=models.CASCADE,
                              related_name="sessions")
    date = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=200, blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    minutes_url = models.URLField(_("minutes link"), blank=True)

    class Meta:
        ordering = ["table", "date", "pk"]
        verbose_name = _("table session")
        verbose_name_plural = _("table sessions")

    def __str__(self):
        return f"{self.table} — {self.date}"


class Agreement(models.Model):
    class Kind(models.TextChoices):
        AGREEMENT = "agreement", _("Agreement")
        LETTER_OF_INTENT = "letter_of_intent", _("Letter of intent")
        COVENANT = "covenant", _("Covenant (convenio)")
        EXPRESSION_OF_INTEREST = "expression_of_interest", _("Expression of interest")

    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices,
                            default=Kind.AGREEMENT)
    title = models.CharField(_("title"), max_length=250)
    text = models.TextField(_("text"), blank=True)
    document = models.FileField(_("signed document (PDF)"), upload_to="agreements/",
                                blank=True, validators=[validate_new_pdf])
    signatories = models.ManyToManyField(Organization, verbose_name=_("signatory organizations"),
                                         blank=True, related_name="agreements")
    signatories_note = models.CharField(
        _("signatories as stated"), max_length=300, blank=True,
        help_text=_("When the signatories are known only by a description "
                    "(e.g. 'several universities')."))
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    encounter = models.ForeignKey(Encounter, verbose_name=_("encounter"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="agreements")
    table = models.ForeignKey(CollaborativeTable, verbose_name=_("collaborative table"),
                              null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="agreements")
    source = models.CharField(_("source"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-signed_on", "-pk"]
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("collaboration:agreement", args=[self.pk])


class Commitment(models.Model):
    """What an agreement or a table promised. Progress is its own percentage, or, when it has
    milestones, the share of milestones completed (kept in ``progress`` by the services)."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        IN_PROGRESS = "in_progress", _("In progress")
        COMPLETED = "completed", _("Completed")
        DELAYED = "delayed", _("Delayed")
        CANCELLED = "cancelled", _("Cancelled")

    title = models.CharField(_("title"), max_length=250)
    description = models.TextField(_("description"), blank=True)
    agreement = models.ForeignKey(Agreement, verbose_name=_("agreement"), null=True, blank=True,
                                  on_delete=models.CASCADE, related_name="commitments")
    table = models.ForeignKey(CollaborativeTable, verbose_name=_("collaborative table"),
                              null=True, blank=True, on_delete=models.CASCADE,
                              related_name="commitments")
    responsible = models.ForeignKey(Organization, verbose_name=_("responsible organization"),
                                    null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="commitments")
    due_date = models.DateField(_("due date"), null=True, blank=True)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0,
                                                validators=[MaxValueValidator(100)])
    status = models.CharField(_("status"), max_length=20, choices=Status.choices,
                              default=Status.NOT_STARTED, db_index=True)
    status_reason = models.TextField(_("public reason"), blank=True,
                                     help_text=_("Required when delayed or cancelled."))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due_date", "pk"]
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        constraints = [
            models.CheckConstraint(condition=models.Q(agreement__isnull=False)
                                   | models.Q(table__isnull=False),
                                   name="commitment_under_agreement_or_table"),
            models.CheckConstraint(condition=models.Q(progress__lte=100),
                                   name="commitment_progress_at_most_100"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("collaboration:commitment", args=[self.pk])

    @property
    def is_overdue(self) -> bool:
        return bool(self.due_date and self.due_date < timezone.localdate()
                    and self.status not in (self.Status.COMPLETED, self.Status.CANCELLED))

    @property
    def encounter(self):
        if self.agreement_id and self.agreement.encounter_id:
            return self.agreement.encounter
        if self.table_id:
            return self.table.encounter
        return None


class Milestone(models.Model):
    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE,
                                   related_name="milestones")
    title = models.CharField(_("title"), max_length=250)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    done = models.BooleanField(_("done"), default=False)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    evidence_url = models.URLField(_("evidence link"), blank=True)

    class Meta:
        ordering = ["commitment", "due_date", "pk"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")

    def __str__(self):
        return self.title


class Initiative(models.Model):
    """What grew out of an encounter (e.g. Mapatón from the 2nd)."""

    class Status(models.TextChoices):
        ANNOUNCED = "announced", _("Announced")
        ONGOING = "ongoing", _("Ongoing")
        DELIVERED = "delivered", _("Delivered")
        DISCONTINUED = "discontinued", _("Discontinued")
        UNKNOWN = "unknown", _("Status not recorded")

    name = models.CharField(_("name"), max_length=200)
    key = models.SlugField(_("key"), max_length=120, unique=True)
    description = models.TextField(_("description"), blank=True)
    url = models.URLField(_("link"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices,
                              default=Status.UNKNOWN)
    encounter = models.ForeignKey(Encounter, verbose_name=_("encounter of origin"),
                                  on_delete=models.CASCADE, related_name="initiatives")
    proposals = models.ManyToManyField(Proposal, verbose_name=_("proposals"), blank=True,
                                       related_name="initiatives")
    tables = models.ManyToManyField(CollaborativeTable, verbose_name=_("collaborative tables"),
                                    blank=True, related_name="initiatives")
    source = models.CharField(_("source"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["encounter__number", "order", "pk"]
        verbose_name = _("derived initiative")
        verbose_name_plural = _("derived initiatives")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("collaboration:encounter", args=[self.encounter.number])


class ChangeRecord(models.Model):
    """One change to a followed object: who (shown publicly only as organization/role), when,
    which fields went from what to what. Never edited, never deleted by the services."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("actor"), null=True,
                              blank=True, on_delete=models.SET_NULL, related_name="+")
    actor_label = models.CharField(_("public actor"), max_length=250, blank=True)
    actor_role = models.CharField(_("actor's role"), max_length=20, blank=True)
    action = models.CharField(_("action"), max_length=40)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("change record")
        verbose_name_plural = _("change records")
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self):
        return f"{self.content_type.model} #{self.object_id}: {self.action}"


class Follow(models.Model):
    """An account follows an object and is emailed when its state changes."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="collaboration_follows")
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("follow")
        verbose_name_plural = _("follows")
        constraints = [models.UniqueConstraint(fields=["user", "content_type", "object_id"],
                                               name="one_follow_per_object")]

    def __str__(self):
        return f"{self.user} → {self.content_type.model} #{self.object_id}"
