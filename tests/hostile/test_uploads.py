"""Upload checks (core/uploads.py) on every web upload: size, extension and content.

Forms: registrations import, openness answers import, survey answers import, and the signed
document of an agreement. Each refused upload shows the error on the file field and writes
nothing.
"""

import html

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from encuentros.collaboration.models import Agreement
from encuentros.core import uploads
from encuentros.encounters import services as enc
from encuentros.encounters.models import Registration
from encuentros.evaluation import services as evaluation
from encuentros.evaluation.models import Response
from encuentros.openness import services as openness
from encuentros.openness.models import Assessment

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
REGISTRATIONS = "Nombre,Email,Organización,Sector,Perfil público\n" \
                "Ana Pérez,ana@example.org,UNAM,Academia,no\n"


def _bad_spreadsheets(c):
    """name -> (filename, bytes, message fragment)."""
    return {
        "wrong_extension": ("r.exe", REGISTRATIONS.encode(), "Upload a .csv or .xlsx file."),
        "no_extension": ("registros", REGISTRATIONS.encode(), "Upload a .csv or .xlsx file."),
        "empty": ("r.csv", b"  \n", "The file is empty."),
        "xlsx_not_a_zip": ("r.xlsx", REGISTRATIONS.encode(), "not an XLSX workbook"),
        "zip_not_xlsx": ("r.xlsx", c.zip_not_xlsx(), "ZIP archive but not an XLSX"),
        "csv_is_a_zip": ("r.csv", c.zip_not_xlsx(), "it is not a text file"),
        "csv_is_a_pdf": ("r.csv", PDF, "it is not a text file"),
        "csv_is_binary": ("r.csv", c.garbage(), "binary data"),
        "csv_mixed_encodings": ("r.csv", c.mixed_encodings(["nombre,email", "Ána,a@x.org",
                                                            "José,j@x.org"], 3),
                                "Line 3 is not valid UTF-8"),
    }


BAD_SPREADSHEETS = ["wrong_extension", "no_extension", "empty", "xlsx_not_a_zip",
                    "zip_not_xlsx", "csv_is_a_zip", "csv_is_a_pdf", "csv_is_binary",
                    "csv_mixed_encodings"]


@pytest.mark.parametrize("case", BAD_SPREADSHEETS)
def test_spreadsheet_validator_refuses(case, corpus):
    name, raw, fragment = _bad_spreadsheets(corpus)[case]
    with pytest.raises(ValidationError) as exc:
        uploads.validate_spreadsheet(SimpleUploadedFile(name, raw))
    assert fragment in exc.value.messages[0]


