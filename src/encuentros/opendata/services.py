"""Data requests (votes, comments, status), their likely answers, matchmaking of demand with
data holders, and the demand diagnosis."""

from collections import Counter, defaultdict
from dataclasses import dataclass

import numpy as np
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q
from django.utils.translation import gettext as _

from encuentros.core.permissions import is_admin, is_organizer
from encuentros.core.sectors import Sector
from encuentros.ecosystem.models import Organization, Person
from encuentros.encounters.models import Encounter, Registration
from encuentros.matching import assignment, compatibility

from .models import Comment, DataRequest, Dataset, Match, StatusChange, Vote

S = DataRequest.Status
TRANSITIONS = {
    S.OPEN: {S.MATCHED, S.IN_PROGRESS, S.PUBLISHED, S.DECLINED},
    S.MATCHED: {S.IN_PROGRESS, S.PUBLISHED, S.DECLINED, S.OPEN},
    S.IN_PROGRESS: {S.PUBLISHED, S.DECLINED},
    S.PUBLISHED: set(),
    S.DECLINED: {S.OPEN},
}
DEFAULT_CAPACITY = 3  # meetings one agency can take in a matchmaking round


class RequestError(Exception):
    def __init__(self, message, field=None):
        super().__init__(message)
        self.message, self.field = message, field


def person_for(user) -> Person | None:
    return getattr(user, "person", None) if user.is_authenticated else None


@transaction.atomic
def create_request(user, *, title, problem, topic=None, agency=None, desired_format="",
                   frequency="", encounter=None) -> DataRequest:
    if not user.is_authenticated:
        raise RequestError(_("Log in to file a data request."))
    if not title.strip():
        raise RequestError(_("Say what information you need."), field="title")
    if not problem.strip():
        raise RequestError(_("Say which public problem the data would help with."),
                           field="problem")
    person = person_for(user)
    req = DataRequest.objects.create(
        title=title.strip()[:200], problem=problem.strip(), topic=topic, agency=agency,
        desired_format=desired_format, frequency=frequency, encounter=encounter,
        requester=person, requester_sector=person.sector if person else "")
    vote(req, user)  # the requester supports their own request
    return req


def vote(request: DataRequest, user) -> bool:
    """One support per account; returns False if the account had already supported it."""
    if not user.is_authenticated:
        raise RequestError(_("Log in to support a request."))
    try:
        with transaction.atomic():
            Vote.objects.create(request=request, user=user)
    except IntegrityError:
        return False
    DataRequest.objects.filter(pk=request.pk).update(votes_count=F("votes_count") + 1)
    request.refresh_from_db(fields=["votes_count"])
    return True


def comment(request: DataRequest, user, body: str) -> Comment:
    if not user.is_authenticated:
        raise RequestError(_("Log in to comment."))
    if not body.strip():
        raise RequestError(_("Write a comment."), field="body")
    return Comment.objects.create(request=request, author=user, body=body.strip()[:4000])


def can_manage(user, request: DataRequest) -> bool:
    """Admins, organizers of the request's encounter, and public servants of the agency."""
    if is_admin(user):
        return True
    if request.encounter and is_organizer(user, request.encounter):
        return True
    person = person_for(user)
    return bool(person and request.agency_id and person.organization_id == request.agency_id)


def role_of(user, request: DataRequest) -> str:
    if is_admin(user):
        return _("administration")
    if request.encounter and is_organizer(user, request.encounter):
        return _("organizers")
    return _("responsible agency")


@transaction.atomic
def change_status(request: DataRequest, user, new: str, *, reason: str = "",
                  response: str = "") -> DataRequest:
    if not can_manage(user, request):
        raise RequestError(_("Only the organizers or the responsible agency can change the "
                             "status."))
    if new not in TRANSITIONS.get(request.status, set()):
        raise RequestError(_("A request cannot go from “%(old)s” to “%(new)s”.")
                           % {"old": S(request.status).label, "new": S(new).label},
                           field="status")
    if new == S.DECLINED and not reason.strip():
        raise RequestError(_("Declining a request needs a public reason."), field="reason")
    StatusChange.objects.create(request=request, old=request.status, new=new,
                                reason=reason.strip(), by_role=role_of(user, request))
    request.status = new
    if reason.strip():
        request.public_reason = reason.strip()
    if response.strip():
        request.agency_response = response.strip()
    request.save()
    return request


def requester_label(request: DataRequest) -> str:
    """Who asked, as the public may see it."""
    person = request.requester
    if person and person.public_profile:
        return person.full_name
    if request.requester_sector:
        return _("someone from %(sector)s") % {"sector": Sector(request.requester_sector).label}
    return _("anonymous")


# --- Likely answers --------------------------------------------------------------------------

def _request_text(r: DataRequest) -> str:
    return f"{r.title} {r.title} {r.problem} {r.topic.name if r.topic else ''}"


def _dataset_text(d: Dataset) -> str:
    themes = " ".join(t.name for t in d.themes.all())
    return f"{d.title} {d.title} {' '.join(d.keywords)} {themes} {d.description[:1000]}"


