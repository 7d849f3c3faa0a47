"""Domain logic of collaboration and follow-up.

- The proposal workflow is a state machine (TRANSITIONS) with a role per transition.
- Every change to a proposal, table, agreement, commitment or milestone is written to
  ChangeRecord (who, when, which fields from what to what) — nothing is silently overwritten.
- Followers of an object are emailed when its state changes; authors and supporters follow
  automatically.
- Commitment progress: its own percentage when it has no milestones; with milestones, the share
  of milestones done (recomputed here on every milestone change, so it is stored and can be
  aggregated by the database).
"""

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files import File
from django.core.mail import EmailMessage, mailers
from django.db import IntegrityError, transaction
from django.db.models import Avg, Case, Count, F, Q, Value, When
from django.db.models.fields.files import FieldFile
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from encuentros.core.permissions import is_admin, is_organizer

from .models import (
    Agreement,
    ChangeRecord,
    CollaborativeTable,
    Commitment,
    Follow,
    Initiative,
    Milestone,
    Proposal,
    Review,
    Support,
    TableMember,
)


class WorkflowError(Exception):
    """A rule of the follow-up workflow was broken; the message is translated and public."""

    def __init__(self, message, field: str | None = None):
        super().__init__(str(message))
        self.message = str(message)
        self.field = field


# ---------------------------------------------------------------- kinds (for URLs and history)

KINDS = {
    "proposal": Proposal,
    "table": CollaborativeTable,
    "agreement": Agreement,
    "commitment": Commitment,
    "initiative": Initiative,
}
KIND_LABELS = {
    "proposal": gettext_lazy("citizen proposal"),
    "table": gettext_lazy("collaborative table"),
    "agreement": gettext_lazy("agreement"),
    "commitment": gettext_lazy("commitment"),
    "initiative": gettext_lazy("derived initiative"),
}


def kind_of(obj) -> str:
    for kind, model in KINDS.items():
        if isinstance(obj, model):
            return kind
    raise ValueError(obj)


def history_url(obj) -> str:
    return reverse("collaboration:history", args=[kind_of(obj), obj.pk])


def api_history_url(obj) -> str:
    return f"/api/v1/history/{kind_of(obj)}/{obj.pk}"


# ---------------------------------------------------------------- roles

ROLE_LABELS = {
    "admin": pgettext_lazy("actor role", "Administration"),
    "organizer": pgettext_lazy("actor role", "Organizer"),
    "author": pgettext_lazy("actor role", "Author"),
    "participant": pgettext_lazy("actor role", "Participant"),
    "system": pgettext_lazy("actor role", "Platform"),
}


def encounter_of(obj):
    if isinstance(obj, Commitment):
        return obj.encounter
    if isinstance(obj, Milestone):
        return obj.commitment.encounter
    if isinstance(obj, Agreement) and not obj.encounter_id and obj.table_id:
        return obj.table.encounter
    return getattr(obj, "encounter", None)


def can_manage(user, obj) -> bool:
    """Organizers of the object's encounter and admins manage tables, agreements,
    commitments and the review of proposals."""
    if is_admin(user):
        return True
    encounter = encounter_of(obj)
    return encounter is not None and is_organizer(user, encounter)


def can_edit_proposal(user, proposal: Proposal) -> bool:
    if is_admin(user):
        return True
    return (user.is_authenticated and proposal.author_id == user.pk
            and proposal.status == Proposal.Status.DRAFT)


def can_view_proposal(user, proposal: Proposal) -> bool:
    return (proposal.is_public or is_admin(user)
            or (user.is_authenticated and proposal.author_id == user.pk))


def _actor_role(user, obj) -> str:
    if user is None:
        return "system"
    if is_admin(user):
        return "admin"
    if isinstance(obj, Proposal) and obj.author_id == user.pk:
        return "author"
    encounter = encounter_of(obj)
    if encounter is not None and is_organizer(user, encounter):
        return "organizer"
    return "participant"


