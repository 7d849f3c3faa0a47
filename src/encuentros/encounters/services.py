"""Domain logic for encounters: registration with capacity and waitlist, check-in, attendance."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from encuentros.core.sectors import Sector
from encuentros.ecosystem.models import Person
from encuentros.ecosystem.services import get_or_create_organization, upsert_person

from .models import Encounter, Registration, ReportedAttendance


class RegistrationError(Exception):
    """A registration that cannot be made; ``field`` names the form field at fault."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class AlreadyRegistered(RegistrationError):
    def __init__(self, emails: list[str]):
        self.emails = emails
        super().__init__(
            _("The email %(email)s is already registered for this encounter.")
            % {"email": ", ".join(emails)}, field="email")


@dataclass
class RegistrationData:
    full_name: str
    email: str
    sector: str
    organization_name: str = ""  # empty: no organization
    topics: tuple = ()
    public_profile: bool = False
    accessibility_needs: str = ""
    phone: str = ""


def _lock_encounter(encounter_id: int) -> Encounter:
    # The row lock serializes capacity decisions for one encounter (PostgreSQL); on SQLite the
    # IMMEDIATE transaction mode already holds the database write lock.
    return Encounter.objects.select_for_update().get(pk=encounter_id)


def _registered_count(encounter: Encounter) -> int:
    return encounter.registrations.filter(status=Registration.Status.REGISTERED).count()


def _status_for_new(encounter: Encounter) -> str:
    if encounter.capacity is None:
        return Registration.Status.REGISTERED
    has_queue = encounter.registrations.filter(status=Registration.Status.WAITLISTED).exists()
    if has_queue or _registered_count(encounter) >= encounter.capacity:
        return Registration.Status.WAITLISTED
    return Registration.Status.REGISTERED


def register(encounter: Encounter, data: RegistrationData, *, user=None, source: str = "web",
             check_open: bool = True) -> Registration:
    """Register a person; beyond capacity the registration goes to the waitlist.

    Raises RegistrationError for a closed registration or an email already registered.
    """
    with transaction.atomic():
        encounter = _lock_encounter(encounter.pk)
        if check_open and not encounter.accepts_registrations:
            raise RegistrationError(_("Registration for this encounter is closed."))
        return _register_locked(encounter, data, user=user, source=source)


def _register_locked(encounter: Encounter, data: RegistrationData, *, user=None,
                     source: str) -> Registration:
    email = data.email.strip().lower()
    if not email:
        raise RegistrationError(_("An email address is required."), field="email")
    sector = data.sector or (Sector.CITIZEN if not data.organization_name else "")
    if sector not in Sector.values:
        raise RegistrationError(_("Choose a sector."), field="sector")
    existing = (Registration.objects.filter(encounter=encounter, person__email=email)
                .exclude(status=Registration.Status.CANCELLED).exists())
    if existing:
        raise RegistrationError(
            _("The email %(email)s is already registered for this encounter.") % {"email": email},
            field="email",
        )
    owner = Person.objects.filter(email=email, user__isnull=False).values_list("user_id", flat=True)
    owner_id = owner.first()
    if owner_id is not None and (user is None or user.pk != owner_id) and source == "web":
        raise RegistrationError(
            _("This email belongs to an account. Log in to register with it."), field="email")
    organization = None
    if data.organization_name.strip():
        organization, _created = get_or_create_organization(data.organization_name, sector)
    person = upsert_person(full_name=data.full_name, email=email, sector=sector,
                           organization=organization, public_profile=data.public_profile,
                           phone=data.phone, user=user)
    if data.topics:
        person.topics.add(*data.topics)
    status = _status_for_new(encounter)
    registration = Registration.objects.filter(encounter=encounter, person=person).first()
    try:
        with transaction.atomic():
            if registration is None:  # a cancelled registration is reused on re-registration
                registration = Registration(encounter=encounter, person=person)
            registration.status = status
            registration.sector = sector
            registration.organization = organization
            registration.accessibility_needs = data.accessibility_needs
            registration.source = source
            registration.created_at = timezone.now()
            registration.checked_in_at = None
            registration.save()
    except IntegrityError as exc:  # a concurrent request for the same person won the race
        raise RegistrationError(
            _("The email %(email)s is already registered for this encounter.") % {"email": email},
            field="email",
        ) from exc
    registration.topics.set(data.topics)
    return registration


