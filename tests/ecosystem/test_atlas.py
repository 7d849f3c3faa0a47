"""The atlas as built from the database, its API and exports."""

import io
import json
from collections import Counter
from itertools import combinations

import networkx as nx
import pytest

from encuentros.core.sectors import Sector
from encuentros.ecosystem import atlas
from encuentros.ecosystem.models import Organization, Person
from encuentros.encounters import seating, services
from encuentros.encounters.models import Seat

SECTORS = [Sector.GOVERNMENT, Sector.CIVIL_SOCIETY, Sector.ACADEMIA, Sector.PRIVATE]


@pytest.fixture
def seated(encounter):
    encounter.capacity = None
    encounter.save()
    regs = []
    for i in range(24):
        regs.append(services.register(encounter, services.RegistrationData(
            full_name=f"Persona {i:02d}", email=f"p{i}@example.org", sector=SECTORS[i % 4],
            organization_name=f"Organización {i % 8}", public_profile=i < 12)))
    plan = seating.generate(encounter, table_size=4, rounds=3, source="registered")
    return plan


def independent_org_graph():
    """The organization graph computed from the seats and registrations directly."""
    g = nx.Graph()
    g.add_nodes_from(Organization.objects.values_list("pk", flat=True))
    tables = {}
    for seat in Seat.objects.select_related("registration"):
        tables.setdefault((seat.plan_id, seat.round, seat.table), []).append(
            seat.registration.organization_id)
    for orgs in tables.values():
        for a, b in combinations(orgs, 2):
            if a != b:
                g.add_edge(a, b)
    orgs = set(Organization.objects.filter(registrations__isnull=False)
               .values_list("pk", flat=True))
    for a, b in combinations(sorted(orgs), 2):
        g.add_edge(a, b)
    return g


@pytest.mark.django_db
def test_organization_metrics_match_networkx(seated):
    data = atlas.metrics()
    ref = independent_org_graph()
    assert data["nodes"] == ref.number_of_nodes() and data["edges"] == ref.number_of_edges()
    bc = nx.betweenness_centrality(ref)
    for pk, m in data["node_metrics"].items():
        assert m["degree"] == ref.degree(pk)
        assert m["betweenness"] == pytest.approx(bc[pk], abs=1e-12)
    per = data["by_encounter"][0]
    cross = sum(1 for a, b in ref.edges()
                if Organization.objects.get(pk=a).sector != Organization.objects.get(pk=b).sector)
    assert per["encounter"] == 7 and per["cross_sector_ratio"] == pytest.approx(
        round(cross / ref.number_of_edges(), 4))


@pytest.mark.django_db
def test_person_level_shows_only_consenting_people(client, seated):
    data = client.get("/api/v1/atlas/graph?level=person").json()
    names = {n["label"] for n in data["nodes"]}
    public = set(Person.objects.filter(public_profile=True).values_list("full_name", flat=True))
    assert names == public and len(names) == 12
    ids = {n["id"] for n in data["nodes"]}
    assert all(e["source"] in ids and e["target"] in ids for e in data["edges"])
    assert data["edges"] and all(e["kinds"] == {"same_table": e["weight"]}
                                 for e in data["edges"])
    assert "@" not in str(data)


@pytest.mark.django_db
def test_cache_is_recomputed_when_data_changes(seated, encounter):
    before = atlas.metrics()["edges"]
    newcomer = Organization.objects.create(name="Colectivo Nuevo", sector=Sector.CITIZEN)
    assert atlas.metrics()["nodes"] == Organization.objects.count()
    services.register(encounter, services.RegistrationData(
        full_name="Nueva", email="nueva@example.org", sector=Sector.CITIZEN,
        organization_name=newcomer.name))
    after = atlas.metrics()
    assert after["edges"] > before
    assert after["node_metrics"][newcomer.pk]["degree"] == Organization.objects.count() - 1


