"""Demo data: the seed's initiatives by encounter of origin, synthetic 6th, idempotent."""

from django.core.management import call_command

from encuentros.collaboration.models import (
    Agreement,
    ChangeRecord,
    CollaborativeTable,
    Commitment,
    Initiative,
    Milestone,
    Proposal,
    TableMember,
)

EXPECTED = {
    1: ["Plataforma de Gobierno Abierto de la Ciudad de México"],
    2: ["Portal de Datos Abiertos", "Bus de Interoperabilidad", "Mapatón"],
    3: ["Recomendaciones para el Consejo de Ciudad Abierta",
        "Prototipo de Instrumento de Evaluación de Estado de Apertura Organizacional por Sector",
        "Prototipo de Atlas Ecosistémico"],
    4: ["Acuerdo entre academia y Gobierno de la CDMX",
        "Seminario Ciencia de Datos para la Ciudad"],
    5: ["Treepedia CDMX"],
}


def _counts():
    return [m.objects.count() for m in (Initiative, Proposal, CollaborativeTable, TableMember,
                                        Agreement, Commitment, Milestone, ChangeRecord)]


def test_load_demo_twice(db, client):
    call_command("load_demo", verbosity=0)
    first = _counts()
    call_command("load_demo", verbosity=0)
    assert _counts() == first

    data = client.get("/api/v1/initiatives").json()
    assert data["count"] == len(data["items"])
    by_encounter = {}
    for item in data["items"]:
        by_encounter.setdefault(item["encounter_number"], []).append(item["name"])
    for number, names in EXPECTED.items():
        assert by_encounter[number] == names
    assert all("(demo)" in n for n in by_encounter[6])

    seminario = Initiative.objects.get(key="seminario-ciencia-datos")
    assert seminario.tables.count() == 8
    assert not TableMember.objects.filter(table__encounter__number=4).exists()
    agreement = Agreement.objects.get(encounter__number=4)
    assert agreement.signatories.count() == 0  # the seed names no signatory organization
    assert str(agreement.signed_on) == "2016-12-08"
    # Nothing synthetic is attached to the historical encounters.
    assert not Proposal.objects.filter(encounter__number__lte=5).exists()
    assert not Commitment.objects.filter(agreement__encounter__number__lte=5).exists()

    six = Proposal.objects.filter(encounter__number=6)
    assert set(six.values_list("status", flat=True)) == set(Proposal.Status.values)
    assert six.filter(status="not_selected").exclude(status_reason="").count() == six.filter(
        status="not_selected").count()
    assert Commitment.objects.filter(status="delayed").exclude(status_reason="").exists()
    from encuentros.collaboration.services import overdue_q

    assert Commitment.objects.filter(overdue_q()).exists()
    tables6 = CollaborativeTable.objects.filter(encounter__number=6)
    assert tables6.count() == 4
    assert all(t.members.values("sector").distinct().count() >= 2 for t in tables6)

    html = client.get("/follow-up/").content.decode()
    positions = [html.index(n) for n in ("Plataforma de Gobierno Abierto", "Mapatón",
                                         "Atlas Ecosistémico", "Seminario Ciencia de Datos",
                                         "Treepedia CDMX")]
    assert positions == sorted(positions)
    page4 = client.get("/follow-up/encounters/4/").content.decode()
    assert "Mesa colaborativa 8 del Seminario" in page4 and "Treepedia" not in page4