def register_many(encounter: Encounter, items: list[RegistrationData], *,
                  source: str = "import") -> list[Registration]:
    """Register many people at once (imports): the same rules as ``register``, in bulk.

    One transaction holds the encounter lock; organizations, people and topics are matched in
    memory (case/accent-insensitive), so the query count does not grow with each row.
    Raises AlreadyRegistered listing every email already registered for the encounter.
    """
    from encuentros.ecosystem.services import OrganizationMatcher, TopicMatcher

    with transaction.atomic():
        encounter = _lock_encounter(encounter.pk)
        emails = [d.email.strip().lower() for d in items]
        taken = set(Registration.objects.filter(encounter=encounter, person__email__in=emails)
                    .exclude(status=Registration.Status.CANCELLED)
                    .values_list("person__email", flat=True))
        if taken:
            raise AlreadyRegistered([e for e in emails if e in taken])
        orgs, topics = OrganizationMatcher(), TopicMatcher()
        people = {p.email: p for p in Person.objects.filter(email__in=emails)}
        new_people, changed_people = [], []
        for data, email in zip(items, emails, strict=True):
            org = orgs.get_or_create(data.organization_name, data.sector) \
                if data.organization_name.strip() else None
            person = people.get(email)
            if person is None:
                person = Person(email=email)
                people[email] = person
                new_people.append(person)
            else:
                changed_people.append(person)
            person.full_name = " ".join(data.full_name.split())
            person.sector, person.organization = data.sector, org
            person.public_profile = data.public_profile
            if data.phone:
                person.phone = data.phone
        Person.objects.bulk_create(new_people)
        Person.objects.bulk_update(changed_people,
                                   ["full_name", "sector", "organization", "public_profile",
                                    "phone"], batch_size=200)
        existing = {r.person_id: r for r in Registration.objects.filter(
            encounter=encounter, person__in=[people[e] for e in emails])}
        registered = _registered_count(encounter)
        queue = encounter.registrations.filter(status=Registration.Status.WAITLISTED).exists()
        now = timezone.now()
        result, to_create, to_update = [], [], []
        person_topics, reg_topics = [], []
        for i, (data, email) in enumerate(zip(items, emails, strict=True)):
            person = people[email]
            full = encounter.capacity is not None and (queue or registered >= encounter.capacity)
            status = Registration.Status.WAITLISTED if full else Registration.Status.REGISTERED
            registered += status == Registration.Status.REGISTERED
            queue = queue or full
            reg = existing.get(person.pk) or Registration(encounter=encounter, person=person)
            reg.status, reg.sector, reg.organization = status, data.sector, person.organization
            reg.accessibility_needs, reg.source = data.accessibility_needs, source
            reg.created_at = now + timedelta(microseconds=i)  # keeps the file's order
            reg.checked_in_at = None
            (to_update if reg.pk else to_create).append(reg)
            result.append(reg)
            topic_objs = topics.get_or_create_many(data.topics)
            person_topics += [(person.pk, t.pk) for t in topic_objs]
            reg_topics.append((reg, topic_objs))
        Registration.objects.bulk_create(to_create)
        Registration.objects.bulk_update(to_update, ["status", "sector", "organization",
                                                     "accessibility_needs", "source",
                                                     "created_at", "checked_in_at"],
                                         batch_size=200)
        PersonTopic = Person.topics.through
        PersonTopic.objects.bulk_create(
            [PersonTopic(person_id=p, topic_id=t) for p, t in set(person_topics)],
            ignore_conflicts=True)
        RegTopic = Registration.topics.through
        RegTopic.objects.filter(registration__in=to_update).delete()
        RegTopic.objects.bulk_create(
            [RegTopic(registration_id=reg.pk, topic_id=t.pk)
             for reg, objs in reg_topics for t in {o.pk: o for o in objs}.values()])
        attendance_changed(encounter.pk)  # bulk writes send no signals
        return result


def cancel(registration: Registration) -> Registration | None:
    """Cancel a registration; if it held a seat, promote the first person on the waitlist.

    Returns the promoted registration, if any.
    """
    with transaction.atomic():
        encounter = _lock_encounter(registration.encounter_id)
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if registration.status == Registration.Status.CANCELLED:
            return None
        held_seat = registration.status == Registration.Status.REGISTERED
        registration.status = Registration.Status.CANCELLED
        registration.save(update_fields=["status", "updated_at"])
        if held_seat:
            return promote_waitlist(encounter)
    return None


def promote_waitlist(encounter: Encounter) -> Registration | None:
    """Fill free seats from the waitlist in order of arrival. Call inside the encounter lock."""
    promoted = None
    while encounter.capacity is None or _registered_count(encounter) < encounter.capacity:
        nxt = (encounter.registrations.filter(status=Registration.Status.WAITLISTED)
               .order_by("created_at", "pk").first())
        if nxt is None:
            break
        nxt.status = Registration.Status.REGISTERED
        nxt.save(update_fields=["status", "updated_at"])
        promoted = promoted or nxt
    return promoted


