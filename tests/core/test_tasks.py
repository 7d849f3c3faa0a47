"""Background work: the database-backed task backend, the worker, progress, and the long jobs
of each app going through it (seating, catalog import, matchmaking, atlas, report PDF)."""

import io
import json

import pytest
from django.core.management import call_command
from django.tasks import TaskResultStatus
from django.urls import reverse

from encuentros.core import tasks
from encuentros.core.models import TaskRecord

QUEUED = {"default": {"BACKEND": "encuentros.core.tasks.DatabaseBackend",
                      "OPTIONS": {"immediate": False}}}


@pytest.fixture
def queued(settings):
    """Tasks wait in the database for `encuentros worker`, as in production."""
    settings.TASKS = QUEUED


def run_worker():
    out = io.StringIO()
    call_command("worker", "--once", "--requeue-stale", "0", stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_enqueue_records_then_worker_runs_with_progress(queued):
    result = tasks.probe.enqueue(4)
    record = TaskRecord.objects.get(pk=result.id)
    assert record.status == TaskResultStatus.READY and record.args == [4]
    assert tasks.probe.get_result(result.id).status == TaskResultStatus.READY
    assert result.id in run_worker()
    record.refresh_from_db()
    assert record.status == TaskResultStatus.SUCCESSFUL
    assert record.return_value["steps"] == 4
    assert (record.progress_done, record.progress_total) == (4, 4)
    assert record.percent == 100 and record.started_at and record.finished_at
    fetched = tasks.probe.get_result(result.id)
    assert fetched.return_value["steps"] == 4 and fetched.attempts == 1


@pytest.mark.django_db
def test_worker_output_and_nothing_left(queued):
    tasks.probe.enqueue(1)
    tasks.probe.enqueue(1)
    out = run_worker()
    assert out.count("SUCCESSFUL") == 2
    assert not TaskRecord.objects.exclude(status=TaskResultStatus.SUCCESSFUL).exists()
    assert "SUCCESSFUL" not in run_worker()  # nothing to do: --once returns


@pytest.mark.django_db
def test_failure_is_recorded_with_the_user_message(queued):
    record = tasks.start(tasks.probe, 1, fail="El archivo no sirve")
    run_worker()
    record.refresh_from_db()
    assert record.status == TaskResultStatus.FAILED
    assert record.error_message == "El archivo no sirve"
    assert "UserFacingError" in record.errors[0]["exception_class_path"]
    assert "Traceback" in record.errors[0]["traceback"]


@pytest.mark.django_db
def test_an_internal_error_is_not_shown_to_users(queued, client, admin_user):
    record = tasks.start(tasks.probe, "not a number", owner=admin_user)
    run_worker()
    record.refresh_from_db()
    assert record.status == TaskResultStatus.FAILED and record.error_message == ""
    client.force_login(admin_user)
    body = client.get(reverse("core:task", args=[record.pk]), HTTP_ACCEPT_LANGUAGE="en"
                      ).content.decode()
    assert "The task failed" in body and "TypeError" not in body


@pytest.mark.django_db
def test_same_subject_is_not_queued_twice(queued):
    first = tasks.start(tasks.probe, 1, subject="thing:1")
    again = tasks.start(tasks.probe, 1, subject="thing:1")
    other = tasks.start(tasks.probe, 1, subject="thing:2")
    assert first.pk == again.pk != other.pk
    run_worker()
    after = tasks.start(tasks.probe, 1, subject="thing:1")  # the first one is done
    assert after.pk != first.pk


@pytest.mark.django_db
def test_a_claimed_task_cannot_be_claimed_again(queued):
    result = tasks.probe.enqueue(1)
    assert tasks.claim_next(worker="a") == result.id
    assert tasks.claim_next(worker="b") is None
    assert TaskRecord.objects.get(pk=result.id).status == TaskResultStatus.RUNNING
    assert tasks.requeue_stale(-1) == 1  # its worker vanished
    assert tasks.claim_next(worker="b") == result.id


@pytest.mark.django_db
def test_run_after_and_priority_order(queued):
    import datetime as dt

    from django.utils import timezone

    later = tasks.probe.using(run_after=timezone.now() + dt.timedelta(hours=1)).enqueue(1)
    low = tasks.probe.using(priority=-5).enqueue(1)
    high = tasks.probe.using(priority=10).enqueue(1)
    assert tasks.claim_next() == high.id
    assert tasks.claim_next() == low.id
    assert tasks.claim_next() is None
    assert TaskRecord.objects.get(pk=later.id).status == TaskResultStatus.READY


@pytest.mark.django_db
def test_immediate_mode_runs_inside_enqueue():
    record = tasks.start(tasks.probe, 2)
    assert record.status == TaskResultStatus.SUCCESSFUL and record.progress_done == 2


@pytest.mark.django_db
def test_task_page_permissions(queued, client, user, admin_user, django_user_model):
    private = tasks.start(tasks.probe, 1, owner=user, label="Mine")
    public = tasks.start(tasks.probe, 1, public=True, label="Atlas")
    url = reverse("core:task", args=[private.pk])
    assert client.get(url).status_code == 302  # anonymous: log in first
    assert client.get(reverse("core:task", args=[public.pk])).status_code == 200
    other = django_user_model.objects.create_user("otro", "otro@example.org", "x-pass-12345")
    client.force_login(other)
    assert client.get(url).status_code == 404
    client.force_login(user)
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200 and "Waiting for a worker" in page.content.decode()
    run_worker()
    fragment = client.get(url + "?fragment=1", HTTP_ACCEPT_LANGUAGE="en")
    assert "Done." in fragment.content.decode() and "hx-trigger" not in fragment.content.decode()
    client.force_login(admin_user)
    assert client.get(url).status_code == 200
    assert client.get(reverse("core:task", args=["nope"])).status_code == 404


@pytest.mark.django_db
def test_tasks_command_lists_and_watches(queued):
    record = tasks.start(tasks.probe, 2, label="Comprobación")
    out = io.StringIO()
    call_command("tasks", stdout=out)
    assert record.pk in out.getvalue() and "Comprobación" in out.getvalue()
    run_worker()
    out = io.StringIO()
    call_command("tasks", "--watch", record.pk, stdout=out)
    assert "finished" in out.getvalue() or "terminó" in out.getvalue()


@pytest.mark.django_db
def test_tasks_probe_with_immediate_backend():
    out = io.StringIO()
    call_command("tasks", "--probe", stdout=out)
    assert TaskRecord.objects.get().status == TaskResultStatus.SUCCESSFUL


# --- The long jobs of the apps go through the worker ------------------------------------------

@pytest.mark.django_db
def test_seating_plan_is_made_by_the_worker(queued, client, encounter, organizer):
    from encuentros.ecosystem.models import Person
    from encuentros.encounters.models import Registration

    for i in range(12):
        person = Person.objects.create(full_name=f"P{i}", email=f"p{i}@example.org",
                                       sector=["government", "academia", "private"][i % 3])
        Registration.objects.create(encounter=encounter, person=person, sector=person.sector)
    client.force_login(organizer)
    response = client.post(reverse("encounters:seating_list", args=[encounter.number]),
                           {"table_size": 4, "rounds": 2, "source": "registered",
                            "title": "Mesas"})
    record = TaskRecord.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("core:task", args=[record.pk])
    assert not encounter.seating_plans.exists()  # the web did not do the work
    run_worker()
    plan = encounter.seating_plans.get()
    assert plan.seats.count() == 24
    fragment = client.get(reverse("core:task", args=[record.pk]) + "?fragment=1")
    assert fragment["HX-Redirect"] == reverse("encounters:seating_detail",
                                              args=[encounter.number, plan.pk])


@pytest.mark.django_db
def test_seating_errors_are_shown_on_the_form_before_queueing(queued, client, encounter,
                                                               organizer):
    client.force_login(organizer)
    response = client.post(reverse("encounters:seating_list", args=[encounter.number]),
                           {"table_size": 4, "rounds": 2, "source": "checked_in"})
    assert response.status_code == 200 and not TaskRecord.objects.exists()


CKAN = {"success": True, "result": {"count": 2, "results": [
    {"name": "ciclovias", "title": "Ciclovías", "notes": "Red de ciclovías",
     "organization": {"title": "Secretaría de Movilidad"}, "resources": [{"format": "CSV"}]},
    {"name": "calidad-aire", "title": "Calidad del aire", "notes": "",
     "organization": {"title": "Secretaría del Medio Ambiente"}, "resources": []},
]}}


@pytest.mark.django_db
def test_catalog_import_page_runs_in_the_background(queued, client, admin_user, settings,
                                                    tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from encuentros.opendata.models import Dataset

    settings.MEDIA_ROOT = tmp_path
    client.force_login(admin_user)
    upload = SimpleUploadedFile("ckan.json", json.dumps(CKAN).encode(), "application/json")
    response = client.post(reverse("opendata:catalog_import"),
                           {"file": upload, "catalog": "datos.cdmx"})
    record = TaskRecord.objects.get()
    assert response["Location"] == reverse("core:task", args=[record.pk])
    assert not Dataset.objects.exists()
    run_worker()
    record.refresh_from_db()
    assert record.status == TaskResultStatus.SUCCESSFUL, record.errors
    assert Dataset.objects.filter(source_catalog="datos.cdmx").count() == 2
    assert record.return_value["created"] == 2
    assert not list((tmp_path / "task-inputs").iterdir())  # the stashed upload is gone
    listing = client.get(record.result_url)
    assert "Ciclovías" in listing.content.decode()


@pytest.mark.django_db
def test_catalog_import_errors(client, admin_user, user, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    client.force_login(user)
    assert client.get(reverse("opendata:catalog_import")).status_code == 403
    client.force_login(admin_user)
    not_json = SimpleUploadedFile("x.json", b"PK\x03\x04 zip", "application/json")
    page = client.post(reverse("opendata:catalog_import"), {"file": not_json},
                       HTTP_ACCEPT_LANGUAGE="en")
    assert "not a JSON or XML file" in page.content.decode()
    assert client.post(reverse("opendata:catalog_import"), {}).status_code == 200
    broken = SimpleUploadedFile("x.json", b'{"success": true, "result": {"results": [{}]}}')
    response = client.post(reverse("opendata:catalog_import"), {"file": broken}, follow=True,
                           HTTP_ACCEPT_LANGUAGE="en")
    record = TaskRecord.objects.get()
    assert record.status == TaskResultStatus.FAILED
    assert "result[0]" in record.error_message and "result[0]" in response.content.decode()


@pytest.mark.django_db
def test_import_catalog_command_in_the_background(queued, tmp_path, settings):
    from encuentros.opendata.models import Dataset

    settings.MEDIA_ROOT = tmp_path / "media"
    source = tmp_path / "ckan.json"
    source.write_text(json.dumps(CKAN), encoding="utf-8")
    out = io.StringIO()
    call_command("import_catalog", str(source), "--catalog", "cli", "--background", stdout=out)
    task_id = out.getvalue().strip()
    assert TaskRecord.objects.get(pk=task_id).status == TaskResultStatus.READY
    run_worker()
    assert Dataset.objects.filter(source_catalog="cli").count() == 2


@pytest.mark.django_db
def test_cold_large_atlas_is_computed_by_the_worker(queued, client, monkeypatch, encounter):
    from encuentros.ecosystem import atlas
    from encuentros.ecosystem.models import Organization

    Organization.objects.create(name="Agencia", sector="government")
    monkeypatch.setattr(atlas, "INLINE_ORGANIZATIONS", -1)
    url = reverse("api-v1:atlas_graph")
    pending = client.get(url)
    assert pending.status_code == 202 and pending["Retry-After"]
    body = pending.json()
    assert body["status"] == "pending"
    record = TaskRecord.objects.get(pk=body["task"])
    assert record.is_public
    assert client.get(url).json()["task"] == record.pk  # not queued twice
    page = client.get(reverse("ecosystem:atlas"))
    assert page.status_code == 202 and record.pk in page.content.decode()
    run_worker()
    ready = client.get(url)
    assert ready.status_code == 200 and "nodes" in ready.json()
    assert client.get(reverse("ecosystem:atlas")).status_code == 200
    assert client.get(reverse("api-v1:atlas_metrics")).status_code == 200
