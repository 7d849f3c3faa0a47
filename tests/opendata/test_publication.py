"""The platform's open data: formats, Frictionless validation, and the canary test — unique
values planted in every personal field must appear in no public page, no API response and no
open-data file."""

import io
import json
import re
import zipfile

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from encuentros.core.sectors import Sector
from encuentros.encounters import seating, services
from encuentros.encounters.models import Encounter
from encuentros.evaluation import services as surveys
from encuentros.evaluation.models import Survey
from encuentros.opendata import publication

CANARY = "zq7canary"


@pytest.fixture
def planted(db, django_user_model):
    call_command("load_demo", verbosity=0)
    encounter = Encounter.objects.get(number=6)
    user = django_user_model.objects.create_user(f"{CANARY}user", f"{CANARY}@example.org",
                                                 "s3cret-pass-123")
    reg = services.register(encounter, services.RegistrationData(
        full_name=f"Nombre {CANARY}name", email=f"{CANARY}mail@example.org",
        sector=Sector.ACADEMIA, organization_name="Universidad Metropolitana de Ejemplo",
        accessibility_needs=f"{CANARY}access", phone=f"55{CANARY}"), user=user)
    person = reg.person
    person.bio, person.position = f"{CANARY}bio", f"{CANARY}position"
    person.save()
    seating.generate(encounter, table_size=8, rounds=2, source="registered")
    pre = Survey.objects.get(encounter=encounter, moment="pre")
    likert = {q.key: 4 for q in pre.questions.filter(kind="likert")}
    surveys.submit(pre, reg, likert | {"expectations": f"{CANARY}open"})
    return encounter


def _openapi_get_urls(client):
    spec = client.get("/api/v1/openapi.json").json()
    ids = {"encounter_id": Encounter.objects.get(number=6).pk}
    urls = []
    for path, ops in spec["paths"].items():
        if "get" not in ops:
            continue
        params = re.findall(r"{(\w+)}", path)
        if any(p not in ids for p in params):
            for p in params:
                ids.setdefault(p, 1)
        url = path
        for p in params:
            url = url.replace("{" + p + "}", str(ids[p]))
        urls.append(url)
    return urls


@pytest.mark.django_db
def test_no_personal_data_anywhere_public(client, planted):
    sitemap = client.get("/sitemap.xml").content.decode()
    pages = re.findall(r"<loc>https?://[^/]+(/[^<]*)</loc>", sitemap)
    assert len(pages) > 30
    checked = 0
    for url in pages + _openapi_get_urls(client) + [reverse("opendata:datapackage"),
                                                     reverse("opendata:dcat")]:
        response = client.get(url)
        assert response.status_code in (200, 404, 422), url
        body = response.content.decode("utf-8", errors="replace")
        assert CANARY not in body.lower(), url
        checked += 1
    for res in publication.resources():
        for fmt in publication.FORMATS:
            content = client.get(reverse("opendata:open_data_file", args=[res.name, fmt])).content
            if fmt == "xlsx":
                wb = load_workbook(io.BytesIO(content), read_only=True)
                content = "\n".join(str(c) for row in wb.active.iter_rows(values_only=True)
                                    for c in row).encode()
            assert CANARY not in content.decode("utf-8").lower(), (res.name, fmt)
            checked += 1
    archive = zipfile.ZipFile(io.BytesIO(client.get(reverse("opendata:open_data_zip")).content))
    for name in archive.namelist():
        assert CANARY not in archive.read(name).decode("utf-8").lower(), name
    assert checked > 100


@pytest.mark.django_db
def test_data_package_is_valid_frictionless(client, planted, tmp_path):
    from frictionless import validate

    archive = zipfile.ZipFile(io.BytesIO(client.get(reverse("opendata:open_data_zip")).content))
    archive.extractall(tmp_path)
    package = json.loads((tmp_path / "datapackage.json").read_text())
    names = {r["name"] for r in package["resources"]}
    assert {"encounters", "attendance", "organizations", "datasets", "data-requests",
            "survey-results", "atlas-ties"} <= names
    report = validate(str(tmp_path / "datapackage.json"))
    assert report.valid, report.flatten(["resourceName", "rowNumber", "fieldName", "message"])[:10]
    attendance = (tmp_path / "attendance.csv").read_text().splitlines()
    assert attendance[0] == "encounter,sector,people,organizations,basis"
    assert "5,,90,,reported" in attendance  # the seed's 90 attendees, sector unknown


@pytest.mark.django_db
def test_dcat_catalog_describes_every_distribution(client, planted):
    from encuentros.opendata.catalogs import parse

    doc = client.get(reverse("opendata:dcat")).content
    fmt, records = parse(doc)  # our own importer can harvest it
    assert fmt == "DCAT (JSON-LD)"
    assert {r.identifier for r in records} == {r.name for r in publication.resources()}
    assert all(set(r.formats) == {"CSV", "JSON", "XLSX"} for r in records)
