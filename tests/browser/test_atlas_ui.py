"""The atlas page on the demo data: the graph draws offline and a node opens its card."""

from playwright.sync_api import expect

from encuentros.encounters import seating
from encuentros.encounters.models import Encounter


def test_atlas_graph_page(make_page, live_server, demo_data, screenshot):
    seating.generate(Encounter.objects.get(number=6), table_size=8, rounds=3,
                     source="registered")
    page = make_page()
    page.goto(f"{live_server.url}/atlas/")
    expect(page.locator("h1")).to_have_text("Atlas del ecosistema")
    status = page.locator("#atlas-status")
    expect(status).to_contain_text("nodos y")
    count = page.evaluate("document.querySelectorAll('#atlas-graph canvas').length")
    assert count > 0, "Cytoscape draws on canvas elements"
    screenshot(page, "atlas", full_page=False)
    page.get_by_label("Vista").select_option("person")
    page.get_by_role("button", name="Mostrar").click()
    expect(status).to_contain_text("nodos y")
    assert page.guard.errors == [] and page.guard.external == []
