"""Seating plans for table dynamics: generation, quality, manual moves and re-optimisation.

The combinatorics live in ``encuentros.matching.rotations`` (no Django); this module maps
registrations to indices and back, stores Seats, and measures what the plan achieves.
"""

import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from itertools import combinations

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import AgendaItem, Encounter, Registration, Seat, SeatingPlan

MAX_SECONDS = 10.0


class SeatingError(Exception):
    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


def participants(encounter: Encounter, source: str) -> list[Registration]:
    qs = encounter.registrations.filter(status=Registration.Status.REGISTERED)
    if source == SeatingPlan.Source.CHECKED_IN:
        qs = qs.filter(checked_in_at__isnull=False)
    return list(qs.select_related("person", "organization").prefetch_related("topics")
                .order_by("pk"))


def _validate(n: int, table_size: int, rounds: int) -> None:
    if n < 2:
        raise SeatingError(_("At least two people are needed to make tables (there are %(n)s).")
                           % {"n": n})
    if not 2 <= table_size <= 50:
        raise SeatingError(_("Tables must seat between 2 and 50 people."), field="table_size")
    if not 1 <= rounds <= 30:
        raise SeatingError(_("Choose between 1 and 30 rounds."), field="rounds")


def check(encounter: Encounter, *, table_size: int, rounds: int, source: str) -> None:
    """Raise SeatingError now if a plan with these settings cannot be made (before queueing)."""
    qs = encounter.registrations.filter(status=Registration.Status.REGISTERED)
    if source == SeatingPlan.Source.CHECKED_IN:
        qs = qs.filter(checked_in_at__isnull=False)
    _validate(qs.count(), table_size, rounds)


def generate(encounter: Encounter, *, table_size: int, rounds: int,
             source: str = SeatingPlan.Source.CHECKED_IN, agenda_item: AgendaItem | None = None,
             title: str = "", prefer_shared_topics: bool = False, seconds: float = 2.0,
             seed: int = 0) -> SeatingPlan:
    regs = participants(encounter, source)
    _validate(len(regs), table_size, rounds)
    plan = SeatingPlan(
        encounter=encounter, agenda_item=agenda_item, table_size=table_size, rounds=rounds,
        source=source, prefer_shared_topics=prefer_shared_topics, seed=seed,
        title=title or (agenda_item.title if agenda_item else _("Seating plan")))
    with transaction.atomic():
        plan.save()
        _solve_and_store(plan, regs, held=[], locked={}, seconds=seconds)
    return plan


def reoptimise(plan: SeatingPlan, *, seconds: float = 2.0) -> SeatingPlan:
    """Plan again the rounds not yet held, with whoever is present now.

    Rounds up to ``plan.rounds_held`` stay as they were (and count as already met); locked
    seats stay at their table; latecomers are seated and absentees removed.
    """
    regs = participants(plan.encounter, plan.source)
    _validate(len(regs), plan.table_size, plan.rounds)
    present = {r.pk for r in regs}
    seats = list(plan.seats.all())
    held = [s for s in seats if s.round <= plan.rounds_held]
    locked = {(s.registration_id, s.round): s.table for s in seats
              if s.locked and s.round > plan.rounds_held and s.registration_id in present}
    with transaction.atomic():
        plan.seats.filter(round__gt=plan.rounds_held).delete()
        _solve_and_store(plan, regs, held=held, locked=locked, seconds=seconds)
    return plan


