import pytest
from django.urls import reverse

from encuentros.opendata import services
from encuentros.opendata.models import DataRequest


@pytest.mark.django_db
def test_summary_counts_and_csv(client, citizen, catalog, encounter, organizer):
    from encuentros.core.roles import make_organizer

    make_organizer(organizer)
    reqs = [services.create_request(citizen, title=f"R{i}", problem="p",
                                    topic=catalog["movilidad"] if i < 3 else catalog["ambiente"],
                                    agency=catalog["semovi"] if i < 2 else None,
                                    encounter=encounter) for i in range(5)]
    services.change_status(reqs[0], organizer, DataRequest.Status.PUBLISHED)
    services.change_status(reqs[4], organizer, DataRequest.Status.DECLINED, reason="Reservado")
    s = client.get("/api/v1/demand/summary", HTTP_ACCEPT_LANGUAGE="en").json()
    assert s["total"] == 5 and s["satisfied"] == 1 and s["unmet"] == 3 and s["declined"] == 1
    topics = {r["label"]: r for r in s["by_topic"]}
    assert topics["Movilidad"]["total"] == 3 and topics["Movilidad"]["satisfied"] == 1
    assert s["agencies_most_pending"][0]["label"] == "Secretaría de Movilidad"
    assert s["agencies_most_pending"][0]["pending"] == 1
    assert s["by_sector"] == [{"key": "civil_society", "label": "Civil society", "total": 5}]
    assert "lucia" not in str(s).lower()
    csv_text = client.get(reverse("opendata:demand_csv")).content.decode("utf-8-sig")
    assert "by_topic" in csv_text and "Movilidad" in csv_text
    page = client.get(reverse("opendata:demand"))
    assert page.status_code == 200 and b"<svg" in page.content
