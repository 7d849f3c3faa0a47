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
    reader = PdfReader(io.BytesIO(pdf.content))
    text = " ".join(page.extract_text() for page in reader.pages)
    assert len(reader.pages) >= 2 and encounter.title.split()[0] in text
    assert "@example.org" not in text


@pytest.mark.django_db
def test_encounter_page_links_the_report(client, demo):
    assert reverse("evaluation:report", args=[4]) in client.get("/encounters/4/").content.decode()
