"""XLSForm export, answers import (atomic, row-numbered errors) and the CLI commands."""

import csv
import io

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from encuentros.core.sectors import Sector
from encuentros.openness import exports, schema, services
from encuentros.openness.models import Assessment, Instrument


def _sheet(wb, name):
    rows = list(wb[name].iter_rows(values_only=True))
    header = rows[0]
    return [dict(zip(header, r, strict=False)) for r in rows[1:]]


@pytest.mark.django_db
def test_xlsform_structure(default_instrument):
    wb = openpyxl.load_workbook(io.BytesIO(exports.xlsform(default_instrument)))
    assert wb.sheetnames == ["survey", "choices", "settings"]
    survey = _sheet(wb, "survey")
    names = [r["name"] for r in survey]
    assert names[:4] == ["organization", "sector", "period", "perspective"]
    assert [r["type"] for r in survey].count("begin_group") == 4
    q = next(r for r in survey if r["name"] == "t_decisions_public")
    assert q["type"] == "select_one practice" and q["required"] == "yes"
    ev = next(r for r in survey if r["name"] == "t_decisions_public_evidence")
    assert ev["required"] == "yes" and "${t_decisions_public} != 'na'" in ev["relevant"]
    gov_only = next(r for r in survey if r["name"] == "t_requests_answered")
    assert gov_only["relevant"] == "selected(${sector}, 'government')"
    choices = _sheet(wb, "choices")
    practice = [c["name"] for c in choices if c["list_name"] == "practice"]
    assert practice == ["0", "1", "2", "3", "na", "dk"]
    settings = _sheet(wb, "settings")[0]
    assert settings["form_id"] == "apertura_organizacional_1_0" and settings["version"] == "1.0"


def _kobo_csv(rows, spec, sector_of):
    """A KoboToolbox-like export: grouped columns are prefixed "pillar/question"."""
    group = {i["key"]: p["key"] for p in spec["pillars"] for c in p["components"]
             for i in c["indicators"]}
    columns = ["start", "organization", "sector", "period", "perspective"]
    for key in group:
        columns += [f"{group[key]}/{key}", f"{group[key]}/{key}_evidence"]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    for org, period, answers in rows:
        line = ["2026-01-01", org, sector_of.get(org, ""), period, "self"]
        for key in group:
            value, evidence = answers.get(key, ("", ""))
            line += [value, evidence]
        writer.writerow(line)
    return out.getvalue().encode("utf-8")


@pytest.mark.django_db
def test_import_round_trip_and_labels(small_instrument, orgs, answers_for):
    spec = small_instrument.spec
    gov, civil = orgs[Sector.GOVERNMENT][0], orgs[Sector.CIVIL_SOCIETY][0]
    a_gov = answers_for(spec, "government")
    a_civ = answers_for(spec, "civil_society", lambda i: "Bastante" if i["scale"] == "four"
                        else "No aplica")   # Kobo can export labels instead of names
    raw = _kobo_csv([(gov.name, "2026", a_gov), (civil.slug, "2026", a_civ)], spec, {})
    result = exports.import_answers(small_instrument, raw, "datos.csv")
    assert result.rows == 2 and result.created == 2
    g = Assessment.objects.get(organization=gov)
    c = Assessment.objects.get(organization=civil)
    assert g.status == c.status == "submitted" and g.overall == 1.0
    # civil: every "four" item at 0.5, t3 not applicable → 0.5 everywhere.
    assert c.overall == pytest.approx(0.5)
    assert c.answers.get(indicator="t3").value == "na"


@pytest.mark.django_db
def test_import_is_atomic_with_row_numbered_errors(small_instrument, orgs, answers_for):
    spec = small_instrument.spec
    gov = orgs[Sector.GOVERNMENT][0]
    good = answers_for(spec, "government")
    bad = dict(good, t1=("3", ""), t2=("7", ""))
    raw = _kobo_csv([(gov.name, "2026", good), ("Nadie", "2026", good),
                     (orgs[Sector.ACADEMIA][0].name, "este año", bad)], spec, {})
    with pytest.raises(exports.ImportError_) as exc:
        exports.import_answers(small_instrument, raw, "datos.csv")
    errors = {(row, column) for row, column, _m in exc.value.errors}
    assert errors == {(3, "organization"), (4, "period"), (4, "t1"), (4, "t2")}
    assert Assessment.objects.count() == 0
    with pytest.raises(exports.ImportError_) as exc:
        exports.import_answers(small_instrument, b"nombre,otra\nx,y\n", "x.csv")
    assert {c for _r, c, _m in exc.value.errors} >= {"organization", "period", "perspective"}