def public_actor_label(user) -> str:
    """What the public may see of an actor: their name only with a public profile, otherwise
    their organization; never their email or username."""
    if user is None:
        return ""
    person = getattr(user, "person", None)
    if person is None:
        return ""
    org = person.organization.name if person.organization_id else ""
    if person.public_profile:
        return f"{person.full_name} ({org})" if org else person.full_name
    return org


# ---------------------------------------------------------------- history

def _plain(value):
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, FieldFile | File):
        return value.name or None
    if hasattr(value, "pk"):
        return str(value)
    if isinstance(value, list | tuple | set):
        return [_plain(v) for v in value]
    return value


def record(obj, actor, action: str, changes: dict | None = None, note: str = "",
           on=None) -> ChangeRecord:
    """Write one history entry for obj (``on`` = the object whose history it belongs to, e.g.
    the commitment of a milestone)."""
    target = on or obj
    return ChangeRecord.objects.create(
        content_type=ContentType.objects.get_for_model(type(target)), object_id=target.pk,
        actor=actor, actor_label=public_actor_label(actor),
        actor_role=_actor_role(actor, target), action=action,
        changes={k: [_plain(a), _plain(b)] for k, (a, b) in (changes or {}).items()},
        note=note)


def display_changes(rec: ChangeRecord) -> list[tuple[str, object, object]]:
    """[(field label, old, new)] with field names and choice values in the interface language."""
    model = rec.content_type.model_class()
    rows = []
    for name, pair in rec.changes.items():
        old, new = (pair + [None, None])[:2] if isinstance(pair, list) else (None, pair)
        try:
            field = model._meta.get_field(name)
        except Exception:  # free-form keys such as a milestone's "title · done"
            rows.append((name, old, new))
            continue
        if field.choices:
            labels = dict(field.choices)
            old, new = labels.get(old, old), labels.get(new, new)
        rows.append((str(field.verbose_name), old, new))
    return rows


def history(obj):
    return (ChangeRecord.objects
            .filter(content_type=ContentType.objects.get_for_model(type(obj)), object_id=obj.pk)
            .order_by("-created_at", "-pk"))


def _diff(obj, data: dict) -> dict:
    """Apply data to obj's fields and return {field: (old, new)} for those that changed."""
    changes = {}
    for name, value in data.items():
        old = getattr(obj, name)
        if old != value:
            changes[name] = (old, value)
            setattr(obj, name, value)
    return changes


# ---------------------------------------------------------------- follows and notifications

def follow(user, obj) -> bool:
    """Returns True when a new follow was created."""
    ct = ContentType.objects.get_for_model(type(obj))
    _, created = Follow.objects.get_or_create(user=user, content_type=ct, object_id=obj.pk)
    return created


def unfollow(user, obj) -> None:
    Follow.objects.filter(user=user, content_type=ContentType.objects.get_for_model(type(obj)),
                          object_id=obj.pk).delete()


def is_following(user, obj) -> bool:
    return user.is_authenticated and Follow.objects.filter(
        user=user, content_type=ContentType.objects.get_for_model(type(obj)),
        object_id=obj.pk).exists()


def notify(obj, subject: str, body: str, actor=None) -> int:
    """Email every follower of obj (except the actor). Returns the number of messages sent."""
    ct = ContentType.objects.get_for_model(type(obj))
    users = (Follow.objects.filter(content_type=ct, object_id=obj.pk)
             .exclude(user__email="").select_related("user"))
    if actor is not None:
        users = users.exclude(user=actor)
    recipients = sorted({f.user.email for f in users if f.user.is_active})
    if not recipients:
        return 0
    base = getattr(settings, "SITE_URL", "").rstrip("/")
    url = f"{base}{obj.get_absolute_url()}" if hasattr(obj, "get_absolute_url") else ""
    text = f"{body}\n\n{url}\n\n" + _(
        "You receive this message because you follow this item. You can stop following it "
        "from its page.")
    messages = [EmailMessage(subject=subject, body=text, to=[email]) for email in recipients]

    def send():
        mailers.default.send_messages(messages)

    transaction.on_commit(send)
    return len(messages)


