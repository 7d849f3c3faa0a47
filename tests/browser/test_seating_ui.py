"""An organizer generates a seating plan for the demo's table dynamic and reads its quality."""

import re

from playwright.sync_api import expect

from encuentros.encounters.models import SeatingPlan


def test_generate_a_seating_plan(make_page, live_server, demo_data, screenshot):
    page = make_page()
    page.goto(f"{live_server.url}/encounters/6/seating/")
    page.get_by_label("Usuario").fill("organizador")
    page.get_by_label("Contraseña").fill("encuentros-demo")
    page.get_by_role("button", name="Iniciar sesión").click()
    expect(page).to_have_url(re.compile(r"/encounters/6/seating/$"))
    page.get_by_label("Personas por mesa").fill("8")
    page.get_by_label("Rondas").fill("4")
    page.get_by_label("A quién se sienta").select_option("registered")
    page.get_by_role("button", name="Generar").click()
    expect(page).to_have_url(re.compile(r"/encounters/6/seating/\d+/$"))
    plan = SeatingPlan.objects.get()
    assert plan.repeated_pairs == 0 and plan.seats.count() == 400 * 4
    expect(page.locator("body")).to_contain_text("50")  # 400 people at 50 tables of 8
    screenshot(page, "seating-plan", full_page=False)
    assert page.guard.errors == [] and page.guard.external == []