def similar_datasets(request: DataRequest, limit: int = 5) -> list[tuple[Dataset, float]]:
    datasets = list(Dataset.objects.select_related("publisher").prefetch_related("themes"))
    if not datasets:
        return []
    sims = compatibility.text_similarity([_request_text(request)],
                                         [_dataset_text(d) for d in datasets])[0]
    order = np.argsort(-sims)[:limit]
    return [(datasets[i], round(float(sims[i]), 2)) for i in order if sims[i] > 0.05]


def likely_holders(request: DataRequest, limit: int = 5) -> list[tuple[Organization, float]]:
    """Agencies whose datasets resemble the request (best dataset score per publisher), plus
    the agency the requester named."""
    scores: dict[int, float] = {}
    orgs: dict[int, Organization] = {}
    for dataset, score in similar_datasets(request, limit=30):
        if dataset.publisher_id:
            if score > scores.get(dataset.publisher_id, 0):
                scores[dataset.publisher_id] = score
                orgs[dataset.publisher_id] = dataset.publisher
    if request.agency_id:
        orgs[request.agency_id] = request.agency
        scores[request.agency_id] = max(scores.get(request.agency_id, 0), 0.5)
    ranked = sorted(scores.items(), key=lambda kv: -kv[1])[:limit]
    return [(orgs[pk], round(score, 2)) for pk, score in ranked]


# --- Matchmaking -----------------------------------------------------------------------------

@dataclass
class MatchPlan:
    matches: list[Match]
    total: float
    demands: int
    holders: int


def holders_for(encounter: Encounter) -> list[Organization]:
    """Data-holding organizations: government agencies with datasets, named in requests, or
    with public servants registered at the encounter."""
    ids = set(Dataset.objects.exclude(publisher=None).values_list("publisher_id", flat=True))
    ids |= set(DataRequest.objects.filter(encounter=encounter).exclude(agency=None)
               .values_list("agency_id", flat=True))
    ids |= set(encounter.registrations.filter(status=Registration.Status.REGISTERED,
                                              sector=Sector.GOVERNMENT)
               .exclude(organization=None).values_list("organization_id", flat=True))
    return list(Organization.objects.filter(pk__in=ids, sector=Sector.GOVERNMENT)
                .prefetch_related("topics", "datasets__themes").order_by("pk"))


@transaction.atomic
def run_matchmaking(encounter: Encounter, capacity: int | dict = DEFAULT_CAPACITY,
                    slots: int | None = None) -> MatchPlan:
    """Optimal assignment of the encounter's open requests to data holders, then scheduled in
    time slots so that no person and no agency is in two meetings at once. Edited matches are
    kept; the rest are recomputed."""
    demands = list(encounter.data_requests.filter(status__in=[S.OPEN, S.MATCHED])
                   .select_related("topic", "requester", "agency").order_by("pk"))
    holders = holders_for(encounter)
    kept = list(encounter.matches.filter(edited=True).select_related("request", "organization"))
    encounter.matches.filter(edited=False).delete()
    kept_requests = {m.request_id for m in kept}
    demands = [d for d in demands if d.pk not in kept_requests]
    if not demands or not holders:
        return MatchPlan(kept, 0.0, len(demands), len(holders))
    holder_text = [" ".join([o.name, o.description] + [d.title + " " + " ".join(d.keywords)
                                                       for d in o.datasets.all()[:50]])
                   for o in holders]
    text = compatibility.text_similarity([_request_text(d) for d in demands], holder_text)
    demand_topics = [{d.topic_id} if d.topic_id else set() for d in demands]
    holder_topics = [{t.pk for t in o.topics.all()} | {t.pk for ds in o.datasets.all()
                                                       for t in ds.themes.all()}
                     for o in holders]
    topics = compatibility.topic_jaccard(demand_topics, holder_topics)
    topics = np.where(np.array([[bool(a & b) for b in holder_topics] for a in demand_topics]),
                      np.maximum(topics, 0.5), topics)
    sectors = compatibility.sector_complementarity([d.requester_sector or "citizen"
                                                    for d in demands],
                                                   [o.sector for o in holders])
    scores = compatibility.combine(text, topics, sectors)
    for i, d in enumerate(demands):  # the agency the requester named is a strong hint
        if d.agency_id:
            for j, o in enumerate(holders):
                if o.pk == d.agency_id:
                    scores[i, j] += 0.3
    caps = [capacity.get(o.pk, DEFAULT_CAPACITY) if isinstance(capacity, dict) else capacity
            for o in holders]
    used = Counter(m.organization_id for m in kept)
    caps = [max(0, c - used[o.pk]) for c, o in zip(caps, holders, strict=True)]
    result = assignment.solve(scores.tolist(), caps)
    new = []
    holder_topic_names = [{t.name for t in o.topics.all()} | {t.name for ds in o.datasets.all()
                                                              for t in ds.themes.all()}
                          for o in holders]
    for i, j in result.pairs():
        d, o = demands[i], holders[j]
        why = []
        if d.topic and d.topic.name in holder_topic_names[j]:
            why.append(_("shared topic: %(t)s") % {"t": d.topic.name})
        if d.agency_id == o.pk:
            why.append(_("named by the requester"))
        best = _best_dataset(d, o)
        if best:
            why.append(_("dataset “%(d)s” matches %(s).2f") % {"d": best[0].title[:80],
                                                                "s": best[1]})
        why.append(_("text similarity %(s).2f") % {"s": text[i, j]})
        new.append(Match(encounter=encounter, request=d, organization=o,
                         score=round(float(scores[i, j]), 4), explanation="; ".join(why)[:500]))
    Match.objects.bulk_create(new)
    DataRequest.objects.filter(pk__in=[m.request_id for m in new], status=S.OPEN) \
        .update(status=S.MATCHED)
    schedule(encounter, slots=slots)
    return MatchPlan(list(encounter.matches.select_related("request", "organization")),
                     result.total, len(demands), len(holders))


