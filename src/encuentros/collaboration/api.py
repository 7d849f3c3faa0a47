"""Public JSON API of the collaboration app (mounted under /api/v1/ by encuentros/api.py).

No personal data: authors appear as their organization (or their name with a public profile),
history actors as their role and organization. Lists are paginated with `limit` and `offset`.
"""

import datetime as dt
from typing import Literal

from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404
from ninja import Field, Path, Query, Router, Schema
from ninja.errors import HttpError

from encuentros.core.apitypes import MAX_LIMIT, Page
from encuentros.core.permissions import is_admin

from . import services
from .models import Agreement, CollaborativeTable, Commitment, Initiative, Proposal

router = Router(tags=["collaboration"])
MAX_ID = 2**53  # fits every database's integer columns


Kind = Literal["proposal", "table", "agreement", "commitment", "initiative"]


def _id():
    return Path(..., ge=1, le=MAX_ID)


class ProposalOut(Schema):
    id: int
    title: str
    summary: str
    status: str
    status_label: str
    status_reason: str
    author: str
    team: str
    challenge: str | None
    encounter_number: int | None
    supports: int
    tables: list[int]
    data_requests: list[int]
    datasets: list[int]
    url: str
    history: str


class SectorCount(Schema):
    sector: str
    members: int


class MemberOut(Schema):
    role: str
    sector: str
    organization: str | None
    name: str | None


class TableOut(Schema):
    id: int
    name: str
    challenge: str | None
    encounter_number: int | None
    status: str
    members: int
    sector_mix: list[SectorCount]
    proposals: list[int]
    url: str
    history: str


class TableDetailOut(TableOut):
    description: str
    member_list: list[MemberOut]
    sessions: list[dict]


class AgreementOut(Schema):
    id: int
    kind: str
    title: str
    text: str
    document: str | None
    signatories: list[str]
    signatories_note: str
    signed_on: dt.date | None
    encounter_number: int | None
    table: int | None
    commitments: int
    source: str
    url: str
    history: str


class MilestoneOut(Schema):
    title: str
    due_date: dt.date | None
    done: bool
    done_on: dt.date | None
    evidence_url: str


class CommitmentOut(Schema):
    id: int
    title: str
    description: str
    agreement: int | None
    table: int | None
    encounter_number: int | None
    responsible: str | None
    due_date: dt.date | None
    progress: int
    progress_source: str
    status: str
    status_label: str
    status_reason: str
    overdue: bool
    milestones: list[MilestoneOut]
    url: str
    history: str


class InitiativeOut(Schema):
    id: int
    key: str
    name: str
    description: str
    url: str
    status: str
    encounter_number: int
    encounter_title: str
    proposals: list[int]
    tables: list[int]
    source: str
    history: str


class ChangeOut(Schema):
    created_at: dt.datetime
    actor: str
    actor_role: str
    action: str
    changes: dict
    note: str


def _paged(qs, page: Page):
    if not 1 <= page.limit <= MAX_LIMIT or page.offset < 0:
        raise HttpError(422, f"limit must be between 1 and {MAX_LIMIT} and offset ≥ 0")
    return qs.count(), list(qs[page.offset:page.offset + page.limit])


def _envelope(count, page, items):
    return {"count": count, "limit": page.limit, "offset": page.offset, "items": items}


def _number(encounter):
    return encounter.number if encounter is not None else None


def _author(p: Proposal) -> str:
    person = getattr(p.author, "person", None) if p.author_id else None
    if person is not None and person.public_profile:
        return person.full_name
    return p.author_organization.name if p.author_organization_id else ""


def _ids(obj, name):
    # prefetched rows straight from the prefetch cache: building a related manager per row
    # and relation costs more than the rest of the row
    prefetched = getattr(obj, "_prefetched_objects_cache", {}).get(name)
    if prefetched is not None:
        return [o.pk for o in prefetched]
    manager = getattr(obj, name, None)
    return [o.pk for o in manager.all()] if manager is not None else []


def _status_label(obj) -> str:
    """get_status_display(), without hashing every lazy choice label on each call."""
    try:
        return str(type(obj).Status(obj.status).label)
    except ValueError:
        return obj.status


def _proposal(p: Proposal) -> dict:
    return {"id": p.pk, "title": p.title, "summary": p.summary, "status": p.status,
            "status_label": _status_label(p), "status_reason": p.status_reason,
            "author": _author(p), "team": p.team,
            "challenge": p.challenge.title if p.challenge_id else None,
            "encounter_number": _number(p.encounter), "supports": p.support_count,
            "tables": _ids(p, "tables"), "data_requests": _ids(p, "data_requests"),
            "datasets": _ids(p, "datasets"), "url": p.get_absolute_url(),
            "history": services.api_history_url(p)}


