"""Collaboration and open data feed the atlas: co-signing, shared tables, proposals using an
agency's data; adding a signatory recomputes the cached graph."""

import pytest
from django.core.cache import cache

from encuentros.core.sectors import Sector
from encuentros.ecosystem import atlas
from encuentros.ecosystem.models import Organization
from encuentros.opendata.models import DataRequest, Dataset


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()


def _kinds(a, b):
    for e in atlas.graph_json(with_layout=False)["edges"]:
        if {e["source"], e["target"]} == {a.pk, b.pk}:
            return set(e["kinds"])
    return set()


@pytest.mark.django_db
def test_signatories_added_later_appear_in_the_graph(agreement, agency):
    uni = Organization.objects.create(name="Universidad Abierta", sector=Sector.ACADEMIA)
    assert _kinds(agency, uni) == set()
    agreement.signatories.add(agency, uni)
    assert "co_signed" in _kinds(agency, uni)


@pytest.mark.django_db
def test_a_proposal_using_an_agency_data_ties_them(submitted, agency):
    ngo = Organization.objects.create(name="Colectivo de Datos", sector=Sector.CIVIL_SOCIETY)
    submitted.author_organization = ngo
    submitted.save()
    other = Organization.objects.create(name="Instituto de Datos", sector=Sector.GOVERNMENT)
    request = DataRequest.objects.create(title="Viajes", problem="p", agency=agency)
    dataset = Dataset.objects.create(title="Viajes 2024", identifier="v", publisher=other)
    submitted.data_requests.add(request)
    submitted.datasets.add(dataset)
    assert "proposal_data" in _kinds(ngo, agency)
    assert "proposal_data" in _kinds(ngo, other)