def _solve_and_store(plan, regs, *, held, locked, seconds):
    index = {r.pk: i for i, r in enumerate(regs)}
    previous = []
    for rnd in range(1, plan.rounds_held + 1):
        tables = defaultdict(list)
        for s in held:
            if s.round == rnd and s.registration_id in index:
                tables[s.table].append(index[s.registration_id])
        previous.append([tables[t] for t in sorted(tables)])
    new_rounds = plan.rounds - plan.rounds_held
    if new_rounds <= 0:
        return
    fixed = {(index[pk], rnd - plan.rounds_held - 1): table - 1
             for (pk, rnd), table in locked.items()}
    from encuentros.matching.rotations import plan_rotations

    topics = [frozenset(t.pk for t in r.topics.all()) for r in regs]
    started = time.perf_counter()
    result = plan_rotations(
        n_people=len(regs), sectors=[r.sector for r in regs], table_sizes=plan.table_size,
        rounds=new_rounds, topics=topics, prefer_shared_topics=plan.prefer_shared_topics,
        fixed=fixed, previous_rounds=previous, seconds=min(seconds, MAX_SECONDS),
        seed=plan.seed)
    plan.seconds = round(time.perf_counter() - started, 3)
    locked_keys = set(locked)
    Seat.objects.bulk_create(
        Seat(plan=plan, registration_id=regs[i].pk, round=plan.rounds_held + r + 1, table=t + 1,
             locked=(regs[i].pk, plan.rounds_held + r + 1) in locked_keys)
        for r, tables in enumerate(result.rounds)
        for t, people in enumerate(tables)
        for i in people
    )
    plan.method = result.method
    plan.repeated_pairs = repeated_pairs(plan)
    plan.save(update_fields=["method", "repeated_pairs", "seconds", "updated_at"])


def move(plan: SeatingPlan, registration: Registration, round_number: int, table: int,
         *, lock: bool = True) -> Seat:
    """Put a person at a table in one round (and lock it there, by default)."""
    if not 1 <= round_number <= plan.rounds:
        raise SeatingError(_("There is no round %(n)s.") % {"n": round_number}, field="round")
    tables = table_count(plan)
    if not 1 <= table <= tables:
        raise SeatingError(_("Choose a table between 1 and %(n)s.") % {"n": tables},
                           field="table")
    if round_number <= plan.rounds_held:
        raise SeatingError(_("Round %(n)s already took place.") % {"n": round_number},
                           field="round")
    with transaction.atomic():
        seat, _created = Seat.objects.update_or_create(
            plan=plan, registration=registration, round=round_number,
            defaults={"table": table, "locked": lock})
        plan.repeated_pairs = repeated_pairs(plan)
        plan.save(update_fields=["repeated_pairs", "updated_at"])
    return seat


# The engine names its method in English (it has no Django); these are the words people read.
_METHOD_WORDS = [
    ("greedy + tabu search", gettext_lazy("greedy start and tabu search")),
    ("sector quotas", gettext_lazy("sector quotas per table")),
    ("round robin", gettext_lazy("round robin")),
    ("affine geometry", gettext_lazy("affine geometry")),
    ("resolvable transversal design", gettext_lazy("resolvable transversal design")),
    ("one per sector", gettext_lazy("one person per sector at each table")),
    ("packing of", gettext_lazy("line packing of")),
    ("resolved Hermitian unital of order 3", gettext_lazy("resolved Hermitian unital of order 3")),
    ("Latin square grid", gettext_lazy("Latin square grid")),
    ("stored resolvable design", gettext_lazy("stored resolvable design")),
]


def method_label(method: str) -> str:
    """The engine's method description with its known words translated."""
    text = method or ""
    for english, translated in _METHOD_WORDS:
        text = text.replace(english, str(translated))
    return text


def table_count(plan: SeatingPlan) -> int:
    top = plan.seats.order_by("-table").values_list("table", flat=True).first()
    return top or 0


# --- Quality ---------------------------------------------------------------------------------

def _grid(rows):
    """{round: {table: [(registration_id, sector)]}} from (reg, sector, round, table) rows."""
    grid = defaultdict(lambda: defaultdict(list))
    for reg_id, sector, rnd, table in rows:
        grid[rnd][table].append((reg_id, sector))
    return grid


_SEAT_ROW = ("registration_id", "registration__sector", "round", "table")