def _ids_only(name):
    """Prefetch of a relation whose ids alone are shown (no full rows to build)."""
    model = Proposal._meta.get_field(name).related_model
    return Prefetch(name, queryset=model.objects.only("pk"))


def _proposal_qs():
    qs = (Proposal.objects.exclude(status=Proposal.Status.DRAFT)
          .select_related("encounter", "challenge", "author_organization", "author__person")
          .prefetch_related(_ids_only("tables")).order_by("pk"))
    for name in ("data_requests", "datasets"):
        if hasattr(Proposal, name):
            qs = qs.prefetch_related(_ids_only(name))
    return qs


class ProposalFilters(Page):
    status: str | None = None
    encounter: int | None = Field(None, ge=0, le=MAX_ID)


class ProposalPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[ProposalOut]


@router.get("/proposals", response=ProposalPage, summary="List citizen proposals")
def list_proposals(request, filters: Query[ProposalFilters]):
    """Public proposals (drafts are private), with state, supports and linked data needs."""
    qs = _proposal_qs()
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.encounter:
        qs = qs.filter(encounter__number=filters.encounter)
    count, items = _paged(qs, filters)
    return _envelope(count, filters, [_proposal(p) for p in items])


@router.get("/proposals/{proposal_id}", response=ProposalOut, summary="One proposal")
def get_proposal(request, proposal_id: int = _id()):
    return _proposal(get_object_or_404(_proposal_qs(), pk=proposal_id))


def _table(t: CollaborativeTable, mix) -> dict:
    rows = mix.get(t.pk, [])
    return {"id": t.pk, "name": t.name, "challenge": t.challenge.title if t.challenge_id else None,
            "encounter_number": _number(t.encounter), "status": t.status,
            "members": sum(n for _, _, n in rows),
            "sector_mix": [{"sector": s, "members": n} for s, _, n in rows],
            "proposals": [p.pk for p in t.proposals.all() if p.is_public],
            "url": t.get_absolute_url(), "history": services.api_history_url(t)}


class TablePage(Schema):
    count: int
    limit: int
    offset: int
    items: list[TableOut]


def _table_qs():
    return (CollaborativeTable.objects.select_related("challenge", "encounter")
            .prefetch_related("proposals").order_by("pk"))


@router.get("/tables", response=TablePage, summary="List collaborative tables")
def list_tables(request, page: Query[Page]):
    """Collaborative tables with their sector mix."""
    count, items = _paged(_table_qs(), page)
    mix = services.sector_mix(items)
    return _envelope(count, page, [_table(t, mix) for t in items])


@router.get("/tables/{table_id}", response=TableDetailOut, summary="One collaborative table")
def get_table(request, table_id: int = _id()):
    t = get_object_or_404(_table_qs(), pk=table_id)
    out = _table(t, services.sector_mix([t]))
    out["description"] = t.description
    out["member_list"] = [
        {"role": m.role, "sector": m.sector,
         "organization": m.organization.name if m.organization_id else None,
         "name": m.public_name or None}
        for m in t.members.select_related("person", "organization")]
    out["sessions"] = [{"date": s.date.isoformat(), "title": s.title, "minutes": s.minutes,
                        "minutes_url": s.minutes_url} for s in t.sessions.all()]
    return out


def _agreement(a: Agreement) -> dict:
    return {"id": a.pk, "kind": a.kind, "title": a.title, "text": a.text,
            "document": a.document.url if a.document else None,
            "signatories": [o.name for o in a.signatories.all()],
            "signatories_note": a.signatories_note, "signed_on": a.signed_on,
            "encounter_number": _number(a.encounter), "table": a.table_id,
            "commitments": a.n_commitments, "source": a.source, "url": a.get_absolute_url(),
            "history": services.api_history_url(a)}


class AgreementPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[AgreementOut]


def _agreement_qs():
    return (Agreement.objects.select_related("encounter").prefetch_related("signatories")
            .annotate(n_commitments=Count("commitments")).order_by("pk"))


@router.get("/agreements", response=AgreementPage, summary="List agreements")
def list_agreements(request, page: Query[Page]):
    count, items = _paged(_agreement_qs(), page)
    return _envelope(count, page, [_agreement(a) for a in items])