def _notify_state(obj, label_old: str, label_new: str, actor, reason: str = ""):
    subject = _("%(item)s: now «%(state)s»") % {"item": str(obj)[:80], "state": label_new}
    body = _("«%(item)s» changed from «%(old)s» to «%(new)s».") % {
        "item": obj, "old": label_old, "new": label_new}
    if reason:
        body += "\n" + _("Reason: %(reason)s") % {"reason": reason}
    notify(obj, subject, body, actor=actor)


# ---------------------------------------------------------------- proposals

S = Proposal.Status
AUTHOR, ORGANIZER = "author", "organizer"
# from → {to: who may do it}; admins may do any legal transition.
TRANSITIONS = {
    S.DRAFT: {S.SUBMITTED: AUTHOR},
    S.SUBMITTED: {S.DRAFT: AUTHOR, S.UNDER_REVIEW: ORGANIZER},
    S.UNDER_REVIEW: {S.SELECTED: ORGANIZER, S.NOT_SELECTED: ORGANIZER},
    S.SELECTED: {S.IN_TABLE: ORGANIZER, S.IMPLEMENTED: ORGANIZER, S.NOT_SELECTED: ORGANIZER},
    S.IN_TABLE: {S.IMPLEMENTED: ORGANIZER},
    S.NOT_SELECTED: {S.UNDER_REVIEW: ORGANIZER},
    S.IMPLEMENTED: {},
}
REASON_REQUIRED = {S.NOT_SELECTED}


def allowed_transitions(proposal: Proposal, user) -> list[str]:
    return [to for to in TRANSITIONS[proposal.status]
            if _may_transition(proposal, to, user)]


def _may_transition(proposal: Proposal, to: str, user) -> bool:
    if user is None or not user.is_authenticated:
        return False
    if is_admin(user):
        return True
    who = TRANSITIONS[proposal.status].get(to)
    if who == AUTHOR:
        return proposal.author_id == user.pk
    if who == ORGANIZER:
        return proposal.encounter_id is not None and is_organizer(user, proposal.encounter)
    return False


def create_proposal(user, *, title: str, summary: str, challenge=None, encounter=None,
                    team: str = "", author_organization=None, data_requests=(),
                    datasets=()) -> Proposal:
    if not user.is_authenticated:
        raise WorkflowError(_("Log in to write a proposal."))
    person = getattr(user, "person", None)
    if author_organization is None and person is not None:
        author_organization = person.organization
    with transaction.atomic():
        proposal = Proposal.objects.create(
            title=title, summary=summary, challenge=challenge, encounter=encounter, team=team,
            author=user, author_organization=author_organization)
        _set_data_links(proposal, data_requests, datasets)
        record(proposal, user, "created", {"status": (None, proposal.status)})
        follow(user, proposal)
    return proposal


def _set_data_links(proposal, data_requests, datasets) -> dict:
    """Link the proposal's data needs (opendata DataRequests and Datasets) when that app
    provides them. Returns the changes for the history."""
    changes = {}
    for name, items in (("data_requests", data_requests), ("datasets", datasets)):
        manager = getattr(proposal, name, None)
        if manager is None or items is None:
            continue
        old = sorted(str(o) for o in manager.all())
        manager.set(items)
        new = sorted(str(o) for o in manager.all())
        if old != new:
            changes[name] = (old, new)
    return changes


def create_data_request(user, *, title: str, problem: str, encounter=None, challenge=None):
    """Create an opendata DataRequest for a proposal's data need, through opendata's services
    when they offer it, otherwise through the model."""
    import importlib

    from django.apps import apps

    person = getattr(user, "person", None)
    topic = challenge.topic if challenge is not None else None
    try:
        opendata_services = importlib.import_module("encuentros.opendata.services")
    except ImportError:
        opendata_services = None
    create = getattr(opendata_services, "create_request", None) or getattr(
        opendata_services, "create_data_request", None)
    if create is not None:
        try:
            return create(user=user, title=title, problem=problem, encounter=encounter,
                          topic=topic)
        except TypeError:  # a different signature: fall back to the model
            pass
    model = apps.get_model("opendata", "DataRequest")
    return model.objects.create(
        title=title[:200], problem=problem, encounter=encounter, topic=topic, requester=person,
        requester_sector=person.sector if person is not None else "")


