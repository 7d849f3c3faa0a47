"""Public pages, the API contract, query counts and privacy."""

import pytest
from django.urls import reverse

from encuentros.core.sectors import Sector
from encuentros.openness import scoring, services
from encuentros.openness.models import Assessment

CANARIES = ("miembro", "miembro-canary@example.org", "Miembro Canario Privado", "organizadora")


@pytest.mark.django_db
def test_sector_summary_gives_each_sector_equal_weight(default_instrument, orgs, answers_for):
    spec = default_instrument.spec
    # Government: three organizations, all answers at the top; academia: one at the bottom.
    from encuentros.ecosystem.models import Organization

    gov = orgs[Sector.GOVERNMENT] + [Organization.objects.create(name="Tercera",
                                                                 sector="government")]
    for org in gov:
        a = services.start_assessment(instrument=default_instrument, organization=org,
                                      perspective="self", period="2026")[0]
        services.save_answers(a, answers_for(spec, org.sector), submit=True)
    low = orgs[Sector.ACADEMIA][0]
    a = services.start_assessment(instrument=default_instrument, organization=low,
                                  perspective="self", period="2026")[0]
    services.save_answers(a, answers_for(
        spec, low.sector, lambda i: "no" if i["scale"] == "yes_no" else "0"), submit=True)
    summary = services.sector_summary(default_instrument, "2026")
    rows = {r.sector: r for r in summary.rows}
    assert rows["government"].organizations == 3 and rows["government"].overall == 1.0
    assert rows["academia"].overall == 0.0
    assert summary.ecosystem == 0.5                       # not 3/4
    assert summary.ecosystem_pillars["innovation"] == 0.5


@pytest.mark.django_db
def test_organization_page_radar_levels_and_change(client, populated):
    org = populated[3]
    page = client.get(reverse("openness:organization", args=[org.slug]))
    assert page.status_code == 200
    body = page.content.decode()
    assert 'class="radar"' in body and "<polygon" in body
    assert "stroke-dasharray" in body                        # previous assessment drawn
    assert any(f"· {label}</td>" in body for label in (
        "aún no inicial", "inicial", "en desarrollo", "definido", "gestionado", "optimizado"))
    results = services.organization_results(org)
    r = results[0]
    assert r.latest.period == "2026" and r.previous.period == "2025"
    assert r.overall_change == pytest.approx(r.latest.overall - r.previous.overall)
    assert [p["key"] for p in r.pillars] == ["transparency", "participation", "collaboration",
                                             "innovation"]
    assert all(p["level"] in range(0, 6) for p in r.pillars)
    for canary in CANARIES:
        assert canary not in body


@pytest.mark.django_db
def test_public_pages_render_and_do_not_grow_queries(client, populated,
                                                     django_assert_max_num_queries):
    slug = services.DEFAULT_SLUG
    urls = [reverse("openness:index"), reverse("openness:results", args=[slug]),
            reverse("openness:results", args=[slug]) + "?page=2&sector=academia&period=2025",
            reverse("openness:instrument", args=[slug]),
            reverse("openness:organization", args=[populated[0].slug])]
    for url in urls:
        with django_assert_max_num_queries(12):
            response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        for canary in CANARIES:
            assert canary not in body, f"{canary} leaked in {url}"
    results = client.get(reverse("openness:results", args=[slug])).content.decode()
    assert "Page 1 of 2" in results or "Página 1 de 2" in results
    assert "<svg" in results


@pytest.mark.django_db
def test_quality_page(client, populated):
    page = client.get(reverse("openness:quality", args=[services.DEFAULT_SLUG]))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Feldt" in body and populated[0].name in body


@pytest.mark.django_db
def test_api_instruments(client, default_instrument):
    services.load_bundled()
    data = client.get("/api/v1/openness/instruments").json()["items"]
    assert {i["slug"] for i in data} == {"apertura-organizacional", "metrica-gobierno-abierto"}
    default = next(i for i in data if i["slug"] == "apertura-organizacional")
    assert [p["key"] for p in default["pillars"]] == ["transparency", "participation",
                                                      "collaboration", "innovation"]
    assert default["indicators"] == 33 and default["aggregation"]["overall"] == "arithmetic"
    assert client.get(default["xlsform_url"]).status_code == 200