@router.get("/agreements/{agreement_id}", response=AgreementOut, summary="One agreement")
def get_agreement(request, agreement_id: int = _id()):
    return _agreement(get_object_or_404(_agreement_qs(), pk=agreement_id))


def _commitment(c: Commitment) -> dict:
    milestones = list(c.milestones.all())
    return {"id": c.pk, "title": c.title, "description": c.description,
            "agreement": c.agreement_id, "table": c.table_id,
            "encounter_number": _number(c.encounter),
            "responsible": c.responsible.name if c.responsible_id else None,
            "due_date": c.due_date, "progress": c.progress,
            "progress_source": "milestones" if milestones else "reported",
            "status": c.status, "status_label": _status_label(c),
            "status_reason": c.status_reason, "overdue": c.is_overdue,
            "milestones": [{"title": m.title, "due_date": m.due_date, "done": m.done,
                            "done_on": m.done_on, "evidence_url": m.evidence_url}
                           for m in milestones],
            "url": c.get_absolute_url(), "history": services.api_history_url(c)}


class CommitmentFilters(Page):
    status: str | None = None
    overdue: bool | None = None
    encounter: int | None = Field(None, ge=0, le=MAX_ID)


class CommitmentPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[CommitmentOut]


def _commitment_qs():
    return (Commitment.objects.select_related("responsible", "agreement__encounter",
                                              "table__encounter")
            .prefetch_related("milestones").order_by("pk"))


@router.get("/commitments", response=CommitmentPage, summary="List commitments")
def list_commitments(request, filters: Query[CommitmentFilters]):
    """Commitments with progress (reported, or derived from milestones when it has them) and
    status; `overdue=true` lists those past their due date and not completed/cancelled."""
    qs = _commitment_qs()
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.overdue is True:
        qs = qs.filter(services.overdue_q())
    elif filters.overdue is False:
        qs = qs.exclude(services.overdue_q())
    if filters.encounter:
        from django.db.models import Q

        qs = qs.filter(Q(agreement__encounter__number=filters.encounter)
                       | Q(table__encounter__number=filters.encounter))
    count, items = _paged(qs, filters)
    return _envelope(count, filters, [_commitment(c) for c in items])


@router.get("/commitments/{commitment_id}", response=CommitmentOut, summary="One commitment")
def get_commitment(request, commitment_id: int = _id()):
    return _commitment(get_object_or_404(_commitment_qs(), pk=commitment_id))


class InitiativeFilters(Page):
    encounter: int | None = Field(None, ge=0, le=MAX_ID)


class InitiativePage(Schema):
    count: int
    limit: int
    offset: int
    items: list[InitiativeOut]


@router.get("/initiatives", response=InitiativePage, summary="List derived initiatives")
def list_initiatives(request, filters: Query[InitiativeFilters]):
    """What grew out of each encounter, ordered by `encounter_number` (paginated)."""
    qs = (Initiative.objects.select_related("encounter").prefetch_related("proposals", "tables")
          .order_by("encounter__number", "order", "pk"))
    if filters.encounter:
        qs = qs.filter(encounter__number=filters.encounter)
    count, rows = _paged(qs, filters)
    return _envelope(count, filters, [
        {"id": i.pk, "key": i.key, "name": i.name, "description": i.description,
         "url": i.url, "status": i.status, "encounter_number": i.encounter.number,
         "encounter_title": i.encounter.title,
         "proposals": [p.pk for p in i.proposals.all() if p.is_public],
         "tables": [t.pk for t in i.tables.all()], "source": i.source,
         "history": services.api_history_url(i)} for i in rows])


class HistoryPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[ChangeOut]


@router.get("/history/{kind}/{object_id}", response=HistoryPage,
            summary="Change history of a proposal, table, agreement, commitment or initiative")
def get_history(request, kind: Kind, page: Query[Page], object_id: int = _id()):
    """Every recorded change, newest first. Actors appear only as role and organization (or
    their name when they have a public profile)."""
    model = services.KINDS.get(kind)
    if model is None:
        raise HttpError(404, "unknown kind")
    obj = get_object_or_404(model, pk=object_id)
    if isinstance(obj, Proposal) and not obj.is_public and not is_admin(request.user):
        raise HttpError(404, "not found")
    count, items = _paged(services.history(obj), page)
    return _envelope(count, page, [
        {"created_at": h.created_at, "actor": h.actor_label, "actor_role": h.actor_role,
         "action": h.action, "changes": h.changes, "note": h.note} for h in items])
