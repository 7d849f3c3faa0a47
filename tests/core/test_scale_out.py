"""Two app-server processes behind one PostgreSQL behave as one: people register through both at
once, capacity holds, and what one server changes the other shows at once (shared cache)."""

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.db import connection

from encuentros.encounters.models import Registration

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _database_url() -> str:
    s = connection.settings_dict
    user = urllib.parse.quote(s["USER"] or "postgres")
    password = f":{urllib.parse.quote(s['PASSWORD'])}" if s["PASSWORD"] else ""
    return (f"postgres://{user}{password}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/"
            f"{s['NAME']}")


def _start_server(port: int, env: dict, log: Path) -> subprocess.Popen:
    gunicorn = Path(sys.executable).with_name("gunicorn")
    return subprocess.Popen(
        [str(gunicorn), "encuentros.wsgi:application", "--bind", f"127.0.0.1:{port}",
         "--workers", "1", "--threads", "4", "--timeout", "60", "--log-level", "warning"],
        cwd=ROOT, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT)


def _wait_until_up(port: int, proc: subprocess.Popen) -> None:
    deadline = time.monotonic() + 40
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"server on port {port} exited")
        try:
            urllib.request.urlopen(urllib.request.Request(
                f"http://127.0.0.1:{port}/healthz", headers={"X-Forwarded-Proto": "https"}),
                timeout=2)
            return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.3)
    raise AssertionError(f"server on port {port} did not start")


def _register(port: int, number: int, i: int) -> int:
    """Fetch the form (CSRF cookie + token), then post it, as a browser behind the TLS proxy
    would (X-Forwarded-Proto: https; the cookies are Secure)."""
    url = f"http://127.0.0.1:{port}/encounters/{number}/register/"
    proxy = {"X-Forwarded-Proto": "https"}
    with urllib.request.urlopen(urllib.request.Request(url, headers=proxy), timeout=30) as r:
        page = r.read().decode()
        cookie = next(c.split(";")[0] for c in r.headers.get_all("Set-Cookie")
                      if c.startswith("csrftoken="))
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    body = urllib.parse.urlencode({
        "csrfmiddlewaretoken": token, "full_name": f"Persona {i}",
        "email": f"persona{i}@example.org", "no_organization": "on", "sector": "citizen",
    }).encode()
    request = urllib.request.Request(url, data=body, headers={
        **proxy, "Cookie": cookie, "Referer": url.replace("http://", "https://")})
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        return opener.open(request, timeout=60).status
    except urllib.error.HTTPError as exc:
        return exc.code


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _attendance_total(port: int, encounter_id: int) -> int:
    request = urllib.request.Request(f"http://127.0.0.1:{port}/api/v1/encounters/{encounter_id}",
                                     headers={"X-Forwarded-Proto": "https"})
    with urllib.request.urlopen(request, timeout=30) as r:
        import json

        data = json.loads(r.read())
    return data["attendance_total"]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_servers_one_database(encounter, tmp_path):
    encounter.capacity = 12
    encounter.save()
    assert encounter.registration_open
    env = {**os.environ, "DATABASE_URL": _database_url(), "DEBUG": "0",
           "SECRET_KEY": "two-servers-test-key-" + "x" * 40, "ALLOWED_HOSTS": "127.0.0.1",
           "SECURE_SSL_REDIRECT": "0", "CACHE_URL": f"file://{tmp_path / 'cache'}",
           "TASKS_IMMEDIATE": "0", "LOG_LEVEL": "ERROR", "RATELIMIT_ENABLED": "1",
           "PYTHONPATH": str(ROOT / "src"), "ENCUENTROS_VAR_DIR": str(tmp_path / "var"),
           "STATIC_COMPRESS": "0"}
    # As in production: static files collected (hashed names) before the servers start.
    subprocess.run([str(Path(sys.executable).with_name("encuentros")), "collectstatic",
                    "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    ports = [_free_port(), _free_port()]
    logs = [tmp_path / f"server-{port}.log" for port in ports]
    servers = [_start_server(port, env, log) for port, log in zip(ports, logs, strict=True)]
    try:
        for port, proc in zip(ports, servers, strict=True):
            _wait_until_up(port, proc)
        before = [_attendance_total(port, encounter.pk) for port in ports]
        assert before == [0, 0]  # both servers have now cached the (empty) counts
        with ThreadPoolExecutor(max_workers=8) as pool:
            statuses = list(pool.map(lambda i: _register(ports[i % 2], encounter.number, i),
                                     range(20)))
        assert all(s in (200, 302) for s in statuses), statuses
        regs = Registration.objects.filter(encounter=encounter)
        assert regs.count() == 20
        assert regs.filter(status="registered").count() == 12  # capacity held across servers
        assert regs.filter(status="waitlisted").count() == 8
        after = [_attendance_total(port, encounter.pk) for port in ports]
        assert after == [12, 12]
        # A change made through one server only is seen at once by the other: no state kept
        # per process (cached counts are invalidated through the shared cache).
        regs.filter(status="waitlisted").delete()
        type(encounter).objects.filter(pk=encounter.pk).update(capacity=30)
        assert _register(ports[0], encounter.number, 99) in (200, 302)
        assert regs.filter(status="registered").count() == 13
        assert [_attendance_total(port, encounter.pk) for port in ports] == [13, 13]
    except BaseException:
        for log in logs:
            print(log.name, log.read_text(errors="replace")[-5000:])
        raise
    finally:
        for proc in servers:
            proc.terminate()
        for proc in servers:
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