def update_proposal(proposal: Proposal, user, **data) -> Proposal:
    """Authors edit their drafts; admins edit anything. Changes are recorded."""
    proposal.refresh_from_db(fields=["status", "author"])
    if not can_edit_proposal(user, proposal):
        raise WorkflowError(_("Only the author can edit a proposal, and only while it is a "
                              "draft."))
    links = {k: data.pop(k) for k in ("data_requests", "datasets") if k in data}
    allowed = {"title", "summary", "challenge", "encounter", "team", "author_organization"}
    unknown = set(data) - allowed
    if unknown:
        raise ValueError(f"not editable here: {sorted(unknown)}")
    with transaction.atomic():
        changes = _diff(proposal, data)
        if changes:
            proposal.save()
        changes.update(_set_data_links(proposal, links.get("data_requests"),
                                       links.get("datasets")))
        if changes:
            record(proposal, user, "edited", changes)
    return proposal


@transaction.atomic
def transition(proposal: Proposal, to: str, user, reason: str = "") -> Proposal:
    Proposal.objects.select_for_update().filter(pk=proposal.pk).first()
    proposal.refresh_from_db()
    reason = (reason or "").strip()
    if to not in S.values:
        raise WorkflowError(_("Unknown state."), field="to")
    if to not in TRANSITIONS[proposal.status]:
        raise WorkflowError(
            _("A proposal cannot go from «%(old)s» to «%(new)s».")
            % {"old": S(proposal.status).label, "new": S(to).label}, field="to")
    if not _may_transition(proposal, to, user):
        raise WorkflowError(_("You are not allowed to make this change."))
    if to in REASON_REQUIRED and not reason:
        raise WorkflowError(_("Give the public reason why the proposal was not selected."),
                            field="reason")
    old = proposal.status
    changes = {"status": (old, to)}
    proposal.status = to
    if to in REASON_REQUIRED or reason:
        changes["status_reason"] = (proposal.status_reason, reason)
        proposal.status_reason = reason
    if to == S.SUBMITTED and proposal.submitted_at is None:
        proposal.submitted_at = timezone.now()
    proposal.save()
    record(proposal, user, "status", changes, note=reason)
    _notify_state(proposal, S(old).label, S(to).label, user, reason)
    return proposal


def support(proposal: Proposal, user) -> bool:
    """One support per account; supporters follow the proposal. Returns True if new."""
    if not user.is_authenticated:
        raise WorkflowError(_("Log in to support a proposal."))
    if proposal.status in (S.DRAFT, S.NOT_SELECTED):
        raise WorkflowError(_("This proposal cannot receive supports in its current state."))
    try:
        with transaction.atomic():
            Support.objects.create(proposal=proposal, user=user)
    except IntegrityError:
        return False
    Proposal.objects.filter(pk=proposal.pk).update(support_count=F("support_count") + 1)
    proposal.refresh_from_db(fields=["support_count"])
    follow(user, proposal)
    return True


def withdraw_support(proposal: Proposal, user) -> bool:
    deleted, _ = Support.objects.filter(proposal=proposal, user=user).delete()
    if deleted:
        Proposal.objects.filter(pk=proposal.pk).update(support_count=F("support_count") - 1)
        proposal.refresh_from_db(fields=["support_count"])
    return bool(deleted)


def review(proposal: Proposal, user, scores: dict, comment: str = "") -> Review:
    """An organizer scores a proposal under review on each criterion (1–5)."""
    if not _may_review(proposal, user):
        raise WorkflowError(_("Only organizers of the encounter review its proposals."))
    if proposal.status != S.UNDER_REVIEW:
        raise WorkflowError(_("Only proposals under review can be scored."))
    clean = {}
    for key in Review.CRITERIA:
        value = scores.get(key)
        if not isinstance(value, int) or not 1 <= value <= 5:
            raise WorkflowError(_("Every criterion needs a score from 1 to 5."), field=key)
        clean[key] = value
    with transaction.atomic():
        obj, created = Review.objects.update_or_create(
            proposal=proposal, reviewer=user, defaults={"scores": clean, "comment": comment})
        record(proposal, user, "reviewed", {"review_score": (None, obj.total)})
    return obj


