"""Hostile files for the openness answers import (openness/exports.py `import_answers`).

Decision: ODK and KoboToolbox exports carry many columns that are not questions (_uuid, start,
_submission_time…): those are ignored. A question, evidence or identification column that
appears twice is refused (which copy holds the answer?).
"""

import pytest
from django.core.management import CommandError, call_command

from encuentros.core.sectors import Sector
from encuentros.ecosystem.models import Organization
from encuentros.openness import exports, services
from encuentros.openness.models import Assessment

INSTRUMENT = """\
slug: mini
version: "1"
title: Mini
sectors: [government, civil_society]
scales:
  yes_no:
    options:
      - {value: "si", label: "Sí", score: 1}
      - {value: "no", label: "No", score: 0}
pillars:
  - key: transparency
    title: Transparencia
    components:
      - key: t_a
        title: Acceso
        indicators:
          - {key: t1, text: Uno, level: 1, scale: yes_no}
          - {key: t2, text: Dos, level: 2, scale: yes_no, evidence: true}
"""
HEADER = ["organization", "period", "perspective", "transparency/t1", "transparency/t2",
          "transparency/t2_evidence", "_uuid"]
SEMOVI = ["Secretaría de Movilidad", "2026", "self", "si", "no", "https://x.org/e", "u1"]
CIVIC = ["Datos Abiertos A.C.", "2026", "self", "no", "si", "https://x.org/f", "u2"]
BAD_T1 = ["Datos Abiertos A.C.", "2025", "self", "quizá", "si", "https://x.org/f", "u3"]


@pytest.fixture
def instrument(db):
    Organization.objects.create(name="Secretaría de Movilidad", sector=Sector.GOVERNMENT)
    Organization.objects.create(name="Datos Abiertos A.C.", sector=Sector.CIVIL_SOCIETY)
    return services.load_instrument(INSTRUMENT)[0]


def _cases(c):
    formula = c.formulas[0]
    return {
        "mixed_encodings": (c.mixed_encodings([",".join(HEADER), ",".join(SEMOVI),
                                               ",".join(CIVIC).replace("Datos", "Dátos")],
                                              latin1_line=3), "a.csv",
                            (3, "", "mixes encodings")),
        "mojibake": (c.csv([HEADER, SEMOVI, [c.mojibake("Secretaría de Movilidad")]
                            + SEMOVI[1:]]), "a.csv", (3, "organization", "looks garbled")),
        "binary_garbage": (c.garbage(), "a.csv", (None, "", "binary data")),
        "empty": (b"", "a.csv", (1, "", "empty")),
        "header_only": (c.csv([HEADER]), "a.csv", (2, "", "no rows of data")),
        "missing_required_column": (c.csv([HEADER[1:], SEMOVI[1:]]), "a.csv",
                                    (1, "organization", "Missing column")),
        "no_question_column": (c.csv([HEADER[:3], SEMOVI[:3]]), "a.csv",
                               (1, "", "No column matches a question")),
        "duplicate_question_column": (c.csv([HEADER + ["t1"], SEMOVI + ["no"]]), "a.csv",
                                      (1, "t1", "appears twice (columns 4 and 8)")),
        "duplicate_rows": (c.csv([HEADER, SEMOVI, CIVIC, SEMOVI]), "a.csv",
                           (4, "organization", "Repeated")),
        "bad_value_row_3": (c.csv([HEADER, SEMOVI, BAD_T1, CIVIC]), "a.csv",
                            (3, "t1", "not an option")),
        "bad_value_row_3_xlsx": (c.xlsx([HEADER, SEMOVI, BAD_T1, CIVIC]), "a.xlsx",
                                 (3, "t1", "not an option")),
        "formula_organization": (c.csv([HEADER, SEMOVI, [formula] + SEMOVI[1:]]), "a.csv",
                                 (3, "organization", "Unknown organization")),
        "formula_evidence": (c.csv([HEADER, SEMOVI[:5] + [formula, "u"]]), "a.csv",
                             (2, "t2", "evidence must be a web link")),
        "cell_over_csv_field_limit": (c.csv([HEADER, SEMOVI, CIVIC[:3] + ["x" * 200_000]]),
                                      "a.csv", (3, "", "cannot be read as CSV")),
        "xlsx_not_a_zip": (c.csv([HEADER, SEMOVI]), "a.xlsx", (0, "", "not an XLSX workbook")),
        "zip_not_xlsx": (c.zip_not_xlsx(), "a.xlsx", (0, "", "ZIP archive but not an XLSX")),
        "broken_xlsx": (c.broken_xlsx(), "a.xlsx", (0, "", "not a readable XLSX")),
    }


CASES = ["mixed_encodings", "mojibake", "binary_garbage", "empty", "header_only",
         "missing_required_column", "no_question_column", "duplicate_question_column",
         "duplicate_rows", "bad_value_row_3", "bad_value_row_3_xlsx", "formula_organization",
         "formula_evidence", "cell_over_csv_field_limit", "xlsx_not_a_zip", "zip_not_xlsx",
         "broken_xlsx"]


def assert_refused(instrument, raw, filename, expected, counts):
    before = counts()
    with pytest.raises(exports.ImportError_) as exc:
        exports.import_answers(instrument, raw, filename)
    row, column, fragment = expected
    assert [e for e in exc.value.errors
            if fragment in e[2] and (row is None or e[0] == row) and e[1] == column], \
        exc.value.errors
    assert counts() == before


@pytest.mark.django_db
@pytest.mark.parametrize("case", CASES)
def test_refused_with_location_and_nothing_written(case, corpus, counts, instrument):
    raw, filename, expected = _cases(corpus)[case]
    assert_refused(instrument, raw, filename, expected, counts)


@pytest.mark.django_db
def test_huge_file_and_zip_bomb(corpus, counts, instrument, small_cap):
    rows = [HEADER] + [SEMOVI[:1] + [str(2000 + i)] + SEMOVI[2:] for i in range(300)]
    assert_refused(instrument, corpus.csv(rows), "a.csv", (0, "", "larger than"), counts)
    assert_refused(instrument, corpus.zip_bomb(20 * small_cap), "a.xlsx",
                   (0, "", "expands to more than"), counts)


@pytest.mark.django_db
def test_existing_submitted_assessment_names_the_row(corpus, counts, instrument):
    exports.import_answers(instrument, corpus.csv([HEADER, SEMOVI]), "a.csv")
    assert_refused(instrument, corpus.csv([HEADER, CIVIC, SEMOVI]), "a.csv",
                   (3, "period", "already has a submitted assessment"), counts)


@pytest.mark.django_db
@pytest.mark.parametrize("encoding", ["utf-16", "utf-8-sig", "cp1252"])
def test_other_encodings_and_unknown_columns(encoding, corpus, instrument):
    raw = corpus.csv([HEADER + ["start", "_uuid"], SEMOVI + ["2026-01-01", "dup-unknown"]],
                     encoding=encoding, delimiter=";")
    assert exports.import_answers(instrument, raw, "a.csv").rows == 1
    assessment = Assessment.objects.get()
    assert assessment.organization.name == "Secretaría de Movilidad"


@pytest.mark.django_db
def test_command_lists_row_and_column(corpus, counts, instrument, tmp_path, capsys):
    path = tmp_path / "respuestas.csv"
    path.write_bytes(corpus.csv([HEADER, SEMOVI, BAD_T1]))
    before = counts()
    with pytest.raises(CommandError, match="Nothing imported"):
        call_command("import_answers", "mini", str(path))
    assert "row 3, column t1:" in capsys.readouterr().err
    assert counts() == before
