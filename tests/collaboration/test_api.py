"""The public API: lists with history URLs, no personal data, bounded queries."""

import datetime as dt

from django.utils import timezone

from encuentros.collaboration import services
from encuentros.collaboration.models import Initiative, Proposal


def test_proposals_api(client, submitted, draft, author):
    data = client.get("/api/v1/proposals").json()
    assert data["count"] == 1
    item = data["items"][0]
    assert item["author"] == "Colectivo Datos del Barrio"
    assert item["history"] == f"/api/v1/history/proposal/{submitted.pk}"
    assert "autora" not in str(data).lower()
    history = client.get(item["history"]).json()
    assert history["count"] == 2
    assert history["items"][0]["changes"] == {"status": ["draft", "submitted"]}
    assert history["items"][0]["actor_role"] == "author"


def test_draft_history_is_private(client, author):
    p = services.create_proposal(author, title="Borrador", summary="x")
    assert client.get(f"/api/v1/history/proposal/{p.pk}").status_code == 404
    assert client.get(f"/api/v1/proposals/{p.pk}").status_code == 404


def test_commitments_api(client, commitment, organizer):
    services.add_milestone(commitment, organizer, title="Hito 1")
    m2 = services.add_milestone(commitment, organizer, title="Hito 2")
    services.set_milestone_done(m2, organizer, evidence_url="https://example.org/ok")
    item = client.get("/api/v1/commitments").json()["items"][0]
    assert (item["progress"], item["progress_source"], item["status"]) == (
        50, "milestones", "in_progress")
    assert item["responsible"] == "Secretaría de Movilidad"
    assert item["history"] == f"/api/v1/history/commitment/{commitment.pk}"
    assert item["overdue"] is False
    assert client.get("/api/v1/commitments?overdue=true").json()["count"] == 0


def test_agreements_and_tables_api(client, agreement, commitment, organizer, encounter,
                                   agency):
    a = client.get("/api/v1/agreements").json()["items"][0]
    assert a["signatories"] == ["Secretaría de Movilidad"] and a["commitments"] == 1
    assert a["encounter_number"] == 7
    table = services.create_table(organizer, name="Mesa API", encounter=encounter)
    services.add_member(table, organizer, role="data_holder", organization=agency)
    t = client.get("/api/v1/tables").json()["items"][0]
    assert t["sector_mix"] == [{"sector": "government", "members": 1}]
    assert t["history"].endswith(f"/tables/{table.pk}") is False
    assert t["history"] == f"/api/v1/history/table/{table.pk}"


def test_initiatives_api_by_encounter(client, encounter):
    Initiative.objects.create(key="b", name="Segunda", encounter=encounter, order=2)
    Initiative.objects.create(key="a", name="Primera", encounter=encounter, order=1)
    data = client.get("/api/v1/initiatives").json()
    assert [(i["encounter_number"], i["name"]) for i in data["items"]] == [(7, "Primera"),
                                                                            (7, "Segunda")]
    assert client.get("/api/v1/initiatives?encounter=3").json()["items"] == []
    page = client.get("/api/v1/initiatives?limit=1&offset=1").json()
    assert page["count"] == 2 and [i["name"] for i in page["items"]] == ["Segunda"]


def test_api_lists_do_not_grow_queries(client, encounter, organizer, agreement, agency,
                                       django_assert_max_num_queries):
    Proposal.objects.bulk_create(Proposal(title=f"P{i}", summary="s", encounter=encounter,
                                          status="submitted") for i in range(40))
    for i in range(40):
        c = services.create_commitment(organizer, title=f"C{i}", agreement=agreement,
                                       responsible=agency,
                                       due_date=timezone.localdate() - dt.timedelta(days=1))
        services.add_milestone(c, organizer, title="h")
        t = services.create_table(organizer, name=f"T{i}", encounter=encounter)
        services.add_member(t, organizer, role="data_holder", organization=agency)
    for url in ("/api/v1/proposals?limit=30", "/api/v1/commitments?limit=30",
                "/api/v1/tables?limit=30", "/api/v1/agreements", "/api/v1/initiatives",
                "/api/v1/proposals?limit=30&offset=30"):
        with django_assert_max_num_queries(8):
            assert client.get(url).status_code == 200, url
    assert client.get("/api/v1/commitments?overdue=true").json()["count"] == 40
    assert client.get("/api/v1/proposals?limit=0").status_code == 422
