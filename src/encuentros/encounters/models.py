import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from encuentros.core.sectors import Sector
from encuentros.ecosystem.models import Organization, Person, Topic


class Venue(models.Model):
    name = models.CharField(_("name"), max_length=200)
    address = models.CharField(_("address"), max_length=300, blank=True)
    city = models.CharField(_("city"), max_length=120, default="Ciudad de México")
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("venue")
        verbose_name_plural = _("venues")

    def __str__(self):
        return self.name


class Encounter(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        UPCOMING = "upcoming", _("Upcoming")
        ONGOING = "ongoing", _("In progress")
        PAST = "past", _("Past")

    number = models.PositiveIntegerField(_("number"), unique=True,
                                         help_text=_("Edition number: 1 for the first encounter."))
    title = models.CharField(_("title"), max_length=200)
    theme = models.CharField(_("theme"), max_length=200, blank=True)
    objective = models.TextField(_("objective"), blank=True)
    scope = models.TextField(_("scope and outcomes"), blank=True)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    venue = models.ForeignKey(Venue, verbose_name=_("venue"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="encounters")
    other_venues = models.ManyToManyField(Venue, verbose_name=_("other venues"), blank=True,
                                          related_name="+")
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True,
                                           help_text=_("Leave empty for no limit."))
    registration_open = models.BooleanField(_("registration open"), default=False)
    is_published = models.BooleanField(_("published"), default=True)
    topics = models.ManyToManyField(Topic, verbose_name=_("topics"), blank=True)
    organizers = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("organizers"),
                                        blank=True, related_name="organized_encounters")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-number"]
        verbose_name = _("encounter")
        verbose_name_plural = _("encounters")
        constraints = [
            models.CheckConstraint(condition=models.Q(end_date__gte=models.F("start_date")),
                                   name="encounter_dates_ordered"),
        ]

    def __str__(self):
        return f"{self.number}. {self.title}"

    def get_absolute_url(self):
        return reverse("encounters:detail", args=[self.number])

    @property
    def status(self) -> str:
        if not self.is_published:
            return self.Status.DRAFT
        today = timezone.localdate()
        if today < self.start_date:
            return self.Status.UPCOMING
        if today > self.end_date:
            return self.Status.PAST
        return self.Status.ONGOING

    def get_status_display(self):
        return self.Status(self.status).label

    @property
    def venue_names(self) -> str:
        names = [self.venue.name] if self.venue else []
        names += [v.name for v in self.other_venues.all()]
        return " · ".join(names)

    @property
    def accepts_registrations(self) -> bool:
        return self.is_published and self.registration_open and self.status != self.Status.PAST


class AgendaItem(models.Model):
    class Kind(models.TextChoices):
        TALK = "talk", _("Talk")
        DIALOGUE = "dialogue", _("Dialogue")
        WORKSHOP = "workshop", _("Workshop")
        TABLE_DYNAMIC = "table_dynamic", _("Table dynamic")
        SIGNING = "signing", _("Signing")
        BREAK = "break", _("Break")
        OTHER = "other", _("Other")

    encounter = models.ForeignKey(Encounter, on_delete=models.CASCADE, related_name="agenda")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.TALK)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True)
    room = models.CharField(_("room"), max_length=120, blank=True)
    speakers = models.ManyToManyField(
        Person, verbose_name=_("speakers"), blank=True, related_name="agenda_items",
        help_text=_("Only speakers with a public profile are named on public pages."),
    )
    speaker_organizations = models.ManyToManyField(
        Organization, verbose_name=_("speaking organizations"), blank=True, related_name="+")

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(ends_at__isnull=True)
                           | models.Q(ends_at__gt=models.F("starts_at"))),
                name="agenda_item_times_ordered",
            ),
        ]

    def __str__(self):
        return self.title


def new_badge_token() -> str:
    return secrets.token_urlsafe(9)  # 12 url-safe characters, ~72 bits


