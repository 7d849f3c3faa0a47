"""Hostile instrument files for openness/schema.py, through `encuentros load_instrument`.

Decision: instrument files are ours, so they are strict: UTF-8 only, unknown keys refused (a
misspelt optional key such as "wieght" would silently fall back to its default and change the
scores), a key twice in one mapping refused with both lines (PyYAML keeps the last one
silently), YAML aliases refused (they can multiply a small file into a huge structure).
"""

import io

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from encuentros.openness import exports, schema, services
from encuentros.openness.models import Instrument

VALID = """\
slug: hostil
version: "1"
title: Instrumento de prueba
sectors: [government, civil_society]
scales:
  yes_no:
    options:
      - {value: "si", label: "Sí", score: 1}
      - {value: "no", label: "No", score: 0}
pillars:
  - key: transparency
    title: Transparencia
    weight: 1
    components:
      - key: t_a
        title: Acceso
        indicators:
          - {key: t1, text: Uno, level: 1, scale: yes_no}
          - {key: t2, text: Dos, level: 2, scale: yes_no}
          - {key: t3, text: Tres, level: 1, scale: yes_no, weight: 1}
"""


def _cases(c):
    """name -> (bytes of the file, fragment of the error that names the place)."""
    lines = VALID.splitlines()
    return {
        "invalid_utf8": (VALID.encode("utf-8").replace(b"Transparencia",
                                                       "Transparéncia".encode("latin-1")),
                         "line 12: not valid UTF-8"),
        "latin1_file": (VALID.encode("latin-1"), "line 8: not valid UTF-8"),
        "mojibake": (VALID.replace("Instrumento de prueba", c.mojibake("Información")).encode(),
                     "line 3: the text looks garbled"),
        "binary_garbage": (c.garbage(), "not valid UTF-8"),
        "empty": (b"", "line 1: the file is empty"),
        "comments_only": (b"# nada\n", "line 1: the file is empty"),
        "not_a_mapping": (b"- a\n- b\n", "must contain a mapping"),
        "missing_required_key": (VALID.replace("title: Instrumento de prueba\n", "").encode(),
                                 "title: is required"),
        "unknown_key": (VALID.replace("    weight: 1\n", "    wieght: 2\n").encode(),
                        "pillars[0].wieght: unknown key"),
        "duplicate_yaml_key": (VALID.replace("    weight: 1\n",
                                             "    weight: 1\n    weight: 3\n").encode(),
                               "line 14: the key 'weight' appears twice in the same mapping "
                               "(first on line 13)"),
        "duplicate_top_key": ("\n".join(lines[:2] + ['version: "2"'] + lines[2:]).encode(),
                              "line 3: the key 'version' appears twice"),
        "duplicate_indicator_key": (VALID.replace("{key: t3,", "{key: t1,").encode(),
                                    "pillars[0].components[0].indicators[2].key: duplicate "
                                    "key 't1'"),
        "bad_value_row_3": (VALID.replace("weight: 1}", "weight: -1}").encode(),
                            "pillars[0].components[0].indicators[2].weight: must be greater "
                            "than 0"),
        "scale_is_a_list": (VALID.replace("level: 2, scale: yes_no", "level: 2, scale: [a]")
                            .encode(), "indicators[1].scale: unknown scale"),
        "malformed_yaml": (VALID.replace("    title: Transparencia", "   title: [x").encode(),
                           "not valid YAML"),
        "alias_bomb": (c.yaml_alias_bomb().encode(), "line 2: aliases (*name) are not allowed"),
        "python_tag": (b"slug: !!python/object/apply:os.system ['echo hi']\n",
                       "line 1: not valid YAML"),
        "deep_nesting": (b"a: " + b"[" * 50_000 + b"]" * 50_000, "nests too deeply"),
    }


CASES = ["invalid_utf8", "latin1_file", "mojibake", "binary_garbage", "empty", "comments_only",
         "not_a_mapping", "missing_required_key", "unknown_key", "duplicate_yaml_key",
         "duplicate_top_key", "duplicate_indicator_key", "bad_value_row_3", "scale_is_a_list",
         "malformed_yaml", "alias_bomb", "python_tag", "deep_nesting"]


def load(tmp_path, raw: bytes, capsys) -> str:
    path = tmp_path / "instrumento.yaml"
    path.write_bytes(raw)
    with pytest.raises(CommandError, match="1 file"):
        call_command("load_instrument", str(path))
    return capsys.readouterr().err


def test_the_valid_file_is_valid():
    assert schema.parse(VALID)["slug"] == "hostil"
    assert schema.parse(VALID.encode("utf-16"))["title"] == "Instrumento de prueba"


@pytest.mark.django_db
@pytest.mark.parametrize("case", CASES)
def test_refused_with_location_and_nothing_written(case, corpus, counts, tmp_path, capsys):
    raw, fragment = _cases(corpus)[case]
    before = counts()
    err = load(tmp_path, raw, capsys)
    assert fragment in err, err
    assert counts() == before


@pytest.mark.django_db
def test_huge_file_refused(counts, monkeypatch, tmp_path, capsys):
    monkeypatch.setattr(schema, "MAX_CHARS", 2000)
    big = VALID + "description: " + "x" * 3000 + "\n"
    before = counts()
    assert "larger than 2000 characters" in load(tmp_path, big.encode(), capsys)
    assert counts() == before


@pytest.mark.django_db
def test_changing_a_version_with_assessments_is_refused_and_nothing_changes(counts, tmp_path,
                                                                           capsys):
    from encuentros.core.sectors import Sector
    from encuentros.ecosystem.models import Organization

    instrument, _ = services.load_instrument(VALID)
    org = Organization.objects.create(name="Dependencia", sector=Sector.GOVERNMENT)
    services.start_assessment(instrument=instrument, organization=org, perspective="self",
                              period="2026")
    before = counts()
    err = load(tmp_path, VALID.replace("text: Uno", "text: Uno cambiado").encode(), capsys)
    assert "version: hostil version 1 already has assessments" in err
    assert counts() == before
    instrument.refresh_from_db()
    assert instrument.spec["pillars"][0]["components"][0]["indicators"][0]["text"] == "Uno"


@pytest.mark.django_db
def test_formula_texts_are_kept_as_text_in_the_xlsform(corpus, tmp_path, capsys):
    text = VALID.replace("text: Uno", f"text: '{corpus.formulas[0]}'").replace(
        "title: Instrumento de prueba", "title: '=cmd|calc'")
    path = tmp_path / "i.yaml"
    path.write_text(text, encoding="utf-8")
    call_command("load_instrument", str(path))
    instrument = Instrument.objects.get(slug="hostil")
    ws = openpyxl.load_workbook(io.BytesIO(exports.xlsform(instrument)))["survey"]
    cells = [c for row in ws.iter_rows() for c in row if c.value]
    assert any(c.value == corpus.formulas[0] for c in cells)
    assert all(c.data_type != "f" for c in cells)
