import io

import openpyxl
import pytest
from django.urls import reverse

from encuentros.ecosystem.models import Organization, Person, Topic
from encuentros.encounters import imports, services
from encuentros.encounters.models import Registration

HEADER = "Nombre,Correo electrónico,Organización,Sector,Temas,Perfil público,Accesibilidad\n"
ROWS = ("Ana Pérez,ana@example.org,Secretaría de Movilidad,Gobierno,Movilidad; Agua,sí,\n"
        "Luis Gómez,luis@example.org,SECRETARIA DE MOVILIDAD,gobierno,Movilidad,no,Rampa\n"
        "Ximena Ríos,ximena@example.org,Ninguna,Ciudadanía,,no,\n"
        "Iván Cruz,ivan@example.org,Datos Abiertos A.C.,Sociedad civil,Transparencia,Sí,\n")


@pytest.mark.django_db
def test_csv_utf8_with_bom(encounter, agency):
    raw = ("\ufeff" + HEADER + ROWS).encode("utf-8")
    result = imports.import_registrations(encounter, raw, "registros.csv")
    assert (result.rows, result.registered, result.waitlisted) == (4, 4, 0)
    assert result.new_organizations == 1  # SEMOVI matched twice, the A.C. is new
    ana = Registration.objects.get(person__email="ana@example.org")
    assert ana.organization == agency and ana.sector == "government"
    assert {t.name for t in ana.topics.all()} == {"Movilidad", "Agua"}
    assert ana.person.public_profile is True
    ximena = Registration.objects.get(person__email="ximena@example.org")
    assert ximena.organization is None and ximena.sector == "citizen"
    assert Topic.objects.filter(name__iexact="movilidad").count() == 1


@pytest.mark.django_db
def test_csv_latin1_semicolons(encounter):
    text = (HEADER + ROWS).replace(",", ";").replace("Movilidad; Agua", "Movilidad, Agua")
    raw = text.encode("cp1252")
    result = imports.import_registrations(encounter, raw, "registros.csv")
    assert result.rows == 4
    assert Person.objects.get(email="ana@example.org").full_name == "Ana Pérez"
    assert Organization.objects.filter(name="Secretaría de Movilidad").exists()


@pytest.mark.django_db
def test_xlsx(encounter):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Nombre", "Email", "Organización", "Sector", "Perfil público"])
    ws.append(["Ana Pérez", "ana@example.org", "UNAM", "Academia", "si"])
    ws.append(["Luis Gómez", "luis@example.org", "", "ciudadano", "no"])
    buf = io.BytesIO()
    wb.save(buf)
    result = imports.import_registrations(encounter, buf.getvalue(), "registros.xlsx")
    assert result.rows == 2
    assert Registration.objects.get(person__email="ana@example.org").sector == "academia"


@pytest.mark.django_db
def test_every_error_reported_and_nothing_imported(encounter):
    bad = (HEADER + ROWS
           + "Sin Correo,,Org,Gobierno,,no,\n"
           + "Mal Sector,mal@example.org,Org,Marciano,,no,\n"
           + "Repetida,ana@example.org,Org,Gobierno,,quizá,\n")
    with pytest.raises(imports.ImportError_) as exc:
        imports.import_registrations(encounter, bad.encode(), "r.csv")
    errors = exc.value.errors
    assert (6, "Correo electrónico") in {(r, c) for r, c, _m in errors}
    assert (7, "Sector") in {(r, c) for r, c, _m in errors}
    assert (8, "Correo electrónico") in {(r, c) for r, c, _m in errors}  # repeated email
    assert (8, "Perfil público") in {(r, c) for r, c, _m in errors}
    assert any("Marciano" in m for _r, _c, m in errors)
    assert Registration.objects.count() == 0
    assert Person.objects.count() == 0 and Organization.objects.count() == 0


@pytest.mark.django_db
def test_missing_required_column(encounter):
    with pytest.raises(imports.ImportError_) as exc:
        imports.import_registrations(encounter, b"Nombre,Sector\nAna,gobierno\n", "r.csv")
    assert exc.value.errors[0][1] == "email"


@pytest.mark.django_db
def test_already_registered_email_rejects_the_file(encounter):
    services.register(encounter, services.RegistrationData(
        full_name="Ana", email="ana@example.org", sector="citizen"))
    with pytest.raises(imports.ImportError_) as exc:
        imports.import_registrations(encounter, (HEADER + ROWS).encode(), "r.csv")
    assert [(r, c) for r, c, _m in exc.value.errors] == [(2, "Correo electrónico")]
    assert Registration.objects.count() == 1


@pytest.mark.django_db
def test_import_beyond_capacity_waitlists(encounter):
    encounter.capacity = 3
    encounter.save()
    result = imports.import_registrations(encounter, (HEADER + ROWS).encode(), "r.csv")
    assert (result.registered, result.waitlisted) == (3, 1)


@pytest.mark.django_db
def test_import_page_and_export_with_formula_protection(client, organizer, encounter):
    client.force_login(organizer)
    url = reverse("encounters:registrations", args=[encounter.number])
    evil = HEADER + '"=HYPERLINK(""http://x"")",evil@example.org,+Org,Gobierno,,no,@SUM(1)\n'
    upload = io.BytesIO(evil.encode())
    upload.name = "r.csv"
    response = client.post(url, {"file": upload})
    assert response.status_code == 302
    csv_text = client.get(reverse("encounters:registrations_export",
                                  args=[encounter.number]) + "?format=csv").content.decode()
    assert "'=HYPERLINK" in csv_text and "'+Org" in csv_text and "'@SUM(1)" in csv_text
    xlsx = client.get(reverse("encounters:registrations_export", args=[encounter.number])
                      + "?format=xlsx").content
    ws = openpyxl.load_workbook(io.BytesIO(xlsx)).active
    values = [c.value for row in ws.iter_rows() for c in row]
    assert "'=HYPERLINK(\"http://x\")" in values
    assert not any(isinstance(v, str) and v.startswith("=") for v in values)


@pytest.mark.django_db
def test_import_page_shows_row_errors(client, organizer, encounter):
    client.force_login(organizer)
    upload = io.BytesIO((HEADER + "Ana,no-es-correo,Org,Gobierno,,no,\n").encode())
    upload.name = "r.csv"
    response = client.post(reverse("encounters:registrations", args=[encounter.number]),
                           {"file": upload})
    assert response.status_code == 200
    assert response.context["import_errors"][0][:2] == (2, "Correo electrónico")


@pytest.mark.django_db
def test_registrations_pages_are_organizer_only(client, user, encounter):
    for name in ("registrations", "registrations_export", "checkin", "badges_pdf",
                 "agenda_manage", "edit"):
        url = reverse(f"encounters:{name}", args=[encounter.number])
        assert client.get(url).status_code == 302  # to login
        client.force_login(user)
        assert client.get(url).status_code == 403
        client.logout()


@pytest.mark.django_db
def test_cli_import(encounter, tmp_path):
    from django.core.management import call_command

    path = tmp_path / "r.csv"
    path.write_bytes((HEADER + ROWS).encode("cp1252"))
    call_command("import_registrations", str(encounter.number), str(path))
    assert Registration.objects.count() == 4
