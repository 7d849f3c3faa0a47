"""The demo data scaled up, for load benchmarks (benchmarks/http.py).

Run on its own: DATABASE_URL=... .venv/bin/python benchmarks/scale_data.py [--fresh]
(default database: var/bench.sqlite3 of the checkout).

Loads the regular demo (`encuentros load_demo`: five historical encounters and the synthetic
sixth, with its agreements, datasets, commitments...) and then adds, with bulk inserts in
batches and a fixed seed, invented rows up to these totals:

* 1,000 organizations, 100,000 people (4 % with a public profile), 20 encounters;
* every person registered at one of encounters 7–20 (three in ten at a second one); the last
  encounter (``BIG``, upcoming, registration open) holds about 9,000 registrations and is the
  one whose page and check-in are measured; seating plans (tables of 8, 3 rounds) at five
  past encounters, so the atlas has ties to compute;
* 10,000 citizen proposals and 10,000 data requests, linked to datasets and each other;
* 2,000 datasets, 200 agreements with 1,000 commitments (two milestones each);
* an organizer account (``ORGANIZER``) of the big encounter.

Idempotent: a database that already holds the scaled data is reused as it is (migrated first).
SQLite gets no ANALYZE (the app never runs one); PostgreSQL does, as autovacuum would.
"""

import sys
from pathlib import Path

# benchmarks/http.py is named like the standard library's http package: keep this folder off
# the path (it is sys.path[0] when this file runs as a script).
HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]

import argparse  # noqa: E402
import datetime as dt  # noqa: E402
import os  # noqa: E402
import time  # noqa: E402

CHECKOUT = HERE.parent
SEED = 20261125
ORGANIZATIONS = 1_000
PEOPLE = 100_000
ENCOUNTERS = 20
BIG = 20  # number of the encounter measured (page, check-in)
PROPOSALS = 10_000
DATA_REQUESTS = 10_000
DATASETS = 2_000
AGREEMENTS = 200
COMMITMENTS = 1_000
SEATED_ENCOUNTERS = (7, 8, 9, 10, 11)
ORGANIZER = ("bench-organizer", "bench-organizer-password-1")
BATCH = 5_000
MARKER = "Encuentro escalado"  # title prefix of the added encounters