def _may_review(proposal, user) -> bool:
    return user.is_authenticated and (is_admin(user) or (
        proposal.encounter_id is not None and is_organizer(user, proposal.encounter)))


def review_summary(proposal: Proposal) -> dict:
    reviews = list(proposal.reviews.all())
    per = {}
    for key, label in Review.CRITERIA.items():
        values = [r.scores.get(key) for r in reviews if r.scores.get(key)]
        per[key] = {"label": label,
                    "mean": round(sum(values) / len(values), 2) if values else None}
    return {"count": len(reviews), "criteria": per,
            "total": round(sum(r.total for r in reviews) / len(reviews), 2) if reviews else None}


# ---------------------------------------------------------------- tables

def _require_manage(user, obj):
    if not can_manage(user, obj):
        raise WorkflowError(_("Only organizers of the encounter and administrators can do "
                              "this."))


@transaction.atomic
def create_table(user, *, name: str, challenge=None, encounter=None, description: str = "",
                 status: str = CollaborativeTable.Status.FORMING) -> CollaborativeTable:
    table = CollaborativeTable(name=name, challenge=challenge, encounter=encounter,
                               description=description, status=status)
    _require_manage(user, table)
    table.save()
    record(table, user, "created", {"status": (None, table.status)})
    return table


@transaction.atomic
def add_member(table, user, *, role: str, person=None, organization=None) -> TableMember:
    _require_manage(user, table)
    if person is None and organization is None:
        raise WorkflowError(_("A member is a person or an organization."))
    if organization is None and person is not None:
        organization = person.organization
    sector = (person.sector if person is not None else organization.sector)
    member = TableMember.objects.create(table=table, role=role, person=person,
                                        organization=organization, sector=sector)
    who = organization.name if organization else member.get_sector_display()
    record(table, user, "member_added", {"member": (None, f"{member.get_role_display()} · {who}")})
    return member


@transaction.atomic
def set_table_status(table, user, status: str, reason: str = "") -> CollaborativeTable:
    _require_manage(user, table)
    if status not in CollaborativeTable.Status.values:
        raise WorkflowError(_("Unknown state."))
    if status == CollaborativeTable.Status.SUSPENDED and not reason.strip():
        raise WorkflowError(_("Give the public reason why the table was suspended."),
                            field="reason")
    old = table.status
    if old == status:
        return table
    table.status = status
    table.save(update_fields=["status"])
    record(table, user, "status", {"status": (old, status)}, note=reason)
    CS = CollaborativeTable.Status
    _notify_state(table, CS(old).label, CS(status).label, user, reason)
    return table


@transaction.atomic
def link_proposal(table, proposal, user) -> None:
    """A selected proposal joins a table and moves to «in a table»."""
    _require_manage(user, table)
    if proposal.status not in (S.SELECTED, S.IN_TABLE):
        raise WorkflowError(_("Only selected proposals can join a collaborative table."))
    table.proposals.add(proposal)
    record(table, user, "proposal_linked", {"proposals": (None, proposal.title)})
    if proposal.status == S.SELECTED:
        transition(proposal, S.IN_TABLE, user)


def sector_mix(tables) -> dict[int, list[tuple[str, str, int]]]:
    """{table id: [(sector, label, members)]} for many tables in one query; each table also
    gets it as ``sector_rows``."""
    from encuentros.core.sectors import Sector

    rows = (TableMember.objects.filter(table__in=tables).values("table_id", "sector")
            .annotate(n=Count("pk")).order_by("table_id", "sector"))
    mix: dict[int, list] = {}
    for row in rows:
        mix.setdefault(row["table_id"], []).append(
            (row["sector"], Sector(row["sector"]).label, row["n"]))
    for table in tables:
        if isinstance(table, CollaborativeTable):
            table.sector_rows = mix.get(table.pk, [])
    return mix


# ---------------------------------------------------------------- agreements and commitments

