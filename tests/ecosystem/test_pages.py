"""Directory, organization page and atlas page as the public sees them."""

import pytest
from django.urls import reverse

from encuentros.core.sectors import Sector
from encuentros.ecosystem.models import Organization, Person
from encuentros.encounters import seating, services


@pytest.fixture
def people(encounter):
    encounter.capacity = None
    encounter.save()
    for i in range(12):
        services.register(encounter, services.RegistrationData(
            full_name=f"Agente {i:02d}", email=f"a{i}@example.org",
            sector=[Sector.GOVERNMENT, Sector.ACADEMIA][i % 2],
            organization_name=f"Organismo {i % 4}", public_profile=i % 3 == 0))
    seating.generate(encounter, table_size=4, rounds=2, source="registered")


@pytest.mark.django_db
def test_directory_filters_paginates_and_keeps_queries_flat(client, people, topics,
                                                            django_assert_max_num_queries):
    for i in range(70):
        o = Organization.objects.create(name=f"Red Vecinal {i:02d}", sector=Sector.CITIZEN)
        o.topics.add(topics[0])
    url = reverse("ecosystem:organizations")
    with django_assert_max_num_queries(8):
        page = client.get(url)
    assert page.status_code == 200 and "Red Vecinal 00" in page.content.decode()
    with django_assert_max_num_queries(8):
        page2 = client.get(url, {"page": 2})
    assert "Red Vecinal 45" in page2.content.decode()
    filtered = client.get(url, {"sector": "government"}).content.decode()
    assert "Organismo 0" in filtered and "Red Vecinal" not in filtered
    assert "Red Vecinal 01" in client.get(url, {"topic": topics[0].slug}).content.decode()


@pytest.mark.django_db
def test_people_directory_lists_only_public_profiles(client, people):
    body = client.get(reverse("ecosystem:people")).content.decode()
    assert "Agente 00" in body and "Agente 03" in body
    assert "Agente 01" not in body and "@example.org" not in body


@pytest.mark.django_db
def test_organization_page_shows_participation_and_public_people_only(client, people):
    org = Organization.objects.get(name="Organismo 0")
    body = client.get(reverse("ecosystem:organization", args=[org.slug])).content.decode()
    assert "Séptimo Encuentro" in body
    assert "Agente 00" in body  # public profile
    assert "Agente 04" not in body  # same organization, no consent
    assert "@example.org" not in body


@pytest.mark.django_db
def test_atlas_page_and_csv_exports(client, people):
    body = client.get(reverse("ecosystem:atlas")).content.decode()
    assert "cytoscape-3.34.4.min.js" in body and 'id="atlas-graph"' in body
    assert "<svg" in body  # server-rendered chart of the cross-sector ratio
    nodes = client.get(reverse("ecosystem:atlas_nodes_csv"))
    assert nodes["Content-Type"].startswith("text/csv")
    lines = nodes.content.decode("utf-8-sig").strip().splitlines()
    assert lines[0] == "id,label,sector,degree,betweenness,community"
    assert len(lines) == Organization.objects.count() + 1
    people_csv = client.get(reverse("ecosystem:atlas_nodes_csv"), {"level": "person"})
    assert len(people_csv.content.decode("utf-8-sig").strip().splitlines()) == 1 + \
        Person.objects.filter(public_profile=True).count()
    edges = client.get(reverse("ecosystem:atlas_edges_csv")).content.decode("utf-8-sig")
    assert edges.splitlines()[0] == "source,target,weight,kinds,first_encounter,cross_sector"


@pytest.mark.django_db
def test_other_apps_add_sections_to_the_organization_page(client, agency):
    body = client.get(reverse("ecosystem:organization", args=[agency.slug]),
                      HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "<h2>Openness</h2>" in body
    assert "No openness assessment has been published yet." in body