class Registration(models.Model):
    class Status(models.TextChoices):
        REGISTERED = "registered", _("Registered")
        WAITLISTED = "waitlisted", _("Waitlisted")
        CANCELLED = "cancelled", _("Cancelled")

    encounter = models.ForeignKey(Encounter, on_delete=models.CASCADE,
                                  related_name="registrations", verbose_name=_("encounter"))
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="registrations",
                               verbose_name=_("person"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices,
                              default=Status.REGISTERED)
    # Snapshot at registration time: people change jobs, the encounter's counts must not.
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices)
    organization = models.ForeignKey(Organization, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="registrations",
                                     verbose_name=_("organization"))
    topics = models.ManyToManyField(Topic, blank=True, verbose_name=_("topics of interest"))
    accessibility_needs = models.TextField(_("accessibility needs"), blank=True)
    badge_token = models.CharField(_("badge code"), max_length=32, unique=True,
                                   default=new_badge_token, editable=False)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    checked_in_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                      on_delete=models.SET_NULL, related_name="+")
    source = models.CharField(_("source"), max_length=20, default="web",
                              help_text=_("web, import, admin or demo"))
    created_at = models.DateTimeField(_("registered at"), default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.UniqueConstraint(fields=["encounter", "person"],
                                    name="one_registration_per_person"),
        ]
        indexes = [models.Index(fields=["encounter", "status", "created_at"]),
                   # check-in desk: latest arrivals and the checked-in count
                   models.Index(fields=["encounter", "checked_in_at"],
                                name="registration_checkin_idx"),
                   # the door's counter (confirmed and arrived), from the index alone
                   models.Index(fields=["encounter", "status", "checked_in_at"],
                                name="registration_door_idx"),
                   # where each organization took part (directory API), from the index alone
                   models.Index(fields=["organization", "status", "encounter"],
                                name="registration_org_idx")]

    def __str__(self):
        return f"{self.person} @ {self.encounter.number}"


class ReportedAttendance(models.Model):
    """Aggregate attendance for encounters that predate the platform (as the source states it).

    ``sector`` empty means the source does not say; ``people``/``organizations`` empty mean the
    source does not give that number. Nothing is inferred.
    """

    encounter = models.ForeignKey(Encounter, on_delete=models.CASCADE,
                                  related_name="reported_attendance")
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices, blank=True,
                              null=True)
    people = models.PositiveIntegerField(_("people"), null=True, blank=True)
    organizations = models.PositiveIntegerField(_("organizations"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        ordering = ["encounter", "pk"]
        verbose_name = _("reported attendance")
        verbose_name_plural = _("reported attendance")

    def __str__(self):
        return f"{self.encounter.number}: {self.sector or '?'} {self.people}"


class SeatingPlan(models.Model):
    """Tables × rounds for a table dynamic: who sits where, round by round."""

    class Source(models.TextChoices):
        CHECKED_IN = "checked_in", _("People checked in")
        REGISTERED = "registered", _("People registered")

    encounter = models.ForeignKey(Encounter, on_delete=models.CASCADE,
                                  related_name="seating_plans", verbose_name=_("encounter"))
    agenda_item = models.ForeignKey(AgendaItem, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="seating_plans",
                                    verbose_name=_("table dynamic"))
    title = models.CharField(_("title"), max_length=200)
    table_size = models.PositiveSmallIntegerField(_("people per table"))
    rounds = models.PositiveSmallIntegerField(_("rounds"))
    source = models.CharField(_("who is seated"), max_length=12, choices=Source.choices,
                              default=Source.CHECKED_IN)
    prefer_shared_topics = models.BooleanField(_("seat people with shared topics together"),
                                               default=False)
    rounds_held = models.PositiveSmallIntegerField(
        _("rounds already held"), default=0,
        help_text=_("Rounds that already took place stay as they were when re-optimising."))
    method = models.CharField(_("method"), max_length=60, blank=True)
    repeated_pairs = models.PositiveIntegerField(_("repeated pairs"), default=0)
    seconds = models.FloatField(_("seconds to compute"), default=0)
    seed = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("seating plan")
        verbose_name_plural = _("seating plans")

    def __str__(self):
        return self.title

    @property
    def method_display(self) -> str:
        from .seating import method_label

        return method_label(self.method)


class Seat(models.Model):
    plan = models.ForeignKey(SeatingPlan, on_delete=models.CASCADE, related_name="seats")
    registration = models.ForeignKey(Registration, on_delete=models.CASCADE,
                                     related_name="seats", verbose_name=_("registration"))
    round = models.PositiveSmallIntegerField(_("round"))  # 1-based
    table = models.PositiveSmallIntegerField(_("table"))  # 1-based
    locked = models.BooleanField(_("locked"), default=False,
                                 help_text=_("Kept at this table when re-optimising."))

    class Meta:
        ordering = ["plan", "round", "table", "pk"]
        verbose_name = _("seat")
        verbose_name_plural = _("seats")
        constraints = [
            models.UniqueConstraint(fields=["plan", "registration", "round"],
                                    name="one_seat_per_round"),
        ]
        indexes = [models.Index(fields=["plan", "round", "table"])]

    def __str__(self):
        return f"R{self.round} T{self.table}: {self.registration_id}"