def set_capacity(encounter: Encounter, capacity: int | None) -> None:
    with transaction.atomic():
        encounter = _lock_encounter(encounter.pk)
        encounter.capacity = capacity
        encounter.save(update_fields=["capacity", "updated_at"])
        promote_waitlist(encounter)


class CheckInError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def check_in(encounter: Encounter, code: str, *, by=None) -> tuple[Registration, bool]:
    """Mark attendance from a badge code (or the URL printed in the QR).

    Returns (registration, newly_checked_in). Raises CheckInError with a readable reason.
    """
    token = (code or "").strip().rstrip("/").rsplit("/", 1)[-1]
    if not token:
        raise CheckInError(_("Type or scan a badge code."))
    registration = (Registration.objects.select_related("person", "organization")
                    .filter(encounter=encounter, badge_token=token).first())
    if registration is None:
        raise CheckInError(_("No registration for this encounter has the code %(code)s.")
                           % {"code": token})
    _check_in_allowed(registration)
    if registration.checked_in_at:
        return registration, False
    now = timezone.now()
    by = by if by is not None and by.is_authenticated else None
    # One conditional UPDATE, no lock held between statements: of two doors scanning the same
    # badge at once (or a cancellation racing the scan) exactly one outcome is recorded.
    won = (Registration.objects
           .filter(pk=registration.pk, status=Registration.Status.REGISTERED,
                   checked_in_at__isnull=True)
           .update(checked_in_at=now, checked_in_by=by, updated_at=now))
    if not won:
        registration.refresh_from_db(fields=["status", "checked_in_at", "checked_in_by"])
        _check_in_allowed(registration)
        return registration, False
    registration.checked_in_at, registration.checked_in_by = now, by
    registration.updated_at = now
    # A queryset update sends no signal: forget the cached attendance here. The public page
    # cache is bumped by the request (or command, or task) that called us.
    attendance_changed(encounter.pk)
    return registration, True


def _check_in_allowed(registration: Registration) -> None:
    if registration.status == Registration.Status.CANCELLED:
        raise CheckInError(_("This registration was cancelled."))
    if registration.status == Registration.Status.WAITLISTED:
        raise CheckInError(_("This person is on the waitlist and has no seat yet."))


def undo_check_in(registration: Registration) -> None:
    registration.checked_in_at = None
    registration.checked_in_by = None
    registration.save(update_fields=["checked_in_at", "checked_in_by", "updated_at"])


# --- Attendance -------------------------------------------------------------------------------

SECTOR_ORDER = {code: i for i, code in enumerate(Sector.values)}


@dataclass
class AttendanceRow:
    sector: str | None
    people: int | None
    organizations: int | None
    note: str = ""

    @property
    def sector_label(self) -> str:
        return str(Sector(self.sector).label) if self.sector else _("Sector not stated")


@dataclass
class Attendance:
    basis: str  # "reported", "checked_in", "registered" or "none"
    rows: list[AttendanceRow]

    @property
    def total(self) -> int:
        return sum(row.people or 0 for row in self.rows)

    @property
    def complete(self) -> bool:
        """False when some group's number of people is unknown."""
        return all(row.people is not None for row in self.rows)


def _live_basis(encounter: Encounter, has_check_ins: bool) -> str:
    if has_check_ins or encounter.status in (Encounter.Status.ONGOING, Encounter.Status.PAST):
        return "checked_in"
    return "registered"


# The counts by sector of an encounter (an aggregate over all its registrations) are cached;
# saving or deleting a registration or a reported attendance bumps the encounter's version
# (signals in apps.py; bulk writes call attendance_changed), and entries expire after
# ATTENDANCE_SECONDS in any case (a per-process cache, locmem://, hears of no other process).
ATTENDANCE_SECONDS = 60


def _attendance_version_key(encounter_id: int) -> str:
    return f"encounters:attendance-version:{encounter_id}"


def _bump_attendance(encounter_id: int) -> None:
    key = _attendance_version_key(encounter_id)
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, 1, None)


def attendance_changed(encounter_id: int) -> None:
    """Forget the cached counts of an encounter: now, and, inside a transaction, again on commit
    (a concurrent read may have cached what was there before the commit)."""
    _bump_attendance(encounter_id)
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(lambda: _bump_attendance(encounter_id))


def _attendance_key(encounter: Encounter, version) -> str:
    # created_at tells apart two encounters that got the same pk (a rolled-back transaction)
    stamp = encounter.created_at.timestamp() if encounter.created_at else ""
    return f"encounters:attendance:{encounter.pk}:{stamp}:{version or 0}"