AGREEMENT_FIELDS = {"kind", "title", "text", "document", "signed_on", "encounter", "table",
                    "signatories_note", "source"}


@transaction.atomic
def save_agreement(user, agreement: Agreement | None = None, *, signatories=None,
                   **data) -> Agreement:
    """Create or change an agreement; every change is recorded."""
    unknown = set(data) - AGREEMENT_FIELDS
    if unknown:
        raise ValueError(f"unknown agreement fields: {sorted(unknown)}")
    created = agreement is None
    agreement = agreement or Agreement()
    if not created:
        _require_manage(user, agreement)
    changes = _diff(agreement, data)
    _require_manage(user, agreement)
    if not agreement.title.strip():
        raise WorkflowError(_("An agreement needs a title."), field="title")
    if changes or created:
        agreement.save()
        if "document" in changes:  # the stored name, after upload
            changes["document"] = (changes["document"][0], agreement.document.name or None)
    if signatories is not None:
        old = sorted(o.name for o in agreement.signatories.all())
        agreement.signatories.set(signatories)
        new = sorted(o.name for o in agreement.signatories.all())
        if old != new:
            changes["signatories"] = (old, new)
    if created:
        record(agreement, user, "created", changes)
    elif changes:
        record(agreement, user, "edited", changes)
        notify(agreement, _("Agreement changed: %(title)s") % {"title": agreement.title[:80]},
               _("The agreement «%(title)s» was changed: %(fields)s.")
               % {"title": agreement.title, "fields": ", ".join(changes)}, actor=user)
    return agreement


C = Commitment.Status
COMMITMENT_TRANSITIONS = {
    C.NOT_STARTED: {C.IN_PROGRESS, C.COMPLETED, C.DELAYED, C.CANCELLED},
    C.IN_PROGRESS: {C.COMPLETED, C.DELAYED, C.CANCELLED},
    C.DELAYED: {C.IN_PROGRESS, C.COMPLETED, C.CANCELLED},
    C.COMPLETED: {C.IN_PROGRESS},
    C.CANCELLED: set(),
}
COMMITMENT_REASON_REQUIRED = {C.DELAYED, C.CANCELLED}


@transaction.atomic
def create_commitment(user, *, title: str, agreement=None, table=None, responsible=None,
                      due_date=None, description: str = "") -> Commitment:
    if agreement is None and table is None:
        raise WorkflowError(_("A commitment belongs to an agreement or to a collaborative "
                              "table."))
    commitment = Commitment(title=title, agreement=agreement, table=table,
                            responsible=responsible, due_date=due_date, description=description)
    _require_manage(user, commitment)
    commitment.save()
    record(commitment, user, "created",
           {"status": (None, commitment.status), "progress": (None, 0)})
    return commitment


@transaction.atomic
def update_commitment(commitment: Commitment, user, *, status: str | None = None,
                      progress: int | None = None, reason: str = "",
                      due_date: dt.date | None = None) -> Commitment:
    """Change a commitment's status, progress or due date. Delayed and cancelled need a public
    reason; completed means 100 %; a commitment with milestones takes its progress from
    them."""
    Commitment.objects.select_for_update().filter(pk=commitment.pk).first()
    commitment.refresh_from_db()
    _require_manage(user, commitment)
    reason = (reason or "").strip()
    changes = {}
    new_status = status or commitment.status
    if new_status not in C.values:
        raise WorkflowError(_("Unknown state."), field="status")
    if new_status != commitment.status:
        if new_status not in COMMITMENT_TRANSITIONS[commitment.status]:
            raise WorkflowError(
                _("A commitment cannot go from «%(old)s» to «%(new)s».")
                % {"old": C(commitment.status).label, "new": C(new_status).label},
                field="status")
        if new_status in COMMITMENT_REASON_REQUIRED and not reason:
            raise WorkflowError(_("Give the public reason why the commitment is delayed or "
                                  "cancelled."), field="reason")
        if commitment.status == C.COMPLETED and not reason:
            raise WorkflowError(_("Give the public reason for reopening a completed "
                                  "commitment."), field="reason")
    has_milestones = commitment.milestones.exists()
    if progress is not None and progress != commitment.progress:
        if has_milestones:
            raise WorkflowError(_("This commitment's progress comes from its milestones: mark "
                                  "milestones as done instead."), field="progress")
        if not 0 <= progress <= 100:
            raise WorkflowError(_("Progress goes from 0 to 100."), field="progress")
    data = {"status": new_status}
    if progress is not None and not has_milestones:
        data["progress"] = progress
    if new_status == C.COMPLETED:
        if has_milestones and commitment.milestones.filter(done=False).exists():
            raise WorkflowError(_("Mark every milestone as done before completing the "
                                  "commitment."), field="status")
        data["progress"] = 100
    if due_date is not None:
        data["due_date"] = due_date
    if reason or new_status in COMMITMENT_REASON_REQUIRED:
        if new_status != commitment.status:
            data["status_reason"] = reason
    if (data.get("progress", commitment.progress) > 0 and new_status == C.NOT_STARTED):
        data["status"] = new_status = C.IN_PROGRESS
    old_status = commitment.status
    changes = _diff(commitment, data)
    if not changes:
        return commitment
    commitment.save()
    record(commitment, user, "updated", changes, note=reason)
    if "status" in changes:
        _notify_state(commitment, C(old_status).label, C(new_status).label, user, reason)
    return commitment


