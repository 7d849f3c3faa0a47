"""The follow-up page of the demo data as a person sees it, in headless Chromium."""

import re

from playwright.sync_api import expect


def test_followup_lists_initiatives_by_encounter(make_page, live_server, demo_data, screenshot):
    page = make_page()
    page.goto(f"{live_server.url}/follow-up/")
    expect(page.locator("h1")).to_have_text("Qué resultó de los encuentros")
    groups = page.locator("section.initiative-group")
    expect(groups).to_have_count(6)
    expected = {
        "1": ["Plataforma de Gobierno Abierto de la Ciudad de México"],
        "2": ["Portal de Datos Abiertos", "Bus de Interoperabilidad", "Mapatón"],
        "3": ["Recomendaciones para el Consejo de Ciudad Abierta",
              "Prototipo de Instrumento de Evaluación de Estado de Apertura Organizacional "
              "por Sector", "Prototipo de Atlas Ecosistémico"],
        "4": ["Acuerdo entre academia y Gobierno de la CDMX",
              "Seminario Ciencia de Datos para la Ciudad"],
        "5": ["Treepedia CDMX"],
    }
    for number, names in expected.items():
        group = page.locator(f"section.initiative-group[data-encounter='{number}']")
        expect(group.locator("li.initiative strong")).to_have_text(names)
    screenshot(page, "followup")

    page.get_by_role("link", name=re.compile("Encuentro núm. 4 · Cuarto")).first.click()
    expect(page).to_have_url(re.compile(r"/follow-up/encounters/4/$"))
    expect(page.locator(".card-title")).to_have_count(8)
    expect(page.get_by_text("Seminario Ciencia de Datos para la Ciudad").first).to_be_visible()
    screenshot(page, "followup-encounter-4")

    page.goto(f"{live_server.url}/follow-up/encounters/6/")
    bars = page.locator("progress")
    expect(bars.first).to_be_visible()
    assert bars.count() > 5
    expect(page.get_by_text("Vencido").first).to_be_visible()
    screenshot(page, "followup-encounter-6")

    page.locator("table.data-table a").first.click()
    expect(page.locator("progress")).to_be_visible()
    screenshot(page, "followup-commitment")
    page.get_by_role("link", name="Historial de cambios").click()
    expect(page.locator("h1")).to_contain_text("Historial de cambios")
    screenshot(page, "followup-history")

    page.goto(f"{live_server.url}/follow-up/tables/")
    page.get_by_role("link", name=re.compile("Mesa demo 1")).click()
    expect(page.locator("ul.mix li").first).to_be_visible()
    screenshot(page, "followup-table")

    page.goto(f"{live_server.url}/follow-up/proposals/?status=not_selected")
    page.locator("table.data-table tbody a").first.click()
    expect(page.locator(".reason")).to_contain_text("No se cuenta con los datos necesarios")
    screenshot(page, "followup-proposal")

    page.goto(f"{live_server.url}/follow-up/dashboard/")
    expect(page.locator("h1")).to_have_text("Tablero de rendición de cuentas")
    screenshot(page, "followup-dashboard")
    assert page.guard.errors == []
    assert page.guard.external == []
