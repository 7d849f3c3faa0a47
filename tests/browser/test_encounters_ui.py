"""The encounter pages as a person sees them, in headless Chromium."""

import re

from playwright.sync_api import expect

from encuentros.encounters.models import Encounter, Registration


def test_encounter_list_and_page(make_page, live_server, demo_data, screenshot):
    page = make_page()
    page.goto(f"{live_server.url}/encounters/")
    expect(page.locator("h1")).to_have_text("Encuentros de Gobierno Abierto")
    cards = page.locator("article.card")
    expect(cards).to_have_count(6)
    expect(page.get_by_role("link", name="Cuarto Encuentro de Gobierno Abierto")).to_be_visible()
    screenshot(page, "encounter-list")

    page.get_by_role("link", name="Cuarto Encuentro de Gobierno Abierto").click()
    expect(page).to_have_url(re.compile(r"/encounters/4/$"))
    table = page.locator("table.data-table")
    expect(table).to_contain_text("76")
    expect(table).to_contain_text("24")
    expect(table).to_contain_text("33")
    expect(page.locator("figure.chart svg")).to_be_visible()
    screenshot(page, "encounter-page-4")
    assert page.guard.errors == []
    assert page.guard.external == []


def test_register_with_the_keyboard(make_page, live_server, demo_data, screenshot):
    page = make_page()
    page.goto(f"{live_server.url}/encounters/6/")
    page.get_by_role("link", name="Registrarme").first.click()
    page.get_by_label("Nombre completo").fill("Teresa Navegadora")
    page.get_by_label("Correo electrónico").fill("teresa@example.org")
    page.get_by_label("Organización o dependencia").fill("universidad metropolitana de EJEMPLO")
    page.get_by_label("Sector").select_option("academia")
    page.get_by_label("Movilidad").check()
    page.get_by_label("Correo electrónico").press("Enter")  # submit from the keyboard
    expect(page.locator(".badge-card")).to_be_visible()
    expect(page.locator(".badge-card")).to_contain_text("Universidad Metropolitana de Ejemplo")
    screenshot(page, "my-registration")
    reg = Registration.objects.get(person__email="teresa@example.org")
    assert reg.status == "registered" and reg.organization.acronym == "UME"
    assert page.guard.errors == [] and page.guard.external == []


def test_checkin_on_a_phone(make_page, live_server, demo_data, screenshot):
    encounter = Encounter.objects.get(number=6)
    registration = encounter.registrations.order_by("pk").first()
    page = make_page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page.goto(f"{live_server.url}/encounters/6/check-in/")
    page.get_by_label("Usuario").fill("organizador")
    page.get_by_label("Contraseña").fill("encuentros-demo")
    page.get_by_role("button", name="Iniciar sesión").click()
    expect(page).to_have_url(re.compile(r"/encounters/6/check-in/$"))
    code = page.get_by_label("Escanea el QR o escribe el código del gafete")
    code.fill(registration.badge_token)
    code.press("Enter")
    expect(page.locator(".checkin-result.ok")).to_contain_text(registration.person.full_name)
    expect(code).to_be_focused()  # ready for the next person
    expect(code).to_have_value("")
    checked = encounter.registrations.filter(checked_in_at__isnull=False).count()
    expect(page.locator("#checked-count")).to_have_text(str(checked))
    expect(page.locator("#recent-arrivals li").first).to_contain_text(
        registration.person.full_name)
    expect(page.locator("#recent-arrivals li.empty")).to_be_hidden()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "the check-in page must not scroll sideways on a phone"
    screenshot(page, "checkin-phone", full_page=False)
    registration.refresh_from_db()
    assert registration.checked_in_at is not None
    code.fill("codigo-inexistente")
    code.press("Enter")
    expect(page.locator(".checkin-result.fail")).to_be_visible()
    expect(page.locator("#recent-arrivals li:visible")).to_have_count(min(checked, 10))
    assert page.guard.errors == [] and page.guard.external == []


def test_language_switcher(make_page, live_server, demo_data):
    page = make_page()
    page.goto(f"{live_server.url}/encounters/")
    page.get_by_label("Idioma").select_option("en")
    page.get_by_role("button", name="Cambiar").click()
    expect(page.locator("h1")).to_have_text("Open Government Encounters")
    expect(page.locator("html")).to_have_attribute("lang", "en")
