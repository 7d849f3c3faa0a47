"""Benchmark of the ecosystem atlas on synthetic data.

Run: .venv/bin/python benchmarks/atlas.py [--people 50000] [--organizations 5000]
     [--encounters 10] [--db /tmp/atlas-bench.sqlite3]

Creates (once, in its own SQLite file unless --db points elsewhere) people spread over
organizations of the four sectors, each person attending one to three of the encounters and
sitting at tables of 8 for 3 rounds at each; then measures, with a cold cache:

* building the organization graph and every metric (degree, betweenness, brokers,
  communities, per-encounter ratios), seconds and peak traced memory;
* the same at the person level (people with a public profile, about 4%);
* the graph page's data endpoint (/api/v1/atlas/graph) for a view of about 2,000 nodes:
  first call (layout computed) and following calls (cached).
"""

import argparse
import os
import sys
import time
import tracemalloc
from pathlib import Path


def setup(db: str, fresh: bool):
    if fresh and Path(db).exists():
        Path(db).unlink()
    os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    os.environ.setdefault("ALLOWED_HOSTS", "localhost")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "encuentros.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def populate(people: int, organizations: int, encounters: int, seed: int = 7):
    import datetime as dt

    import numpy as np
    from django.db import connection, transaction

    from encuentros.core.sectors import Sector
    from encuentros.ecosystem.models import Organization, Person
    from encuentros.encounters.models import (
        Encounter,
        Registration,
        Seat,
        SeatingPlan,
        Venue,
    )

    if Encounter.objects.filter(number__gte=1000).count() == encounters:
        return "reused"
    rng = np.random.default_rng(seed)
    sectors = [Sector.GOVERNMENT, Sector.CIVIL_SOCIETY, Sector.ACADEMIA, Sector.PRIVATE]
    weights = [0.4, 0.3, 0.15, 0.15]
    with transaction.atomic():
        venue = Venue.objects.create(name="Sede de prueba")
        org_sector = rng.choice(4, size=organizations, p=weights)
        Organization.objects.bulk_create(
            Organization(name=f"Org {i:05d}", name_key=f"org {i:05d}", slug=f"org-{i:05d}",
                         sector=sectors[s]) for i, s in enumerate(org_sector.tolist()))
        org_ids = np.array(Organization.objects.filter(name__startswith="Org ")
                           .order_by("pk").values_list("pk", flat=True))
        person_org = rng.integers(0, organizations, size=people)
        public = rng.random(people) < 0.04
        Person.objects.bulk_create(
            (Person(full_name=f"Persona {i:06d}", sector=sectors[org_sector[o]],
                    organization_id=int(org_ids[o]), public_profile=bool(public[i]))
             for i, o in enumerate(person_org.tolist())), batch_size=5000)
        person_ids = np.array(Person.objects.filter(full_name__startswith="Persona ")
                              .order_by("pk").values_list("pk", flat=True))
        encs = [Encounter.objects.create(
            number=1000 + k, title=f"Encuentro sintético {k + 1}", start_date=dt.date(2020 + k, 1,
                                                                                        1),
            end_date=dt.date(2020 + k, 1, 1), venue=venue, is_published=True)
            for k in range(encounters)]
        attends = [rng.choice(encounters, size=rng.integers(1, 4), replace=False)
                   for _ in range(people)]
        regs = []
        token = 0
        for i, es in enumerate(attends):
            for e in es.tolist():
                token += 1
                regs.append(Registration(
                    encounter=encs[e], person_id=int(person_ids[i]),
                    organization_id=int(org_ids[person_org[i]]),
                    sector=sectors[org_sector[person_org[i]]],
                    badge_token=f"b{token:010d}", source="bench"))
        Registration.objects.bulk_create(regs, batch_size=5000)
        for enc in encs:
            reg_ids = np.array(enc.registrations.values_list("pk", flat=True))
            plan = SeatingPlan.objects.create(encounter=enc, title="Bench", table_size=8,
                                              rounds=3)
            seats = []
            for rnd in range(1, 4):
                order = rng.permutation(reg_ids)
                for pos, reg in enumerate(order.tolist()):
                    seats.append(Seat(plan=plan, registration_id=reg, round=rnd,
                                      table=pos // 8 + 1))
            Seat.objects.bulk_create(seats, batch_size=10000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return "created"


def measure(label, func):
    """Seconds from a plain run; peak memory from a second run under tracemalloc (which slows
    Python down, so it is not timed). Both with a cold cache."""
    from django.core.cache import cache

    cache.clear()
    started = time.perf_counter()
    result = func()
    elapsed = time.perf_counter() - started
    cache.clear()
    tracemalloc.start()
    func()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return label, elapsed, peak / 2**20, result


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=50_000)
    parser.add_argument("--organizations", type=int, default=5_000)
    parser.add_argument("--encounters", type=int, default=10)
    parser.add_argument("--db", default="/tmp/encuentros-atlas-bench.sqlite3")
    parser.add_argument("--fresh", action="store_true", help="rebuild the database")
    args = parser.parse_args(argv)
    setup(args.db, args.fresh)
    started = time.perf_counter()
    how = populate(args.people, args.organizations, args.encounters)
    print(f"data {how} in {time.perf_counter() - started:.1f} s "
          f"({args.people} people, {args.organizations} organizations, "
          f"{args.encounters} encounters)\n")

    from django.core.cache import cache
    from django.test import Client

    from encuentros.ecosystem import atlas
    from encuentros.encounters.models import Registration, Seat

    print(f"registrations {Registration.objects.count()}, seats {Seat.objects.count()}\n")
    rows = []
    rows.append(measure("organization graph + all metrics", lambda: atlas.metrics()))
    rows.append(measure("person graph + all metrics (public profiles)",
                        lambda: atlas.metrics("person")))
    head = f"{'step':<46} {'seconds':>8} {'peak MiB':>9}  result"
    print(head)
    print("-" * len(head))
    for label, sec, mib, result in rows:
        print(f"{label:<46} {sec:>8.2f} {mib:>9.1f}  {result['nodes']} nodes, "
              f"{result['edges']} edges, {result['communities']} communities")

    client = Client(HTTP_HOST="localhost")
    url = "/api/v1/atlas/graph?level=organization&sector=government"
    cache.clear()
    started = time.perf_counter()
    response = client.get(url)
    cold = time.perf_counter() - started
    nodes = len(response.json()["nodes"])
    warm = []
    for _ in range(5):
        started = time.perf_counter()
        client.get(url)
        warm.append(time.perf_counter() - started)
    shown = response.json()["edges_shown"]
    total = response.json()["edges_total"]
    print(f"\n/api/v1/atlas/graph for {nodes} nodes ({shown} of {total} edges): "
          f"first call {cold * 1000:.0f} ms "
          f"(graph, metrics and layout computed), then median "
          f"{sorted(warm)[2] * 1000:.0f} ms (cached); target < 300 ms")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    sys.exit(main())
