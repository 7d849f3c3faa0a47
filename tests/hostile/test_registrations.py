"""Hostile files for the registrations importer (encounters/imports.py) and its command.

Decision: columns the importer does not know (form timestamps, notes) are ignored; two columns
for the same field are refused. Every refused file reports (row, column, message) and leaves
every table as it was.
"""

import io

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from encuentros.encounters import imports, services
from encuentros.encounters.models import Registration
from encuentros.opendata.models import Dataset

HEADER = ["Nombre", "Correo electrónico", "Organización", "Sector", "Perfil público"]
ANA = ["Ana Pérez", "ana@example.org", "Secretaría de Movilidad", "Gobierno", "sí"]
LUIS = ["Luis Gómez", "luis@example.org", "", "Ciudadanía", "no"]
BAD_SECTOR = ["Eva Ruiz", "eva@example.org", "UNAM", "Marciano", "no"]


def _case(c):
    """name -> (raw, filename, expected (row, column, message fragment))."""
    long_email = "a" * 64 + "@" + ("b" * 62 + ".") * 3 + "org"
    return {
        "mixed_encodings": (c.mixed_encodings([",".join(HEADER), ",".join(ANA),
                                               "José Ñúñez,jose@example.org,,Ciudadanía,no"],
                                              latin1_line=3),
                            "r.csv", (3, "", "mixes encodings")),
        "mojibake": (c.csv([HEADER, LUIS, [c.mojibake("Ana Pérez")] + ANA[1:]]), "r.csv",
                     (3, "Nombre", "looks garbled")),
        "binary_garbage_csv": (c.garbage(), "r.csv", (None, "", "binary data")),
        "empty": (b"", "r.csv", (1, "", "empty")),
        "blank_lines_only": (b"\n\n ,,\n", "r.csv", (1, "", "empty")),
        "header_only": (c.csv([HEADER]), "r.csv", (2, "", "no rows of data")),
        "missing_required_column": (c.csv([HEADER[:3] + HEADER[4:], ANA[:3] + ANA[4:]]),
                                    "r.csv", (1, "sector", "Missing required column")),
        "duplicate_header": (c.csv([HEADER + ["Email"], ANA + ["otra@example.org"]]), "r.csv",
                             (1, "Email", "both hold email")),
        "duplicate_email": (c.csv([HEADER, ANA, LUIS, ANA]), "r.csv",
                            (4, "Correo electrónico", "repeated (also in row 2)")),
        "bad_value_row_3": (c.csv([HEADER, ANA, BAD_SECTOR, LUIS]), "r.csv",
                            (3, "Sector", "Unknown sector")),
        "bad_value_row_3_xlsx": (c.xlsx([HEADER, ANA, BAD_SECTOR, LUIS]), "r.xlsx",
                                 (3, "Sector", "Unknown sector")),
        "blank_row_keeps_numbering": (c.csv([HEADER, ANA, [], BAD_SECTOR]), "r.csv",
                                      (4, "Sector", "Unknown sector")),
        "cell_over_csv_field_limit": (c.csv([HEADER, ANA, ["x" * 200_000] + LUIS[1:]]),
                                      "r.csv", (3, "", "cannot be read as CSV")),
        "organization_too_long": (c.csv([HEADER, ANA[:2] + ["O" * 300] + ANA[3:]]), "r.csv",
                                  (2, "Organización", "longer than 255")),
        "email_too_long": (c.csv([HEADER, ANA[:1] + [long_email] + ANA[2:]]), "r.csv",
                           (2, "Correo electrónico", "not a valid email")),
        "xlsx_not_a_zip": (c.csv([HEADER, ANA]), "r.xlsx", (0, "", "not an XLSX workbook")),
        "zip_not_xlsx": (c.zip_not_xlsx(), "r.xlsx", (0, "", "ZIP archive but not an XLSX")),
        "broken_xlsx": (c.broken_xlsx(), "r.xlsx", (0, "", "not a readable XLSX")),
        "zip_named_csv": (c.zip_not_xlsx(), "r.csv", (0, "", "ZIP archive but not an XLSX")),
    }


CASES = [
    "mixed_encodings", "mojibake", "binary_garbage_csv", "empty", "blank_lines_only",
    "header_only", "missing_required_column", "duplicate_header", "duplicate_email",
    "bad_value_row_3", "bad_value_row_3_xlsx", "blank_row_keeps_numbering",
    "cell_over_csv_field_limit", "organization_too_long", "email_too_long", "xlsx_not_a_zip",
    "zip_not_xlsx", "broken_xlsx", "zip_named_csv"]


def assert_refused(encounter, raw, filename, expected, counts):
    before = counts()
    with pytest.raises(imports.ImportError_) as exc:
        imports.import_registrations(encounter, raw, filename)
    row, column, fragment = expected
    matches = [e for e in exc.value.errors
               if fragment in e[2] and (row is None or e[0] == row) and e[1] == column]
    assert matches, exc.value.errors
    assert counts() == before
    return exc.value.errors


@pytest.mark.django_db
@pytest.mark.parametrize("case", CASES)
def test_refused_with_location_and_nothing_written(case, corpus, counts, encounter):
    raw, filename, expected = _case(corpus)[case]
    assert_refused(encounter, raw, filename, expected, counts)