@pytest.mark.django_db
def test_encounter_filter_and_metrics_api(client, seated):
    graph = client.get("/api/v1/atlas/graph?encounter=7").json()
    assert graph["nodes"] and all("x" in n and "y" in n for n in graph["nodes"])
    # an encounter or topic that does not exist is a 404, not an atlas to compute
    for url in ("/api/v1/atlas/graph?encounter=99", "/api/v1/atlas/graph?topic=999999",
                "/api/v1/atlas/metrics?encounter=99", "/api/v1/atlas/export.gexf?encounter=99",
                "/api/v1/atlas/export.graphml?encounter=99"):
        missing = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
        assert missing.status_code == 404, url
        assert "No encounter has the number 99" in missing.json()["detail"] or \
            "No topic has the id 999999" in missing.json()["detail"]
    metrics = client.get("/api/v1/atlas/metrics").json()
    assert {"nodes", "edges", "brokers", "communities", "by_encounter", "kinds"} <= set(metrics)
    assert "node_metrics" not in metrics
    assert client.get("/api/v1/atlas/graph?level=people").status_code == 422
    # a sector filter is one of the sectors (each value would be a cached graph of its own)
    assert client.get("/api/v1/atlas/graph?sector=government").status_code == 200
    assert client.get("/api/v1/atlas/graph?sector=x%00y").status_code == 422


@pytest.mark.django_db
def test_exports_parse_back(client, seated):
    gexf = client.get("/api/v1/atlas/export.gexf")
    assert gexf["Content-Disposition"].endswith('.gexf"')
    g = nx.read_gexf(io.BytesIO(gexf.content))
    assert g.number_of_edges() == atlas.metrics()["edges"]
    graphml = client.get("/api/v1/atlas/export.graphml?level=person").content
    h = nx.read_graphml(io.BytesIO(graphml))
    assert h.number_of_nodes() == 12 and b"@example.org" not in graphml


@pytest.mark.django_db
def test_geojson_has_only_located_organizations(client, agency):
    agency.latitude, agency.longitude = 19.43, -99.13
    agency.save()
    Organization.objects.create(name="Sin coordenadas", sector=Sector.PRIVATE)
    data = client.get("/api/v1/atlas/organizations.geojson").json()
    assert [f["properties"]["name"] for f in data["features"]] == [agency.name]
    assert data["features"][0]["geometry"]["coordinates"] == [-99.13, 19.43]


@pytest.mark.django_db
def test_organizations_api_filters_and_constant_queries(client, topics, seated,
                                                        django_assert_max_num_queries):
    for i in range(130):
        org = Organization.objects.create(name=f"Colectivo {i:03d}", sector=Sector.CITIZEN,
                                          borough="Coyoacán" if i % 2 else "Tlalpan")
        org.topics.add(topics[i % 3])
    with django_assert_max_num_queries(5):
        page = client.get("/api/v1/organizations?limit=100").json()
    assert page["count"] == Organization.objects.count() and len(page["results"]) == 100
    sectors = Counter(o["sector"] for o in client.get(
        "/api/v1/organizations?sector=citizen&limit=500").json()["results"])
    assert sectors == {"citizen": 130}
    movilidad = client.get(f"/api/v1/organizations?topic={topics[0].slug}&limit=500").json()
    assert movilidad["count"] == 44
    assert client.get("/api/v1/organizations?borough=coyoacán").json()["count"] == 65
    registered = client.get("/api/v1/organizations?q=Organización 1").json()["results"][0]
    assert registered["encounters"] == [7]
    assert client.get("/api/v1/organizations?limit=0").status_code == 422


@pytest.mark.django_db
def test_graph_data_is_sent_gzipped_to_those_who_accept_it(client, seated):
    import gzip

    plain = client.get("/api/v1/atlas/graph")
    assert "Content-Encoding" not in plain and "Accept-Encoding" in plain["Vary"]
    packed = client.get("/api/v1/atlas/graph", HTTP_ACCEPT_ENCODING="br, gzip, deflate")
    assert packed["Content-Encoding"] == "gzip" and "Accept-Encoding" in packed["Vary"]
    assert gzip.decompress(packed.content) == plain.content
    assert json.loads(plain.content)["nodes"]
    refused = client.get("/api/v1/atlas/graph", HTTP_ACCEPT_ENCODING="gzip;q=0, deflate")
    assert "Content-Encoding" not in refused and refused.content == plain.content
