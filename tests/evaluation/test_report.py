"""The encounter report, on the web and as PDF."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader

from encuentros.encounters import seating
from encuentros.encounters.models import Encounter


@pytest.fixture
def demo(db):
    call_command("load_demo", verbosity=0)


@pytest.mark.django_db
def test_historical_report_says_what_is_unknown(client, demo):
    body = client.get(reverse("evaluation:report", args=[5]),
                      HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "90" in body  # the seed's 90 attendees
    assert "The split of attendance by sector was not recorded." in body
    assert "predates the platform" in body
    four = client.get(reverse("evaluation:report", args=[4]),
                      HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "76" in four and "24" in four and "33" in four


@pytest.mark.django_db
def test_synthetic_report_has_seating_and_survey_and_a_pdf(client, demo):
    encounter = Encounter.objects.get(number=6)
    seating.generate(encounter, table_size=8, rounds=3, source="registered", title="Mesas")
    body = client.get(reverse("evaluation:report", args=[6]),
                      HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Mesas" in body and "Before and after" in body
    assert "@example.org" not in body
    pdf = client.get(reverse("evaluation:report_pdf", args=[6]))
    assert pdf["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(b"".join(pdf.streaming_content)))
    text = " ".join(page.extract_text() for page in reader.pages)
    assert len(reader.pages) >= 2 and encounter.title.split()[0] in text
    assert "@example.org" not in text


@pytest.mark.django_db
def test_encounter_page_links_the_report(client, demo):
    assert reverse("evaluation:report", args=[4]) in client.get("/encounters/4/").content.decode()


@pytest.mark.django_db
def test_report_pdf_is_rendered_by_a_task_and_reused(client, encounter, settings, tmp_path):
    """The PDF is made once by the background task, kept, and served again without a new task;
    with a queued (not yet run) task the page shows its progress instead of blocking."""
    from encuentros.core.models import TaskRecord

    settings.MEDIA_ROOT = tmp_path
    url = reverse("evaluation:report_pdf", args=[encounter.number])
    first = client.get(url)
    assert first["Content-Type"] == "application/pdf"
    assert b"".join(first.streaming_content).startswith(b"%PDF-")
    assert TaskRecord.objects.filter(status="SUCCESSFUL").count() == 1
    client.get(url)
    assert TaskRecord.objects.count() == 1  # reused
    TaskRecord.objects.all().delete()
    settings.TASKS = {"default": {"BACKEND": "encuentros.core.tasks.DatabaseBackend",
                                  "OPTIONS": {"immediate": False}}}
    queued = client.get(url)
    record = TaskRecord.objects.get()
    assert record.status == "READY" and record.is_public
    assert queued.status_code == 302 and queued["Location"] == reverse("core:task",
                                                                       args=[record.pk])
    page = client.get(queued["Location"])
    assert page.status_code == 200 and 'hx-trigger="every 2s"' in page.content.decode()