@pytest.mark.django_db
def test_import_xlsx_and_web_upload(client, admin_user, small_instrument, orgs, answers_for):
    spec = small_instrument.spec
    org = orgs[Sector.PRIVATE][0]
    text = _kobo_csv([(org.name, "2025", answers_for(spec, "private"))], spec, {}).decode()
    wb = openpyxl.Workbook()
    for row in csv.reader(io.StringIO(text)):   # numeric option names as number cells (3.0)
        wb.active.append([float(v) if v.isdigit() else v for v in row])
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    buf.name = "kobo.xlsx"
    client.force_login(admin_user)
    from django.urls import reverse

    url = reverse("openness:import", args=[small_instrument.slug])
    r = client.post(url, {"file": buf})
    assert r.status_code == 302
    assert Assessment.objects.get(organization=org).status == "submitted"
    assert Assessment.objects.get(organization=org).overall == 1.0
    buf.seek(0)
    r = client.post(url, {"file": buf})       # same again: already submitted, row 2
    body = r.content.decode()
    assert r.status_code == 200 and 'role="alert"' in body and "<td>2</td>" in body
    assert Assessment.objects.count() == 1
    client.logout()
    assert client.get(url).status_code == 302


@pytest.mark.django_db
def test_load_instrument_command_is_idempotent_and_protects_answered_versions(
        tmp_path, orgs, answers_for, capsys):
    call_command("load_instrument")
    assert Instrument.objects.count() == 2
    call_command("load_instrument")
    assert Instrument.objects.count() == 2
    assert "unchanged" in capsys.readouterr().out
    path = services.INSTRUMENTS_DIR / "apertura-organizacional.yaml"
    changed = tmp_path / "changed.yaml"
    changed.write_text(path.read_text("utf-8").replace("maturity_threshold: 0.66",
                                                       "maturity_threshold: 0.7"), "utf-8")
    call_command("load_instrument", str(changed))      # no assessments yet: updated in place
    instrument = Instrument.objects.get(slug="apertura-organizacional")
    assert instrument.spec["maturity_threshold"] == 0.7
    a = services.start_assessment(instrument=instrument, organization=orgs["academia"][0],
                                  perspective="self", period="2026")[0]
    services.save_answers(a, answers_for(instrument.spec, "academia"), submit=True)
    with pytest.raises(CommandError):
        call_command("load_instrument", str(path))
    assert "new version" in capsys.readouterr().err
    bad = tmp_path / "bad.yaml"
    bad.write_text(path.read_text("utf-8").replace("weight: 1\n", "weight: 0\n", 1)
                   .replace("level: 1\n", "level: 9\n", 1), "utf-8")
    with pytest.raises(CommandError):
        call_command("load_instrument", str(bad))
    assert "pillars[0].components[0].indicators[0].level" in capsys.readouterr().err


@pytest.mark.django_db
def test_export_and_report_commands(tmp_path, populated, capsys):
    out = tmp_path / "form.xlsx"
    call_command("export_instrument", services.DEFAULT_SLUG, str(out))
    assert openpyxl.load_workbook(out).sheetnames == ["survey", "choices", "settings"]
    capsys.readouterr()
    call_command("openness_report", services.DEFAULT_SLUG, "--period", "2026")
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 33 and lines[0].startswith("organization_id")
    call_command("openness_report", services.DEFAULT_SLUG, "--format", "quality",
                 "--draws", "50")
    report = capsys.readouterr().out
    assert "Cronbach" in report and "transparency" in report and "average shift" in report


@pytest.mark.django_db
def test_xlsforms_convert_with_the_reference_converter(tmp_path):
    """Cross-check with pyxform (ODK's XLSForm → XForm converter) when it is installed; the
    structure itself is tested above without it."""
    pyxform = pytest.importorskip("pyxform.xls2xform")
    for instrument, _outcome in services.load_bundled():
        path = tmp_path / f"{instrument.slug}.xlsx"
        path.write_bytes(exports.xlsform(instrument))
        result = pyxform.convert(xlsform=str(path), validate=False)
        assert "<h:html" in result.xform and not result.warnings
        for _p, _c, indicator in schema.indicators(instrument.spec):
            assert f"/{indicator['key']}" in result.xform