def _tables(plan: SeatingPlan):
    return _grid(plan.seats.values_list(*_SEAT_ROW))


def repeated_pairs(plan: SeatingPlan) -> int:
    return quality(plan).repeated_pairs


@dataclass
class Quality:
    people: int = 0
    tables: int = 0
    repeated_pairs: int = 0
    cross_sector_contacts: list = field(default_factory=list)  # per person
    sector_mix: dict = field(default_factory=dict)  # {round: {table: Counter(sector)}}
    unbalanced_tables: int = 0  # tables whose sector counts are not as even as possible

    @property
    def contacts_min(self):
        return min(self.cross_sector_contacts, default=0)

    @property
    def contacts_mean(self):
        values = self.cross_sector_contacts
        return round(sum(values) / len(values), 1) if values else 0

    @property
    def contacts_max(self):
        return max(self.cross_sector_contacts, default=0)


def quality(plan: SeatingPlan) -> Quality:
    return _quality(_tables(plan))


def qualities(plans) -> dict[int, Quality]:
    """Quality of many plans in one query."""
    plans = list(plans)
    rows = defaultdict(list)
    for plan_id, *row in Seat.objects.filter(plan__in=plans).values_list("plan_id", *_SEAT_ROW):
        rows[plan_id].append(row)
    return {plan.pk: _quality(_grid(rows[plan.pk])) for plan in plans}


def _quality(grid) -> Quality:
    met = Counter()
    contacts = defaultdict(set)
    people = set()
    mix = {}
    unbalanced = 0
    for rnd, tables in sorted(grid.items()):
        everyone = [s for seats in tables.values() for _p, s in seats]
        totals = Counter(everyone)
        n = len(everyone)
        mix[rnd] = {}
        for table, seats in sorted(tables.items()):
            counts = Counter(s for _p, s in seats)
            mix[rnd][table] = counts
            size = len(seats)
            for sector, total in totals.items():
                ideal = total * size / n
                if not (int(ideal) <= counts.get(sector, 0) <= -int(-ideal // 1)):
                    unbalanced += 1
                    break
            for (a, sa), (b, sb) in combinations(seats, 2):
                met[tuple(sorted((a, b)))] += 1
                if sa != sb:
                    contacts[a].add(b)
                    contacts[b].add(a)
            people.update(p for p, _s in seats)
    return Quality(
        people=len(people), tables=max((len(t) for t in grid.values()), default=0),
        repeated_pairs=sum(t - 1 for t in met.values() if t > 1),
        cross_sector_contacts=[len(contacts[p]) for p in sorted(people)],
        sector_mix=mix, unbalanced_tables=unbalanced)


def grid_with_people(plan: SeatingPlan):
    """Rounds → tables → seats with registration, person and organization (3 queries)."""
    seats = plan.seats.select_related("registration__person", "registration__organization")
    grid = defaultdict(lambda: defaultdict(list))
    for seat in seats:
        grid[seat.round][seat.table].append(seat)
    return [(rnd, [(t, grid[rnd][t]) for t in sorted(grid[rnd])]) for rnd in sorted(grid)]


def person_cards(plan: SeatingPlan):
    """[(registration, [(round, table), ...])] sorted by name, for per-person cards."""
    by_reg = defaultdict(list)
    regs = {}
    for seat in plan.seats.select_related("registration__person", "registration__organization"):
        by_reg[seat.registration_id].append((seat.round, seat.table))
        regs[seat.registration_id] = seat.registration
    return sorted(((regs[k], sorted(v)) for k, v in by_reg.items()),
                  key=lambda item: item[0].person.full_name)


def seats_for(registration: Registration):
    """The seats of one participant, grouped by plan."""
    plans = defaultdict(list)
    for seat in registration.seats.select_related("plan").order_by("plan_id", "round"):
        plans[seat.plan].append(seat)
    return list(plans.items())