def _live_rows(encounters) -> dict[int, list[dict]]:
    """Registrations counted by sector, per encounter (from the cache where it has them)."""
    versions = cache.get_many([_attendance_version_key(e.pk) for e in encounters])
    keys = {e.pk: _attendance_key(e, versions.get(_attendance_version_key(e.pk)))
            for e in encounters}
    cached = cache.get_many(list(keys.values()))
    by_encounter = {pk: cached[key] for pk, key in keys.items() if key in cached}
    missing = [pk for pk in keys if pk not in by_encounter]
    if missing:
        computed = {pk: [] for pk in missing}
        live = (Registration.objects
                .filter(status=Registration.Status.REGISTERED, encounter_id__in=missing)
                .values("encounter_id", "sector")
                .annotate(people=Count("pk"),
                          organizations=Count("organization", distinct=True),
                          checked=Count("pk", filter=Q(checked_in_at__isnull=False)),
                          checked_orgs=Count("organization", distinct=True,
                                             filter=Q(checked_in_at__isnull=False))))
        for row in live:
            computed[row["encounter_id"]].append(row)
        cache.set_many({keys[pk]: rows for pk, rows in computed.items()}, ATTENDANCE_SECONDS)
        by_encounter.update(computed)
    return by_encounter


def attendance_for(encounters) -> dict[int, Attendance]:
    """Attendance by sector for many encounters in a constant number of queries.

    Encounters with reported (historical) attendance use it as the source states it; the others
    are computed live: check-ins once the encounter has started or anyone checked in, otherwise
    confirmed registrations. Organizations are distinct per sector.
    """
    encounters = list(encounters)
    ids = [e.pk for e in encounters]
    reported = defaultdict(list)
    for row in ReportedAttendance.objects.filter(encounter_id__in=ids).order_by("pk"):
        reported[row.encounter_id].append(
            AttendanceRow(row.sector or None, row.people, row.organizations, row.note))
    by_encounter = _live_rows([e for e in encounters if not reported.get(e.pk)])
    result = {}
    for encounter in encounters:
        if reported.get(encounter.pk):
            result[encounter.pk] = Attendance("reported", reported[encounter.pk])
            continue
        rows = by_encounter.get(encounter.pk, [])
        if not rows:
            result[encounter.pk] = Attendance("none", [])
            continue
        basis = _live_basis(encounter, any(r["checked"] for r in rows))
        people_key, orgs_key = (("checked", "checked_orgs") if basis == "checked_in"
                                else ("people", "organizations"))
        out = [AttendanceRow(r["sector"], r[people_key], r[orgs_key]) for r in rows
               if r[people_key]]
        out.sort(key=lambda r: SECTOR_ORDER.get(r.sector, 99))
        result[encounter.pk] = Attendance(basis, out)
    return result


def attendance(encounter: Encounter) -> Attendance:
    return attendance_for([encounter])[encounter.pk]


def checkin_counts(encounter: Encounter) -> dict[str, int]:
    """Confirmed registrations and how many of them arrived, in one query (the door's counter).

    COUNT(*) rather than of the primary key: the (encounter, status, checked_in_at) index then
    answers alone, on PostgreSQL too."""
    return (Registration.objects
            .filter(encounter=encounter, status=Registration.Status.REGISTERED)
            .aggregate(registered=Count("*"), checked_in=Count("checked_in_at")))


def registration_counts(encounter: Encounter) -> dict[str, int]:
    counts = dict(encounter.registrations.values_list("status").annotate(n=Count("pk")))
    return {
        "registered": counts.get(Registration.Status.REGISTERED, 0),
        "waitlisted": counts.get(Registration.Status.WAITLISTED, 0),
        "cancelled": counts.get(Registration.Status.CANCELLED, 0),
        "checked_in": encounter.registrations.filter(
            status=Registration.Status.REGISTERED, checked_in_at__isnull=False).count(),
    }


def current_registration(encounter: Encounter, user, session) -> Registration | None:
    """The visitor's registration: through their account, or the badge code their browser
    session remembers from registering or from a personal link."""
    registration = registration_for_user(encounter, user)
    if registration is None:
        token = session.get(f"registration-{encounter.pk}")
        if token:
            registration = (encounter.registrations.filter(badge_token=token)
                            .exclude(status=Registration.Status.CANCELLED).first())
    return registration


def registration_for_user(encounter: Encounter, user) -> Registration | None:
    if not user.is_authenticated:
        return None
    try:
        person = user.person
    except Person.DoesNotExist:
        return None
    return (Registration.objects.filter(encounter=encounter, person=person)
            .exclude(status=Registration.Status.CANCELLED).first())