@pytest.mark.django_db
def test_binary_garbage_names_its_line(corpus, encounter):
    with pytest.raises(imports.ImportError_) as exc:
        imports.import_registrations(encounter, b"nombre,email\n\x00\x01\x02", "r.csv")
    assert exc.value.errors == [(2, "", "Line 2 contains binary data: this is not a text file.")]


@pytest.mark.django_db
def test_huge_file_refused_before_parsing(corpus, counts, encounter, small_cap):
    rows = [HEADER] + [[f"P{i}", f"p{i}@example.org", "", "Ciudadanía", "no"]
                       for i in range(400)]
    raw = corpus.csv(rows)
    assert len(raw) > small_cap
    errors = assert_refused(encounter, raw, "r.csv", (0, "", "larger than 0.0098 MB"), counts)
    assert len(errors) == 1


@pytest.mark.django_db
def test_zip_bomb_refused_before_opening(corpus, counts, encounter, small_cap):
    raw = corpus.zip_bomb(20 * small_cap)  # 200 kB of XML in a ~1 kB file
    assert len(raw) < small_cap
    assert_refused(encounter, raw, "r.xlsx", (0, "", "expands to more than"), counts)


@pytest.mark.django_db
def test_too_many_rows(corpus, counts, encounter, monkeypatch):
    monkeypatch.setattr(imports, "MAX_ROWS", 2)
    assert_refused(encounter, corpus.csv([HEADER, ANA, LUIS, BAD_SECTOR]), "r.csv",
                   (0, "", "Too many rows"), counts)


@pytest.mark.django_db
def test_already_registered_email_names_its_row(corpus, counts, encounter):
    services.register(encounter, services.RegistrationData(
        full_name="Luis Gómez", email="luis@example.org", sector="citizen"))
    assert_refused(encounter, corpus.csv([HEADER, ANA, LUIS]), "r.csv",
                   (3, "Correo electrónico", "already registered"), counts)


@pytest.mark.django_db
@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-8-sig", "cp1252"])
def test_other_encodings_are_read_correctly(encoding, corpus, encounter):
    """UTF-16 (with or without BOM), UTF-8 with BOM and Windows-1252 are what Excel saves."""
    result = imports.import_registrations(
        encounter, corpus.csv([HEADER, ANA, LUIS], encoding=encoding, delimiter=";"), "r.csv")
    assert result.rows == 2
    assert Registration.objects.filter(person__full_name="Ana Pérez",
                                       organization__name="Secretaría de Movilidad").exists()


@pytest.mark.django_db
def test_unknown_columns_are_ignored(corpus, encounter):
    """Form tools add columns (timestamps, notes): they are ignored, not stored anywhere."""
    result = imports.import_registrations(
        encounter, corpus.csv([["Marca temporal"] + HEADER + ["Notas"],
                               ["2026-01-01"] + ANA + ["=1+1"]]), "r.csv")
    assert result.rows == 1
    person = Registration.objects.get().person
    assert "=1+1" not in (person.full_name, person.phone)


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_formulas_are_stored_inertly_and_neutralised_on_export(fmt, corpus, encounter):
    header = HEADER + ["Temas", "Teléfono", "Accesibilidad"]
    rows = [header] + [
        [formula, f"f{i}@example.org", formula, "Sociedad civil", "no", formula[:100],
         formula[:40], formula] for i, formula in enumerate(corpus.formulas)]
    raw = corpus.csv(rows) if fmt == "csv" else corpus.xlsx(rows)
    result = imports.import_registrations(encounter, raw, f"r.{fmt}")
    assert result.rows == len(corpus.formulas)
    names = set(Registration.objects.values_list("person__full_name", flat=True))
    assert names == set(corpus.formulas)  # stored as typed: text, never evaluated
    exported = imports.export_dataset(encounter)
    cells = [cell for row in exported for cell in row if isinstance(cell, str)]
    risky = [cell for cell in cells if cell and cell[0] in "=+-@\t\r"]
    assert not risky, risky
    assert f"'{corpus.formulas[0]}" in cells
    # the XLSX export writes them as text cells, not formulas
    ws = openpyxl.load_workbook(io.BytesIO(exported.export("xlsx"))).active
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)
    assert not Dataset.objects.exists()


@pytest.mark.django_db
def test_command_lists_row_and_column(corpus, counts, encounter, tmp_path, capsys):
    path = tmp_path / "registros.csv"
    path.write_bytes(corpus.csv([HEADER, ANA, BAD_SECTOR]))
    before = counts()
    with pytest.raises(CommandError, match="Nothing imported: 1 problem"):
        call_command("import_registrations", str(encounter.number), str(path))
    assert "row 3, column Sector: Unknown sector" in capsys.readouterr().err
    assert counts() == before


@pytest.mark.django_db
def test_command_refuses_a_huge_file_without_reading_it_all(corpus, encounter, tmp_path,
                                                           small_cap, capsys):
    path = tmp_path / "huge.csv"
    with path.open("wb") as fh:  # sparse: 1 GB on paper, nothing on disk
        fh.write(b"nombre,email,sector\n")
        fh.seek(2**30)
        fh.write(b"x")
    with pytest.raises(CommandError):
        call_command("import_registrations", str(encounter.number), str(path))
    assert "larger than" in capsys.readouterr().err