@transaction.atomic
def add_milestone(commitment, user, *, title: str, due_date=None,
                  evidence_url: str = "") -> Milestone:
    _require_manage(user, commitment)
    milestone = Milestone.objects.create(commitment=commitment, title=title,
                                         due_date=due_date, evidence_url=evidence_url)
    record(milestone, user, "milestone_added", {"milestone": (None, title)}, on=commitment)
    _recompute_progress(commitment, user)
    return milestone


@transaction.atomic
def set_milestone_done(milestone: Milestone, user, done: bool = True,
                       evidence_url: str = "", on: dt.date | None = None) -> Milestone:
    commitment = milestone.commitment
    _require_manage(user, commitment)
    if done and not (evidence_url or milestone.evidence_url):
        raise WorkflowError(_("A milestone is marked done with a link to its evidence."),
                            field="evidence_url")
    data = {"done": done, "done_on": (on or timezone.localdate()) if done else None}
    if evidence_url:
        data["evidence_url"] = evidence_url
    changes = _diff(milestone, data)
    if changes:
        milestone.save()
        record(milestone, user, "milestone",
               {f"{milestone.title} · {k}": v for k, v in changes.items()}, on=commitment)
        _recompute_progress(commitment, user)
    return milestone


def _recompute_progress(commitment: Commitment, user) -> None:
    counts = commitment.milestones.aggregate(total=Count("pk"), done=Count("pk", filter=Q(
        done=True)))
    if not counts["total"]:
        return
    progress = round(100 * counts["done"] / counts["total"])
    commitment.refresh_from_db()
    data = {"progress": progress}
    if progress > 0 and commitment.status == C.NOT_STARTED:
        data["status"] = C.IN_PROGRESS
    if progress < 100 and commitment.status == C.COMPLETED:
        data["status"] = C.IN_PROGRESS
    old_status = commitment.status
    changes = _diff(commitment, data)
    if changes:
        commitment.save()
        record(commitment, user, "progress", changes)
        if "status" in changes:
            _notify_state(commitment, C(old_status).label, C(commitment.status).label, user)


def notify_overdue(commitment: Commitment) -> int:
    """Email the followers of an overdue commitment, once per due date (the notice is kept in
    its history, which is also how repeats are avoided). Returns the number of emails."""
    key = commitment.due_date.isoformat()
    if history(commitment).filter(action="overdue_notice", note=key).exists():
        return 0
    record(commitment, None, "overdue_notice", note=key)
    return notify(commitment,
                  _("Overdue commitment: %(title)s") % {"title": commitment.title[:80]},
                  _("The commitment «%(title)s» was due on %(date)s and is at %(progress)s %%.")
                  % {"title": commitment.title, "date": key, "progress": commitment.progress})


# ---------------------------------------------------------------- follow-up and accountability

