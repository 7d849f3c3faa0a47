"""HTTP load benchmark: the app under gunicorn against the demo data scaled up.

Run: .venv/bin/python benchmarks/http.py [--db sqlite|postgres|both] [--duration 10]
     [--connections 4] [--workers 2] [--only NAME ...]

For each database it fills (once) a dedicated database with benchmarks/scale_data.py (100,000
people, 1,000 organizations, 20 encounters, 10,000 proposals and data requests): SQLite file
var/bench.sqlite3, PostgreSQL database bench_http (created if missing; --postgres-url to point
elsewhere). Then it starts gunicorn on a free loopback port with production settings (DEBUG off,
SECRET_KEY set, ALLOWED_HOSTS=127.0.0.1, static files collected, every request marked as
forwarded from HTTPS as a proxy would) and measures, in the same run and with the same server,
requests per second and p50/p95 latency of each endpoint with `wrk` (Debian package `wrk`; one
load thread, --connections open connections, --duration seconds per endpoint after a short
warm-up). Every endpoint is compared with /__ceiling__, a bare Django view returning a constant
JSON through the same middleware (benchmarks/http_urls.py): the framework's ceiling on this
machine. Targets (ratio to the ceiling): pages and API lists ≥ 0.5, the check-in ≥ 0.3.

The check-in is the organizer's action at the door: logged in as the big encounter's organizer
(session cookie and CSRF token from a real login), POST /encounters/20/check-in/ with a badge
code, as the check-in page's htmx form sends it, each request a different registration (the
check-ins of that encounter are reset before each run). The atlas data (measured plain and, as
browsers ask for it, gzipped) is cached: its first call (cold, graph and layout computed) is
timed apart, and the load runs on the warm cache.

The server's processes share a cache, as in production: a file cache of the benchmark's own
under var/ (emptied first), or --cache-url (e.g. redis://127.0.0.1:6379/0 where the redis
Python package is installed). Where the code has background tasks, `encuentros worker` runs
beside gunicorn (the atlas of a large ecosystem is computed there). Exit status 1 when a target
is missed.
"""

import sys
from pathlib import Path

# This file is named like the standard library's http package: keep its folder off the path.
HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]

import argparse  # noqa: E402
import http.client  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import re  # noqa: E402
import shutil  # noqa: E402
import socket  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
import urllib.parse  # noqa: E402

CHECKOUT = HERE.parent
VENV_BIN = Path(sys.executable).parent
SQLITE_URL = f"sqlite:///{CHECKOUT / 'var' / 'bench.sqlite3'}"
POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/bench_http"
HOST = "127.0.0.1"
BIG = 20  # benchmarks/scale_data.BIG
ORGANIZER = ("bench-organizer", "bench-organizer-password-1")  # benchmarks/scale_data.ORGANIZER
PAGE_TARGET, API_TARGET, CHECKIN_TARGET = 0.5, 0.5, 0.3

# name, method, path, target ratio (None: shown, no target)
ENDPOINTS = [
    ("ceiling", "GET", "/__ceiling__", None),
    ("encounter list", "GET", "/encounters/", PAGE_TARGET),
    ("encounter page", "GET", f"/encounters/{BIG}/", PAGE_TARGET),
    ("atlas data", "GET", "/api/v1/atlas/graph", None),
    ("atlas data gzip", "GET", "/api/v1/atlas/graph", None),  # as browsers ask for it
    ("api encounters", "GET", "/api/v1/encounters", API_TARGET),
    ("api organizations", "GET", "/api/v1/organizations", API_TARGET),
    ("api proposals", "GET", "/api/v1/proposals", API_TARGET),
    ("api data-requests", "GET", "/api/v1/data-requests", API_TARGET),
    ("api datasets", "GET", "/api/v1/datasets", API_TARGET),
    ("api commitments", "GET", "/api/v1/commitments", API_TARGET),
    ("check-in", "POST", f"/encounters/{BIG}/check-in/", CHECKIN_TARGET),
]

LUA_DONE = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'RESULT {"requests":%d,"duration_us":%d,"bytes":%d,"connect":%d,"read":%d,"write":%d,'
    .. '"status":%d,"timeout":%d,"p50_us":%d,"p95_us":%d,"p99_us":%d}\\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status,
    e.timeout, latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