def _best_dataset(request: DataRequest, org: Organization):
    datasets = list(org.datasets.all()[:50])
    if not datasets:
        return None
    sims = compatibility.text_similarity([_request_text(request)],
                                         [_dataset_text(d) for d in datasets])[0]
    k = int(np.argmax(sims))
    return (datasets[k], float(sims[k])) if sims[k] > 0.05 else None


def schedule(encounter: Encounter, slots: int | None = None) -> None:
    """Give every match a time slot and a table: within a slot, no requester and no agency
    appears twice (greedy edge colouring of the requester–agency graph)."""
    matches = list(encounter.matches.select_related("request").order_by("-score", "pk"))
    busy: dict[int, set] = defaultdict(set)
    for m in matches:
        people = {("org", m.organization_id)}
        if m.request.requester_id:
            people.add(("person", m.request.requester_id))
        slot = 1
        while busy[slot] & people:
            slot += 1
        busy[slot] |= people
        m.slot = slot
    tables = Counter()
    for m in sorted(matches, key=lambda m: (m.slot, m.organization_id)):
        tables[m.slot] += 1
        m.table = tables[m.slot]
    Match.objects.bulk_update(matches, ["slot", "table"])


def edit_match(match: Match, organization: Organization) -> Match:
    """The organizer reassigns a request to another holder; the match is kept on re-runs."""
    match.organization = organization
    match.edited = True
    match.explanation = _("assigned by the organizers")
    match.save()
    schedule(match.encounter)
    return match


# --- Demand diagnosis ------------------------------------------------------------------------

SATISFIED = [S.PUBLISHED]
PENDING = [S.OPEN, S.MATCHED, S.IN_PROGRESS]


def demand_summary() -> dict:
    """Aggregates only: by topic, agency, requester sector, month; satisfied vs unmet."""
    qs = DataRequest.objects.all()
    by_status = dict(qs.values_list("status").annotate(n=Count("pk")))

    def grouped(field, label_field):
        rows = (qs.values(field, label_field).annotate(
            total=Count("pk"), votes=Count("votes", distinct=True),
            pending=Count("pk", filter=Q(status__in=PENDING), distinct=True),
            satisfied=Count("pk", filter=Q(status__in=SATISFIED), distinct=True))
            .order_by("-total", label_field))
        return [{"key": r[field], "label": r[label_field] or _("not stated"), "total": r["total"],
                 "pending": r["pending"], "satisfied": r["satisfied"]} for r in rows]

    sectors = dict(Sector.choices)
    by_sector = [{"key": r["requester_sector"] or None,
                  "label": str(sectors.get(r["requester_sector"], _("not stated"))),
                  "total": r["total"]}
                 for r in qs.values("requester_sector").annotate(total=Count("pk"))
                 .order_by("-total")]
    months = Counter(d.strftime("%Y-%m") for d in qs.values_list("created_at", flat=True))
    top_unmet = [{"id": r.pk, "title": r.title, "votes": r.votes_count,
                  "agency": r.agency.name if r.agency else None, "status": r.status}
                 for r in qs.filter(status__in=PENDING).select_related("agency")
                 .order_by("-votes_count", "pk")[:10]]
    total = sum(by_status.values())
    return {
        "total": total,
        "by_status": {s: by_status.get(s, 0) for s in S.values},
        "satisfied": sum(by_status.get(s, 0) for s in SATISFIED),
        "unmet": sum(by_status.get(s, 0) for s in PENDING),
        "declined": by_status.get(S.DECLINED, 0),
        "by_topic": grouped("topic_id", "topic__name"),
        "by_agency": grouped("agency_id", "agency__name"),
        "by_sector": by_sector,
        "by_month": [{"month": m, "total": n} for m, n in sorted(months.items())],
        "top_unmet": top_unmet,
        "agencies_most_pending": sorted(
            [a for a in grouped("agency_id", "agency__name") if a["key"] and a["pending"]],
            key=lambda a: -a["pending"])[:10],
    }