OPEN = ~Q(status__in=[C.COMPLETED, C.CANCELLED])


def overdue_q(today=None) -> Q:
    return Q(due_date__lt=today or timezone.localdate()) & OPEN


def commitments_for_encounter(encounter):
    return (Commitment.objects.filter(Q(agreement__encounter=encounter)
                                      | Q(table__encounter=encounter))
            .select_related("responsible", "agreement", "table").distinct())


@dataclass
class Lineage:
    encounter: object
    initiatives: list
    proposals: list
    proposal_counts: dict
    tables: list
    mix: dict
    agreements: list
    commitments: list
    summary: dict = field(default_factory=dict)


def lineage(encounter) -> Lineage:
    """What came of an encounter: proposals → tables → agreements → commitments →
    initiatives, in a fixed number of queries."""
    workflow_order = Case(*[When(status=s, then=Value(i)) for i, s in enumerate(S.values)])
    proposals = list(Proposal.objects.filter(encounter=encounter).exclude(status=S.DRAFT)
                     .select_related("author_organization", "challenge")
                     .order_by(-workflow_order, "-support_count", "pk"))
    counts = dict(Proposal.objects.filter(encounter=encounter).exclude(status=S.DRAFT)
                  .values_list("status").annotate(n=Count("pk")).order_by())
    proposal_counts = [(s, S(s).label, counts[s]) for s in S.values if counts.get(s)]
    tables = list(CollaborativeTable.objects.filter(encounter=encounter)
                  .select_related("challenge").annotate(n_members=Count("members", distinct=True))
                  .prefetch_related("proposals"))
    agreements = list(Agreement.objects.filter(encounter=encounter)
                      .prefetch_related("signatories"))
    commitments = list(commitments_for_encounter(encounter).prefetch_related("milestones"))
    initiatives = list(encounter.initiatives.prefetch_related("proposals", "tables"))
    summary = _commitment_summary(commitments)
    return Lineage(encounter, initiatives, proposals, proposal_counts, tables,
                   sector_mix(tables), agreements, commitments, summary)


def _commitment_summary(commitments) -> dict:
    total = len(commitments)
    done = sum(1 for c in commitments if c.status == C.COMPLETED)
    overdue = sum(1 for c in commitments if c.is_overdue)
    mean = round(sum(c.progress for c in commitments) / total) if total else 0
    return {"total": total, "completed": done, "overdue": overdue, "progress": mean}


def initiatives_by_encounter():
    """[(encounter, [initiatives])] in encounter order, one query."""
    groups: dict = {}
    for initiative in Initiative.objects.select_related("encounter").order_by(
            "encounter__number", "order", "pk"):
        groups.setdefault(initiative.encounter, []).append(initiative)
    return list(groups.items())


def dashboard(today=None) -> dict:
    """City-wide accountability: completion by responsible agency, overdue commitments."""
    today = today or timezone.localdate()
    by_org = list(
        Commitment.objects.values("responsible__name", "responsible__slug",
                                  "responsible__sector")
        .annotate(total=Count("pk"), completed=Count("pk", filter=Q(status=C.COMPLETED)),
                  overdue=Count("pk", filter=overdue_q(today)),
                  cancelled=Count("pk", filter=Q(status=C.CANCELLED)),
                  progress=Avg("progress"))
        .order_by("-total", "responsible__name"))
    for row in by_org:
        active = row["total"] - row["cancelled"]
        row["completion"] = round(100 * row["completed"] / active) if active else 0
        row["progress"] = round(row["progress"] or 0)
    status_counts = dict(Commitment.objects.values_list("status").annotate(n=Count("pk"))
                         .order_by())
    overdue = (Commitment.objects.filter(overdue_q(today))
               .select_related("responsible", "agreement", "table")
               .order_by("due_date", "pk"))
    total = sum(status_counts.values())
    return {"by_org": by_org, "overdue": overdue, "total": total,
            "statuses": [(s, C(s).label, status_counts.get(s, 0)) for s in C.values],
            "completed": status_counts.get(C.COMPLETED, 0),
            "overdue_count": Commitment.objects.filter(overdue_q(today)).count()}