"""

LUA_GET = """
wrk.method = "GET"
wrk.path = {path}
wrk.headers["X-Forwarded-Proto"] = "https"
{cookie}
"""

LUA_CHECKIN = """
local tokens = {{}}
for line in io.lines({tokens}) do tokens[#tokens + 1] = line end
local i = 0
local headers = {{
  ["X-Forwarded-Proto"] = "https",
  ["HX-Request"] = "true",
  ["Cookie"] = {cookie},
  ["Referer"] = {referer},
  ["Content-Type"] = "application/x-www-form-urlencoded",
}}
request = function()
  i = i + 1
  local token = tokens[(i - 1) % #tokens + 1]
  return wrk.format("POST", {path}, headers, {body} .. token)
end
"""


def lua_str(value: str) -> str:
    return json.dumps(value)  # a JSON string is a valid Lua string literal for ASCII text


# --- Preparing data and server -------------------------------------------------------------

def bench_env(database_url: str, cache_url: str) -> dict:
    env = dict(os.environ)
    env.update({
        "CACHE_URL": cache_url,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "benchmarks.http_settings",
        # a PYTHONPATH already set goes first (e.g. another copy of the code, to compare)
        "PYTHONPATH": os.pathsep.join([p for p in os.environ.get("PYTHONPATH", "").split(
            os.pathsep) if p] + [str(CHECKOUT), str(CHECKOUT / "src")]),
        "DEBUG": "0",
        "SECRET_KEY": "benchmark-only-secret-key-" + "x" * 40,
        "ALLOWED_HOSTS": HOST,
        "LOG_LEVEL": "ERROR",
    })
    return env


def run_helper(env: dict, *args: str) -> str:
    out = subprocess.run([sys.executable, str(HERE / "scale_data.py"), *args], env=env,
                         cwd=CHECKOUT, check=True, capture_output=True, text=True)
    return out.stdout


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


class Server:
    """gunicorn on a free loopback port, stopped (its own process group) on exit."""

    def __init__(self, env: dict, workers: int, threads: int, log: Path):
        self.port = free_port()
        cmd = [str(VENV_BIN / "gunicorn"), "encuentros.wsgi:application",
               "--bind", f"{HOST}:{self.port}", "--workers", str(workers),
               "--chdir", str(CHECKOUT), "--timeout", "120", "--no-control-socket",
               "--error-logfile", str(log), "--log-level", "warning"]
        if threads > 1:
            cmd += ["--worker-class", "gthread", "--threads", str(threads)]
        self.cmd = cmd
        with open(log, "ab") as out:  # gunicorn's errors and Django's (logged to stderr)
            self.proc = subprocess.Popen(cmd, env=env, cwd=CHECKOUT, start_new_session=True,
                                         stdout=out, stderr=out)
        deadline = time.monotonic() + 60
        while True:
            try:
                status, _, _ = request(self.port, "GET", "/healthz")
                if status == 200:
                    break
            except OSError:
                pass
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise SystemExit(f"gunicorn did not start; see {log}")
            time.sleep(0.2)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def request(port, method, path, body=None, headers=None):
    conn = http.client.HTTPConnection(HOST, port, timeout=300)
    try:
        conn.request(method, path, body=body,
                     headers={"X-Forwarded-Proto": "https", **(headers or {})})
        response = conn.getresponse()
        return response.status, response.headers, response.read()
    finally:
        conn.close()


def cookies_from(headers, jar: dict) -> dict:
    for value in headers.get_all("Set-Cookie") or []:
        name, _, rest = value.partition("=")
        jar[name.strip()] = rest.split(";", 1)[0]
    return jar


def cookie_header(jar: dict) -> str:
    return "; ".join(f"{k}={v}" for k, v in jar.items())


def csrf_field(html: bytes) -> str:
    found = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    if not found:
        raise SystemExit("no CSRF token in the form")
    return found.group(1).decode()


def organizer_session(port: int, username: str, password: str) -> tuple[str, str]:
    """Log in through the login form; returns (Cookie header, CSRF form token of the
    check-in page)."""
    jar: dict = {}
    origin = f"https://{HOST}:{port}"
    status, headers, html = request(port, "GET", "/accounts/login/")
    cookies_from(headers, jar)
    body = urllib.parse.urlencode({"username": username, "password": password,
                                   "csrfmiddlewaretoken": csrf_field(html)})
    status, headers, _ = request(port, "POST", "/accounts/login/", body, {
        "Cookie": cookie_header(jar), "Referer": f"{origin}/accounts/login/",
        "Content-Type": "application/x-www-form-urlencoded"})
    cookies_from(headers, jar)
    if status != 302 or "sessionid" not in jar:
        raise SystemExit(f"organizer login failed (HTTP {status})")
    status, headers, html = request(port, "GET", f"/encounters/{BIG}/check-in/",
                                    headers={"Cookie": cookie_header(jar)})
    cookies_from(headers, jar)
    if status != 200:
        raise SystemExit(f"check-in page: HTTP {status}")
    return cookie_header(jar), csrf_field(html)


# --- Load -------------------------------------------------------------------------------------

def wrk(port, script: str, seconds: float, connections: int, workdir: Path) -> dict:
    path = workdir / "script.lua"
    path.write_text(script + LUA_DONE)
    out = subprocess.run(
        ["wrk", "-t1", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--timeout", "30s",
         "-s", str(path), f"http://{HOST}:{port}/"],
        check=True, capture_output=True, text=True).stdout
    line = next(x for x in out.splitlines() if x.startswith("RESULT "))
    return json.loads(line.removeprefix("RESULT "))


def check_once(port, method, path, headers=None, body=None) -> tuple[int, int]:
    status, _, content = request(port, method, path, body, headers)
    if status != 200:
        raise SystemExit(f"{method} {path}: HTTP {status}")
    return status, len(content)


def warm_parallel(port, path, n=8):
    threads = [threading.Thread(target=request, args=(port, "GET", path)) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def cache_url_for(args, label: str) -> str:
    """The cache the server's processes share: --cache-url, else a file cache of its own
    (emptied first), as the settings' default is (settings of before kept local memory)."""
    if args.cache_url:
        return args.cache_url
    folder = CHECKOUT / "var" / f"bench-cache-{label}"
    shutil.rmtree(folder, ignore_errors=True)
    return f"file://{folder}"


class Worker:
    """`encuentros worker` (background tasks, e.g. the atlas analytics), when the code has one."""

    def __init__(self, env: dict, log: Path):
        self.proc = None
        if (CHECKOUT / "src/encuentros/core/management/commands/worker.py").exists():
            with open(log, "ab") as out:
                self.proc = subprocess.Popen([str(VENV_BIN / "encuentros"), "worker"], env=env,
                                             cwd=CHECKOUT, start_new_session=True,
                                             stdout=out, stderr=out)

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def wait_ready(port, path, limit=600) -> float:
    """Seconds until path answers 200 (a 202 says a background task is computing it)."""
    t0 = time.perf_counter()
    while True:
        status, _, _ = request(port, "GET", path)
        if status == 200:
            return time.perf_counter() - t0
        if status != 202 or time.perf_counter() - t0 > limit:
            raise SystemExit(f"GET {path}: HTTP {status}")
        time.sleep(0.25)


def measure(args, label: str, database_url: str) -> list[dict]:
    env = bench_env(database_url, cache_url_for(args, label))
    started = time.perf_counter()
    print(f"\n== {label}: {database_url}", flush=True)
    summary = run_helper(env)
    print(f"  scaled {summary.strip().splitlines()[0]} (with migrate: "
          f"{time.perf_counter() - started:.0f} s)")
    subprocess.run([str(VENV_BIN / "encuentros"), "collectstatic", "--noinput", "-v0"],
                   env=env, cwd=CHECKOUT, check=True)
    workdir = Path(tempfile.mkdtemp(prefix="bench-http-"))
    tokens = workdir / "tokens.txt"
    run_helper(env, "--reset-checkins", str(tokens))
    log = CHECKOUT / "var" / f"bench-gunicorn-{label}.log"
    worker = Worker(env, log)
    server = Server(env, args.workers, args.threads, log)
    rows = []
    try:
        port = server.port
        cookie, csrf = organizer_session(port, *ORGANIZER)
        for name, method, path, target in ENDPOINTS:
            if args.only and name not in args.only and name != "ceiling":
                continue
            extra = {}
            if path.startswith("/api/v1/atlas/") and not name.endswith(" gzip"):
                extra["cold_ms"] = wait_ready(port, path) * 1000
                warm_parallel(port, path)
            if method == "GET":
                gz = name.endswith(" gzip")
                _, size = check_once(port, method, path,
                                     headers={"Accept-Encoding": "gzip"} if gz else None)
                script = LUA_GET.format(path=lua_str(path), cookie=(
                    'wrk.headers["Accept-Encoding"] = "gzip"' if gz else ""))
                warm = script
            else:
                referer = f"https://{HOST}:{port}{path}"
                body = urllib.parse.urlencode({"csrfmiddlewaretoken": csrf}) + "&code="
                headers = {"Cookie": cookie, "Referer": referer, "HX-Request": "true",
                           "Content-Type": "application/x-www-form-urlencoded"}
                first = tokens.read_text().split("\n", 1)[0]
                status, _, content = request(port, "POST", path, body + first, headers)
                if status != 200 or b"checkin-result ok" not in content:
                    raise SystemExit(f"check-in did not succeed (HTTP {status})")
                size = len(content)
                script = LUA_CHECKIN.format(tokens=lua_str(str(tokens)), cookie=lua_str(cookie),
                                            referer=lua_str(referer), path=lua_str(path),
                                            body=lua_str(body))
                # warm the same view with its page (GET), keeping the badge codes for the run
                warm = LUA_GET.format(path=lua_str(path),
                                      cookie=f"wrk.headers[\"Cookie\"] = {lua_str(cookie)}")
            if args.warmup > 0:
                wrk(port, warm, args.warmup, args.connections, workdir)
            result = wrk(port, script, args.duration, args.connections, workdir)
            errors = sum(result[k] for k in ("connect", "read", "write", "status", "timeout"))
            seconds = result["duration_us"] / 1e6
            rows.append({"name": name, "path": path, "target": target, "errors": errors,
                         "requests": result["requests"], "rps": result["requests"] / seconds,
                         "p50": result["p50_us"] / 1000, "p95": result["p95_us"] / 1000,
                         "kib": size / 1024, **extra})
            print(f"  {name:<18} {rows[-1]['rps']:8.1f} req/s", flush=True)
    finally:
        server.stop()
        worker.stop()
    sent = [r["requests"] + 1 for r in rows if r["name"] == "check-in"]
    if sent:
        checked = run_helper(env, "--count-checkins").strip()
        print(f"  check-ins recorded in the database: {checked} (POSTs answered: {sent[0]}; "
              "a badge code is used twice only past the end of the pool)")
    shutil.rmtree(workdir, ignore_errors=True)
    return rows


def print_table(label: str, rows: list[dict]) -> bool:
    ceiling = next(r["rps"] for r in rows if r["name"] == "ceiling")
    head = (f"{'endpoint':<18} {'rps':>8} {'p50 ms':>8} {'p95 ms':>8} {'KiB':>7} "
            f"{'ratio':>6} {'target':>7}  result")
    print(f"\n{label}: ceiling {ceiling:.0f} req/s")
    print(head)
    print("-" * len(head))
    ok = True
    for r in rows:
        ratio = r["rps"] / ceiling
        if r["target"] is None:
            verdict, target = "", "-"
        else:
            passed = ratio >= r["target"] and not r["errors"]
            ok &= passed
            verdict, target = ("pass" if passed else "FAIL"), f"≥{r['target']:.1f}"
        if r["errors"]:
            verdict += f" ({r['errors']} errors)"
        print(f"{r['name']:<18} {r['rps']:>8.1f} {r['p50']:>8.1f} {r['p95']:>8.1f} "
              f"{r['kib']:>7.1f} {ratio:>6.2f} {target:>7}  {verdict}")
    for r in rows:
        if "cold_ms" in r:
            print(f"{r['name']}: first call with a cold cache {r['cold_ms']:.0f} ms "
                  "until it answered 200 (graph, metrics and layout computed, by the background "
                  "worker where there is one); the load above ran on the warm cache")
    return ok


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--sqlite-url", default=SQLITE_URL)
    parser.add_argument("--postgres-url", default=POSTGRES_URL)
    parser.add_argument("--duration", type=float, default=10, help="seconds per endpoint")
    parser.add_argument("--warmup", type=float, default=2, help="seconds before each run")
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=1,
                        help="threads per worker (more than 1: gthread workers)")
    parser.add_argument("--cache-url", default="",
                        help="CACHE_URL of the server (default: a file cache of its own)")
    parser.add_argument("--only", nargs="+", metavar="NAME",
                        help="only these endpoints (and the ceiling)")
    args = parser.parse_args(argv)
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: apt-get install -y wrk")
    worker = (f"gthread, {args.threads} threads" if args.threads > 1 else "sync")
    print(f"gunicorn: {args.workers} workers ({worker}); wrk: 1 thread, "
          f"{args.connections} connections, {args.duration:g} s per endpoint after "
          f"{args.warmup:g} s of warm-up; {os.cpu_count()} CPUs")
    targets = {"sqlite": args.sqlite_url, "postgres": args.postgres_url}
    labels = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    results = {label: measure(args, label, targets[label]) for label in labels}
    ok = True
    for label in labels:
        ok &= print_table(label, results[label])
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
