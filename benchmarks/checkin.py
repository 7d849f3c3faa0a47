"""Where a check-in's time goes: the door's POST timed in-process, through Django's WSGI handler
(no HTTP server, no load generator), next to the bare ceiling view and a signed-in request
that does nothing; SQL timed per statement, the rest is Python (ORM, session, template).

Run: .venv/bin/python benchmarks/checkin.py [--db sqlite|postgres|both] [--requests 1000]

Uses the scaled data of benchmarks/http.py (benchmarks/scale_data.py fills it if missing) and
its settings (production settings plus /__ceiling__). Each request checks in a different
registration of the big encounter (9,000 registrations); the check-ins are undone first.
"""

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]

import argparse  # noqa: E402
import io  # noqa: E402
import os  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
import urllib.parse  # noqa: E402
from collections import defaultdict  # noqa: E402

CHECKOUT = HERE.parent
DATABASES = {"sqlite": f"sqlite:///{CHECKOUT / 'var' / 'bench.sqlite3'}",
             "postgres": "postgres://postgres@127.0.0.1:5432/bench_http"}
BIG = 20
ORGANIZER = ("bench-organizer", "bench-organizer-password-1")


def environ(method, path, body=b"", extra=None) -> dict:
    env = {"REQUEST_METHOD": method, "PATH_INFO": path, "QUERY_STRING": "",
           "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "80", "HTTP_HOST": "127.0.0.1",
           "HTTP_X_FORWARDED_PROTO": "https", "wsgi.url_scheme": "http",
           "wsgi.input": io.BytesIO(body), "CONTENT_LENGTH": str(len(body)),
           "wsgi.errors": sys.stderr}
    env.update(extra or {})
    return env


def run(db: str, n: int, cache_url: str) -> None:
    url = DATABASES[db]
    env = {**os.environ, "DATABASE_URL": url}
    subprocess.run([sys.executable, str(HERE / "scale_data.py")], env=env, check=True,
                   capture_output=True)
    os.environ.update({
        "DATABASE_URL": url, "CACHE_URL": cache_url, "DEBUG": "0", "LOG_LEVEL": "ERROR",
        "DJANGO_SETTINGS_MODULE": "benchmarks.http_settings", "ALLOWED_HOSTS": "127.0.0.1",
        "SECRET_KEY": "benchmark-only-secret-key-" + "x" * 40})
    sys.path[:0] = [str(CHECKOUT), str(CHECKOUT / "src")]
    import django

    django.setup()
    import logging

    logging.getLogger("django.request").setLevel(logging.ERROR)  # the 404s below are on purpose
    from django.core.handlers.wsgi import WSGIHandler
    from django.db import connection
    from django.test import Client

    from encuentros.encounters.models import Encounter, Registration

    app = WSGIHandler()
    encounter = Encounter.objects.get(number=BIG)
    registrations = Registration.objects.filter(encounter=encounter)
    registrations.update(checked_in_at=None, checked_in_by=None)
    codes = list(registrations.filter(status=Registration.Status.REGISTERED)
                 .order_by("pk").values_list("badge_token", flat=True)[:n + 50])
    if len(codes) < n + 50:
        raise SystemExit(f"only {len(codes)} registrations to check in: use --requests "
                         f"{len(codes) - 50}")
    client = Client(HTTP_X_FORWARDED_PROTO="https", HTTP_HOST="127.0.0.1")
    if not client.login(username=ORGANIZER[0], password=ORGANIZER[1]):
        raise SystemExit("the benchmark organizer cannot log in")
    client.get(f"/encounters/{BIG}/check-in/", secure=True)  # sets the CSRF cookie
    csrf = client.cookies["csrftoken"].value
    signed_in = {"HTTP_COOKIE": "; ".join(f"{k}={v.value}" for k, v in client.cookies.items())}

    def call(env) -> tuple[str, bytes]:
        status = []
        body = b"".join(app(env, lambda s, h, exc_info=None: status.append(s)))
        return status[0], body

    def door(i):
        body = urllib.parse.urlencode({"csrfmiddlewaretoken": csrf, "code": codes[i]}).encode()
        return environ("POST", f"/encounters/{BIG}/check-in/", body, {
            **signed_in, "CONTENT_TYPE": "application/x-www-form-urlencoded",
            "HTTP_REFERER": f"https://127.0.0.1/encounters/{BIG}/check-in/",
            "HTTP_HX_REQUEST": "true"})

    def timed(make, count, first=0) -> float:
        for i in range(first, first + 10):
            call(make(i))
        started = time.perf_counter()
        for i in range(first + 10, first + 10 + count):
            status, body = call(make(i))
        if make is door and b"checkin-result ok" not in body:
            raise SystemExit(f"the check-in did not succeed ({status})")
        return (time.perf_counter() - started) / count * 1000

    rows = [("ceiling (constant JSON)", timed(lambda i: environ("GET", "/__ceiling__"), n * 4)),
            ("signed-in 404 (session + user)",
             timed(lambda i: environ("GET", "/no-such-page/", extra=signed_in), n))]
    sql_ms, sql_count = defaultdict(float), defaultdict(int)

    def wrapper(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            key = " ".join(sql.split()[:2]) + " … " + sql.split(" FROM ")[-1].split()[0] \
                if " FROM " in sql else " ".join(sql.split()[:2])
            sql_ms[key] += (time.perf_counter() - started) * 1000
            sql_count[key] += 1

    with connection.execute_wrapper(wrapper):
        whole = timed(door, n)
    runs = n + 10
    rows.append(("check-in (whole request)", whole))
    for key, ms in sql_ms.items():
        rows.append((f"  SQL ×{sql_count[key] / runs:.0f}: {key[:48]}", ms / runs))
    total_sql = sum(sql_ms.values()) / runs
    rows.append(("  Python (ORM, session, form, template)", whole - total_sql))
    registrations.update(checked_in_at=None, checked_in_by=None)

    ceiling = rows[0][1]
    print(f"\n{db}: {url} · {n} check-ins · cache {cache_url}")
    print(f"{'':58} {'ms/request':>10} {'× ceiling':>10}")
    for name, ms in rows:
        print(f"{name:58} {ms:10.3f} {ms / ceiling:10.1f}")
    print(f"check-in as a ratio of the ceiling's rate: {ceiling / whole:.2f} (target ≥ 0.3 over "
          f"HTTP, see benchmarks/http.py)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="sqlite")
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--cache-url", default="",
                        help="default: a fresh file cache in a temporary folder")
    args = parser.parse_args()
    if args.db == "both":  # one Django per process
        for db in ("sqlite", "postgres"):
            subprocess.run([sys.executable, __file__, "--db", db, "--requests",
                            str(args.requests)] + (["--cache-url", args.cache_url]
                                                   if args.cache_url else []), check=True)
        return 0
    with tempfile.TemporaryDirectory(prefix="bench-checkin-") as tmp:
        run(args.db, args.requests, args.cache_url or f"file://{tmp}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