def test_spreadsheet_validator_size_and_zip_bomb(corpus, small_cap):
    big = SimpleUploadedFile("r.csv", b"a,b\n" * (small_cap // 4 + 1))
    with pytest.raises(ValidationError, match="larger than"):
        uploads.validate_spreadsheet(big)
    bomb = SimpleUploadedFile("r.xlsx", corpus.zip_bomb(20 * small_cap))
    with pytest.raises(ValidationError, match="expands to more than"):
        uploads.validate_spreadsheet(bomb)


def test_spreadsheet_validator_accepts_real_files(corpus):
    for name, raw in (("r.csv", REGISTRATIONS.encode("cp1252")),
                      ("r.txt", REGISTRATIONS.encode("utf-16")),
                      ("R.XLSX", corpus.xlsx([["a", "b"], [1, 2]]))):
        f = SimpleUploadedFile(name, raw)
        uploads.validate_spreadsheet(f)
        assert f.read() == raw  # left at the start for the view to read


@pytest.mark.parametrize("name,raw,fragment", [
    ("acuerdo.pdf", b"not a pdf at all", "not a PDF document"),
    ("acuerdo.docx", PDF, "Attach a PDF file."),
    ("acuerdo.pdf", b"", "not a PDF document"),
])
def test_pdf_validator(name, raw, fragment):
    with pytest.raises(ValidationError) as exc:
        uploads.validate_pdf(SimpleUploadedFile(name, raw))
    assert fragment in exc.value.messages[0]
    uploads.validate_pdf(SimpleUploadedFile("Acuerdo.PDF", PDF))


def test_pdf_validator_size(small_cap):
    with pytest.raises(ValidationError, match="larger than"):
        uploads.validate_pdf(SimpleUploadedFile("a.pdf", PDF + b"0" * small_cap))


def test_decode_text_and_garbled():
    assert uploads.decode_text("Pérez".encode("utf-16-be")) == "Pérez"
    assert uploads.decode_text("Pérez\n".encode("cp1252")) == "Pérez\n"
    assert uploads.decode_text(b"\xef\xbb\xbfP\xc3\xa9rez") == "Pérez"
    assert uploads.garbled("PÃ©rez") and uploads.garbled("â€”")
    for fine in ("Pérez", "São Paulo", "CAFÉ”", "¿Qué?", "Ñuñoa", "Ã"):
        assert not uploads.garbled(fine), fine


def test_settings_cap_the_request_body(settings):
    assert settings.MAX_UPLOAD_MB == 20
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE <= 5 * 2**20
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE <= settings.MAX_UPLOAD_MB * 2**20


# --- Through the web forms -------------------------------------------------------------------

@pytest.fixture
def client(client):
    """Pages in English, so the messages compare with their msgids."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def post_file(client, url, name, raw, **data):
    return client.post(url, {**data, "file": SimpleUploadedFile(name, raw)})


def field_error(response, fragment):
    page = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert 'class="error"' in page and fragment in page, page[-3000:]


@pytest.mark.django_db
@pytest.mark.parametrize("case", ["wrong_extension", "xlsx_not_a_zip", "csv_is_binary",
                                  "zip_not_xlsx"])
def test_registrations_form(case, client, organizer, encounter, corpus, counts):
    url = reverse("encounters:registrations", args=[encounter.number])
    client.force_login(organizer)
    name, raw, fragment = _bad_spreadsheets(corpus)[case]
    before = counts()
    field_error(post_file(client, url, name, raw), fragment)
    assert counts() == before


@pytest.mark.django_db
def test_registrations_form_size_rows_and_success(client, organizer, encounter, corpus,
                                                  counts, settings):
    url = reverse("encounters:registrations", args=[encounter.number])
    client.force_login(organizer)
    settings.MAX_UPLOAD_MB = 0.0001  # about 100 bytes
    before = counts()
    field_error(post_file(client, url, "r.csv", REGISTRATIONS.encode() * 3), "larger than")
    settings.MAX_UPLOAD_MB = 20
    bad = REGISTRATIONS + "Eva,eva@example.org,UNAM,Marciano,no\n"
    page = html.unescape(post_file(client, url, "r.csv", bad.encode()).content.decode())
    assert "<td>3</td><td>Sector</td><td>Unknown sector" in page
    assert counts() == before
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "es-mx"  # the error is translated on the field
    field_error(post_file(client, url, "r.exe", b"x"), "Sube un archivo .csv o .xlsx.")
    response = post_file(client, url, "r.csv", REGISTRATIONS.encode())
    assert response.status_code == 302
    assert Registration.objects.filter(person__email="ana@example.org").exists()


@pytest.mark.django_db
def test_openness_answers_form(client, admin_user, corpus, counts):
    from encuentros.core.sectors import Sector
    from encuentros.ecosystem.models import Organization

    instrument = openness.load_instrument(
        (openness.INSTRUMENTS_DIR / "apertura-organizacional.yaml").read_text("utf-8"))[0]
    Organization.objects.create(name="Dependencia", sector=Sector.GOVERNMENT)
    url = reverse("openness:import", args=[instrument.slug])
    client.force_login(admin_user)
    before = counts()
    field_error(post_file(client, url, "a.xlsx", corpus.zip_not_xlsx()), "not an XLSX")
    field_error(post_file(client, url, "a.pdf", PDF), "Upload a .csv or .xlsx file.")
    raw = b"organization,period,perspective\nDependencia,2026,self\n"
    page = html.unescape(post_file(client, url, "a.csv", raw).content.decode())
    assert "No column matches a question" in page
    assert counts() == before and not Assessment.objects.exists()


@pytest.mark.django_db
def test_survey_answers_form(client, organizer, user, encounter, corpus, counts):
    person = enc.register(encounter, enc.RegistrationData(
        full_name="Ana", email="ana@example.org", sector="academia"))
    evaluation.create_standard_surveys(encounter)
    url = reverse("evaluation:import_answers", args=[encounter.number])
    client.force_login(user)
    assert client.get(url).status_code == 403
    client.force_login(organizer)
    page = client.get(url).content.decode()
    assert "trust_government" in page and "takeaway" in page
    before = counts()
    field_error(post_file(client, url, "e.xlsx", b"code,moment\n"), "not an XLSX workbook")
    header = "code,moment,trust_government,trust_civil_society,cross_sector_understanding," \
             "usefulness,intention_collaborate\n"
    bad = header + f"{person.badge_token},pre,4,4,9,4,4\n"
    page = html.unescape(post_file(client, url, "e.csv", bad.encode()).content.decode())
    assert "<td>2</td><td>cross_sector_understanding</td><td>Write a whole number" in page
    assert counts() == before
    good = header + f"{person.badge_token},pre,4,4,3,4,4\n"
    response = post_file(client, url, "e.csv", good.encode())
    assert response.status_code == 302
    assert Response.objects.get().respondent == evaluation.respondent_key(person)
    results = client.get(reverse("evaluation:results", args=[encounter.number]))
    assert url in results.content.decode()


@pytest.mark.django_db
def test_agreement_document(client, organizer, encounter, counts, settings, tmp_path,
                            small_cap):
    settings.MEDIA_ROOT = tmp_path
    url = reverse("collaboration:manage_new", args=[encounter.number, "agreement"])
    client.force_login(organizer)
    data = {"kind": "covenant", "title": "Convenio"}
    before = counts()
    for name, raw, fragment in (("a.pdf", b"MZ\x90\x00 not a pdf", "not a PDF document"),
                                ("a.exe", PDF, "Attach a PDF file."),
                                ("a.pdf", PDF + b"0" * small_cap, "larger than")):
        response = client.post(url, {**data, "document": SimpleUploadedFile(name, raw)})
        field_error(response, fragment)
    assert counts() == before and not list(tmp_path.rglob("*.*"))
    response = client.post(url, {**data, "document": SimpleUploadedFile("a.pdf", PDF)})
    assert response.status_code == 302
    assert Agreement.objects.get().document.read() == PDF
