"""What the collaboration app adds to the ecosystem: atlas ties, organization page section."""

from django.urls import reverse

from encuentros.collaboration import services
from encuentros.core.sectors import Sector
from encuentros.ecosystem.atlas import _SOURCES
from encuentros.ecosystem.directory import sections_for
from encuentros.ecosystem.models import Organization


def test_co_signed_and_table_ties(organizer, encounter, agency):
    uni = Organization.objects.create(name="Universidad Uno", sector=Sector.ACADEMIA)
    services.save_agreement(organizer, kind="agreement", title="A", encounter=encounter,
                            signatories=[agency, uni])
    ties = _SOURCES["co_signed"].func()
    assert sorted([ties.org_a[0], ties.org_b[0]]) == sorted([agency.pk, uni.pk])
    assert list(ties.encounter) == [encounter.number]
    table = services.create_table(organizer, name="Mesa", encounter=encounter)
    services.add_member(table, organizer, role="data_holder", organization=agency)
    assert len(_SOURCES["collaborative_table"].func().org_a) == 0
    services.add_member(table, organizer, role="academia", organization=uni)
    assert len(_SOURCES["collaborative_table"].func().org_a) == 1


def test_organization_page_section(client, commitment, agency):
    titles = [s.title for s in sections_for(agency)]
    assert "Agreements and commitments" in titles or "Acuerdos y compromisos" in titles
    html = client.get(reverse("ecosystem:organization", args=[agency.slug])).content.decode()
    assert "Publicar cruces" in html and "Carta de intención de movilidad" in html


def test_encounter_report_section(commitment, encounter):
    from encuentros.collaboration.models import Initiative
    from encuentros.collaboration.report_sections import follow_up

    Initiative.objects.create(key="x", name="Iniciativa X", encounter=encounter)
    section = follow_up(encounter)
    assert dict(section.rows)["Commitments"] == 1
    assert section.items == ["Iniciativa X — Status not recorded"]