@pytest.mark.django_db
def test_api_scores_contract_filters_and_query_count(client, populated,
                                                     django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        data = client.get("/api/v1/openness/scores?period=2026&limit=20").json()
    assert data["count"] == 32 and len(data["items"]) == 20 and data["period"] == "2026"
    item = data["items"][0]
    assert set(item) >= {"organization", "sector", "period", "overall", "pillars", "levels"}
    assert set(item["organization"]) == {"id", "name", "slug", "sector"}
    sectors = {s["sector"]: s for s in data["sectors"]}
    assert set(sectors) == {"government", "civil_society", "academia", "private"}
    assert data["ecosystem"] == pytest.approx(
        scoring.mean([s["overall"] for s in data["sectors"]]))
    with django_assert_max_num_queries(8):
        academia = client.get("/api/v1/openness/scores?sector=academia&period=2025").json()
    assert academia["count"] == 8 and {i["sector"] for i in academia["items"]} == {"academia"}
    bad = client.get("/api/v1/openness/scores?sector=nope", HTTP_ACCEPT_LANGUAGE="es-mx")
    assert bad.status_code == 422 and "sector desconocido 'nope'" in bad.json()["detail"]
    latest = client.get("/api/v1/openness/scores").json()
    assert latest["period"] == "2026" and latest["periods"] == ["2025", "2026"]
    assert latest["count"] == 32 and {i["period"] for i in latest["items"]} == {"2026"}
    assert client.get("/api/v1/openness/scores?instrument=nope").status_code == 404
    assert client.get("/api/v1/openness/scores?perspective=external").json()["count"] == 0
    body = client.get("/api/v1/openness/scores?limit=500").content.decode()
    for canary in CANARIES:
        assert canary not in body


@pytest.mark.django_db
def test_api_organization_openness(client, populated, django_assert_max_num_queries):
    org = populated[5]
    with django_assert_max_num_queries(6):
        data = client.get(f"/api/v1/organizations/{org.pk}/openness").json()
    assert data["organization"]["id"] == org.pk
    r = data["results"][0]
    assert r["period"] == "2026" and r["previous_period"] == "2025"
    assert len(r["pillars"]) == 4 and [h["period"] for h in r["history"]] == ["2025", "2026"]
    latest = Assessment.objects.get(organization=org, period="2026")
    assert r["overall"] == pytest.approx(latest.overall)
    assert r["evidence"] and all(e["url"].startswith("https://") for e in r["evidence"])
    assert client.get("/api/v1/organizations/999999/openness").status_code == 404


@pytest.mark.django_db
def test_score_exports(client, populated):
    slug = services.DEFAULT_SLUG
    csv_text = client.get(reverse("openness:scores_csv", args=[slug]) + "?period=2026"
                          ).content.decode()
    lines = csv_text.strip().splitlines()
    assert lines[0].startswith("organization_id,organization,organization_slug,sector,period")
    assert "transparency_level" in lines[0] and len(lines) == 33
    data = client.get(reverse("openness:scores_json", args=[slug])).json()
    assert len(data) == 64 and {"overall", "innovation", "innovation_level"} <= set(data[0])
    for canary in CANARIES:
        assert canary not in csv_text


@pytest.mark.django_db
def test_metrica_instrument_page_and_admin(client, admin_user, populated):
    services.load_bundled()
    page = client.get(reverse("openness:instrument", args=["metrica-gobierno-abierto"]))
    assert page.status_code == 200
    assert "CIDE" in page.content.decode()
    client.force_login(admin_user)
    for name in ("instrument", "assessment", "answer"):
        response = client.get(reverse(f"admin:openness_{name}_changelist") + "?q=Org")
        assert response.status_code == 200, name
    a = Assessment.objects.first()
    assert client.get(reverse("admin:openness_assessment_change", args=[a.pk])
                      ).status_code == 200


@pytest.mark.django_db
def test_reliability_uses_items_common_to_every_sector(populated, default_instrument):
    import numpy as np

    from encuentros.openness import quality
    from encuentros.openness.models import Answer

    rows = services.reliability(default_instrument)
    by_key = {r["key"]: r for r in rows}
    # Transparency has 9 items, two of them sector-specific.
    assert by_key["transparency"]["k"] == 7 and by_key["transparency"]["n"] == 64
    assert all(r["alpha"] is not None and r["low"] < r["alpha"] < r["high"] for r in rows)
    # Independent recomputation from the stored answers.
    keys = [i["key"] for c in default_instrument.spec["pillars"][3]["components"]
            for i in c["indicators"]]
    table = {}
    for a in Answer.objects.filter(indicator__in=keys).values("assessment_id", "indicator",
                                                             "score"):
        table.setdefault(a["assessment_id"], {})[a["indicator"]] = a["score"]
    X = np.array([[r[k] for k in keys] for r in table.values()], dtype=float)
    assert by_key["innovation"]["alpha"] == pytest.approx(quality.cronbach_alpha(X).alpha)