def setup_django(settings_module: str = "encuentros.settings") -> None:
    sys.path.insert(0, str(CHECKOUT / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", settings_module)
    import django

    django.setup()


def is_populated() -> bool:
    from encuentros.encounters.models import Encounter

    return Encounter.objects.filter(number=BIG, title__startswith=MARKER).exists()


def populate(verbose: bool = True) -> str:  # noqa: C901 - one linear script
    """Fill the database configured in Django's settings; returns "reused" or "created"."""
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    if is_populated():
        return "reused"

    import numpy as np
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction

    from encuentros.collaboration.models import (
        Agreement,
        Challenge,
        Commitment,
        Milestone,
        Proposal,
    )
    from encuentros.core.roles import make_organizer
    from encuentros.core.sectors import Sector
    from encuentros.ecosystem.models import Organization, Person, Topic
    from encuentros.encounters.models import (
        AgendaItem,
        Encounter,
        Registration,
        Seat,
        SeatingPlan,
        Venue,
    )
    from encuentros.opendata.models import DataRequest, Dataset

    started = time.perf_counter()

    def step(label):
        if verbose:
            print(f"  {time.perf_counter() - started:6.1f} s  {label}", flush=True)

    call_command("load_demo", verbosity=0)
    step("demo loaded")
    rng = np.random.default_rng(SEED)
    sectors = [Sector.GOVERNMENT, Sector.CIVIL_SOCIETY, Sector.ACADEMIA, Sector.PRIVATE]
    kinds = ["agency", "ngo", "university", "company"]
    topics = list(Topic.objects.order_by("pk").values_list("pk", flat=True))
    today = dt.date.today()

    with transaction.atomic():
        # Organizations
        n_orgs = ORGANIZATIONS - Organization.objects.count()
        org_sector = rng.choice(4, size=n_orgs, p=[0.4, 0.3, 0.15, 0.15]).tolist()
        Organization.objects.bulk_create(
            (Organization(name=f"Organización escalada {i:04d}",
                          name_key=f"organizacion escalada {i:04d}",
                          slug=f"organizacion-escalada-{i:04d}", sector=sectors[s],
                          kind=kinds[s], borough=f"Alcaldía {i % 16 + 1}",
                          description="Organización ficticia para pruebas de carga.")
             for i, s in enumerate(org_sector)), batch_size=BATCH)
        orgs = list(Organization.objects.order_by("pk").values_list("pk", "sector"))
        org_ids = np.array([pk for pk, _ in orgs])
        org_sectors = [s for _, s in orgs]
        through = Organization.topics.through
        through.objects.bulk_create(
            (through(organization_id=int(o), topic_id=t)
             for o in org_ids[-n_orgs:].tolist()
             for t in rng.choice(topics, size=2, replace=False).tolist()), batch_size=BATCH)
        step(f"{len(orgs)} organizations")

        # People
        n_people = PEOPLE - Person.objects.count()
        person_org = rng.integers(0, len(orgs), size=n_people).tolist()
        public = (rng.random(n_people) < 0.04).tolist()
        Person.objects.bulk_create(
            (Person(full_name=f"Persona Escalada {i:06d}", organization_id=int(org_ids[o]),
                    sector=org_sectors[o], public_profile=public[i])
             for i, o in enumerate(person_org)), batch_size=BATCH)
        people = np.array(Person.objects.filter(full_name__startswith="Persona Escalada ")
                          .order_by("pk").values_list("pk", flat=True))
        step(f"{Person.objects.count()} people")

        # Encounters 7..20: past ones, the big one upcoming with registration open
        venue = Venue.objects.create(name="Sede escalada (prueba de carga)")
        first = Encounter.objects.order_by("-number").values_list("number", flat=True)[0] + 1
        encounters = {}
        for number in range(first, ENCOUNTERS + 1):
            if number == BIG:
                start = today + dt.timedelta(days=30)
            else:
                start = dt.date(2000 + number, 6, 1)
            enc = Encounter.objects.create(
                number=number, title=f"{MARKER} {number}", theme="Datos para la ciudad",
                objective="Encuentro ficticio para pruebas de carga.", start_date=start,
                end_date=start + dt.timedelta(days=1), venue=venue, is_published=True,
                registration_open=number == BIG, capacity=20_000 if number == BIG else None)
            enc.topics.set(topics[number % len(topics):][:3])
            AgendaItem.objects.bulk_create(
                AgendaItem(encounter=enc, title=f"Sesión {k + 1}", kind="talk",
                           starts_at=dt.datetime.combine(start, dt.time(9 + k),
                                                         tzinfo=dt.UTC))
                for k in range(6))
            encounters[number] = enc
        numbers = sorted(encounters)
        step(f"encounters {numbers[0]}..{numbers[-1]}")

        # Registrations: everyone at one encounter, three in ten at a second one
        primary = rng.integers(0, len(numbers), size=len(people))
        second = rng.integers(0, len(numbers), size=len(people))
        has_second = (rng.random(len(people)) < 0.3) & (second != primary)
        pairs = [(i, numbers[e]) for i, e in enumerate(primary.tolist())]
        pairs += [(i, numbers[e]) for i in np.flatnonzero(has_second).tolist()
                  for e in [int(second[i])]]
        pairs.sort(key=lambda p: p[1])
        created = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
        Registration.objects.bulk_create(
            (Registration(encounter=encounters[num], person_id=int(people[i]),
                          organization_id=int(org_ids[person_org[i]]),
                          sector=org_sectors[person_org[i]], source="bench",
                          badge_token=f"bench{k:08d}",
                          created_at=created + dt.timedelta(seconds=k))
             for k, (i, num) in enumerate(pairs)), batch_size=BATCH)
        step(f"{Registration.objects.count()} registrations")

        # Seating plans at five past encounters
        for number in SEATED_ENCOUNTERS:
            enc = encounters.get(number)
            if enc is None:
                continue
            regs = np.array(enc.registrations.order_by("pk").values_list("pk", flat=True))
            plan = SeatingPlan.objects.create(encounter=enc, title="Mesas (prueba de carga)",
                                              table_size=8, rounds=3, source="registered")
            Seat.objects.bulk_create(
                (Seat(plan=plan, registration_id=int(r), round=rnd, table=pos // 8 + 1)
                 for rnd in (1, 2, 3)
                 for pos, r in enumerate(rng.permutation(regs).tolist())), batch_size=BATCH)
        step(f"{Seat.objects.count()} seats")

        # Datasets
        formats = [["CSV"], ["CSV", "JSON"], ["XLSX"], ["GeoJSON", "SHP"], ["JSON"]]
        gov = [o for o, s in zip(org_ids.tolist(), org_sectors, strict=True)
               if s == Sector.GOVERNMENT]
        n_ds = DATASETS - Dataset.objects.count()
        Dataset.objects.bulk_create(
            (Dataset(title=f"Conjunto escalado {i:05d}",
                     description="Conjunto de datos ficticio para pruebas de carga.",
                     publisher_id=gov[i % len(gov)], keywords=["prueba", f"tema{i % 12}"],
                     formats=formats[i % len(formats)], licence="CC-BY-4.0",
                     landing_url=f"https://datos.example.org/dataset/{i}",
                     source_catalog="https://datos.example.org", identifier=f"bench-{i}",
                     modified=dt.date(2025, 1, 1) + dt.timedelta(days=i % 300))
             for i in range(n_ds)), batch_size=BATCH)
        datasets = np.array(Dataset.objects.order_by("pk").values_list("pk", flat=True))
        themes = Dataset.themes.through
        themes.objects.bulk_create(
            (themes(dataset_id=int(d), topic_id=topics[int(d) % len(topics)])
             for d in datasets[-n_ds:].tolist()), batch_size=BATCH)
        step(f"{len(datasets)} datasets")

        # Data requests
        statuses = [s.value for s in DataRequest.Status]
        n_dr = DATA_REQUESTS - DataRequest.objects.count()
        requester = rng.integers(0, len(people), size=n_dr).tolist()
        DataRequest.objects.bulk_create(
            (DataRequest(title=f"Solicitud escalada {i:05d}",
                         problem="Problema público ficticio para pruebas de carga.",
                         topic_id=topics[i % len(topics)], agency_id=gov[i % len(gov)],
                         encounter=encounters[numbers[i % len(numbers)]],
                         requester_id=int(people[requester[i]]),
                         requester_sector=org_sectors[person_org[requester[i]]],
                         status=statuses[i % len(statuses)], votes_count=int(i % 37))
             for i in range(n_dr)), batch_size=BATCH)
        requests = np.array(DataRequest.objects.order_by("pk").values_list("pk", flat=True))
        answers = DataRequest.datasets.through
        answers.objects.bulk_create(
            (answers(datarequest_id=int(r), dataset_id=int(d))
             for r in requests[-n_dr:][::3].tolist()
             for d in rng.choice(datasets, size=2, replace=False).tolist()), batch_size=BATCH)
        step(f"{len(requests)} data requests")

        # Challenges and proposals
        Challenge.objects.bulk_create(
            Challenge(title=f"Reto escalado {i:03d}", topic_id=topics[i % len(topics)],
                      encounter=encounters[numbers[i % len(numbers)]]) for i in range(100))
        challenges = list(Challenge.objects.order_by("pk").values_list("pk", flat=True))
        pstatus = [s.value for s in Proposal.Status]
        n_prop = PROPOSALS - Proposal.objects.count()
        now = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
        Proposal.objects.bulk_create(
            (Proposal(title=f"Propuesta escalada {i:05d}",
                      summary="Propuesta ficticia que usa datos de gobierno.",
                      author_organization_id=int(org_ids[i % len(org_ids)]),
                      team="Equipo de prueba", challenge_id=challenges[i % len(challenges)],
                      encounter=encounters[numbers[i % len(numbers)]],
                      status=pstatus[i % len(pstatus)], support_count=i % 23,
                      submitted_at=now)
             for i in range(n_prop)), batch_size=BATCH)
        proposals = np.array(Proposal.objects.filter(title__startswith="Propuesta escalada ")
                             .order_by("pk").values_list("pk", flat=True))
        uses = Proposal.datasets.through
        uses.objects.bulk_create(
            (uses(proposal_id=int(p), dataset_id=int(datasets[k % len(datasets)]))
             for k, p in enumerate(proposals[::2].tolist())), batch_size=BATCH)
        needs = Proposal.data_requests.through
        needs.objects.bulk_create(
            (needs(proposal_id=int(p), datarequest_id=int(requests[k % len(requests)]))
             for k, p in enumerate(proposals[::4].tolist())), batch_size=BATCH)
        step(f"{Proposal.objects.count()} proposals")

        # Agreements, commitments, milestones
        n_agr = AGREEMENTS - Agreement.objects.count()
        Agreement.objects.bulk_create(
            Agreement(title=f"Acuerdo escalado {i:03d}", kind="agreement",
                      signed_on=dt.date(2020, 1, 1) + dt.timedelta(days=5 * i),
                      encounter=encounters[numbers[i % len(numbers)]])
            for i in range(n_agr))
        agreements = list(Agreement.objects.filter(title__startswith="Acuerdo escalado ")
                          .order_by("pk").values_list("pk", flat=True))
        signs = Agreement.signatories.through
        signs.objects.bulk_create(
            (signs(agreement_id=a, organization_id=int(o))
             for a in agreements for o in rng.choice(org_ids, size=3, replace=False).tolist()),
            batch_size=BATCH)
        cstatus = ["not_started", "in_progress", "completed", "delayed"]
        n_com = COMMITMENTS - Commitment.objects.count()
        Commitment.objects.bulk_create(
            (Commitment(title=f"Compromiso escalado {i:04d}", agreement_id=agreements[i % len(
                agreements)], responsible_id=int(org_ids[i % len(org_ids)]),
                due_date=dt.date(2025, 1, 1) + dt.timedelta(days=i % 700),
                progress=(i * 7) % 101, status=cstatus[i % 4],
                status_reason="Retraso ficticio." if i % 4 == 3 else "")
             for i in range(n_com)), batch_size=BATCH)
        commitments = list(Commitment.objects.filter(title__startswith="Compromiso escalado ")
                           .order_by("pk").values_list("pk", flat=True))
        Milestone.objects.bulk_create(
            (Milestone(commitment_id=c, title=f"Hito {k}", done=k == 1,
                       due_date=dt.date(2025, 6, 1))
             for c in commitments for k in (1, 2)), batch_size=BATCH)
        step(f"{Commitment.objects.count()} commitments")

        # The organizer of the big encounter
        user = get_user_model().objects.create_user(ORGANIZER[0], password=ORGANIZER[1],
                                                    email="bench-organizer@example.org")
        make_organizer(user)
        encounters[BIG].organizers.add(user)

    if connection.vendor == "postgresql":  # as autovacuum would; SQLite keeps no statistics
        with connection.cursor() as cursor:  # unless told to, and the app never tells it
            cursor.execute("ANALYZE")
        step("analyzed")
    return "created"


def counts() -> dict[str, int]:
    from encuentros.collaboration.models import Commitment, Proposal
    from encuentros.ecosystem.models import Organization, Person
    from encuentros.encounters.models import Encounter, Registration
    from encuentros.opendata.models import DataRequest, Dataset

    return {"organizations": Organization.objects.count(), "people": Person.objects.count(),
            "encounters": Encounter.objects.count(),
            "registrations": Registration.objects.count(),
            "big encounter registrations": Registration.objects.filter(
                encounter__number=BIG).count(),
            "proposals": Proposal.objects.count(), "data requests": DataRequest.objects.count(),
            "datasets": Dataset.objects.count(), "commitments": Commitment.objects.count()}


def reset_checkins(tokens_file: str) -> None:
    """Undo every check-in of the big encounter and write the badge codes of its registered
    people, shuffled with the fixed seed, one a line (the check-in benchmark's pool)."""
    import random

    from encuentros.encounters.models import Registration

    regs = Registration.objects.filter(encounter__number=BIG)
    regs.exclude(checked_in_at=None).update(checked_in_at=None, checked_in_by=None)
    tokens = list(regs.filter(status=Registration.Status.REGISTERED).order_by("pk")
                  .values_list("badge_token", flat=True))
    random.Random(SEED).shuffle(tokens)
    Path(tokens_file).write_text("\n".join(tokens) + "\n")


def count_checkins() -> int:
    from encuentros.encounters.models import Registration

    return Registration.objects.filter(encounter__number=BIG, checked_in_at__isnull=False).count()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fresh", action="store_true",
                        help="delete the SQLite file first (PostgreSQL: drop and re-create)")
    parser.add_argument("--reset-checkins", metavar="FILE",
                        help="(for http.py) undo the big encounter's check-ins and write its "
                        "badge codes to FILE, instead of populating")
    parser.add_argument("--count-checkins", action="store_true",
                        help="(for http.py) print how many of the big encounter checked in")
    args = parser.parse_args(argv)
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{CHECKOUT / 'var' / 'bench.sqlite3'}")
    if args.fresh:
        drop_database(os.environ["DATABASE_URL"])
    ensure_database(os.environ["DATABASE_URL"])
    setup_django()
    if args.reset_checkins:
        reset_checkins(args.reset_checkins)
        return 0
    if args.count_checkins:
        print(count_checkins())
        return 0
    started = time.perf_counter()
    how = populate()
    print(f"data {how} in {time.perf_counter() - started:.1f} s")
    for name, n in counts().items():
        print(f"  {name:<28} {n:>8}")
    return 0


def _pg_admin(url: str):
    """(connection to the maintenance database, name of the database of url)."""
    import dj_database_url
    import psycopg

    cfg = dj_database_url.parse(url)
    conn = psycopg.connect(host=cfg["HOST"] or None, port=cfg["PORT"] or None,
                           user=cfg["USER"] or None, password=cfg["PASSWORD"] or None,
                           dbname="postgres", autocommit=True)
    return conn, cfg["NAME"]


def ensure_database(url: str) -> None:
    """Create the PostgreSQL database of url if it is missing (SQLite creates its own file)."""
    if not url.startswith(("postgres://", "postgresql://")):
        return
    from psycopg import sql

    conn, name = _pg_admin(url)
    with conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def drop_database(url: str) -> None:
    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    from psycopg import sql

    conn, name = _pg_admin(url)
    with conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)")
                     .format(sql.Identifier(name)))


if __name__ == "__main__":
    sys.exit(main())
