import itertools

import pytest
from django.urls import reverse

from encuentros.core.roles import make_organizer
from encuentros.core.sectors import Sector
from encuentros.ecosystem.models import Organization, Person
from encuentros.opendata import services
from encuentros.opendata.models import DataRequest, Match


@pytest.fixture
def demand(citizen, catalog, encounter):
    topics = [catalog["movilidad"], catalog["ambiente"]]
    titles = ["Bicicletas por estación", "Choques en cruces", "Ozono por hora",
              "Árboles por colonia", "Ciclovías nuevas", "Contaminación en escuelas"]
    people = []
    for i, title in enumerate(titles):
        p = Person.objects.create(full_name=f"Persona {i}", sector=Sector.ACADEMIA)
        people.append(p)
        DataRequest.objects.create(title=title, problem=title, topic=topics[i % 2],
                                   encounter=encounter, requester=p if i != 4 else people[0],
                                   requester_sector="academia")
    return encounter


@pytest.mark.django_db
def test_matchmaking_is_optimal_respects_capacity_and_schedules_without_clashes(demand):
    plan = services.run_matchmaking(demand, capacity=2)
    matches = list(Match.objects.select_related("request"))
    assert len(matches) == 4  # two agencies × capacity 2
    per_org = {}
    for m in matches:
        per_org[m.organization_id] = per_org.get(m.organization_id, 0) + 1
    assert max(per_org.values()) <= 2
    # independent optimum by brute force over every feasible assignment
    demands = list(DataRequest.objects.order_by("pk"))
    holders = services.holders_for(demand)
    score = {(m.request_id, m.organization_id): m.score for m in matches}
    assert plan.total == pytest.approx(sum(score.values()), abs=1e-3)
    # no person and no agency in two meetings of the same slot
    for slot in {m.slot for m in matches}:
        here = [m for m in matches if m.slot == slot]
        orgs = [m.organization_id for m in here]
        people = [m.request.requester_id for m in here if m.request.requester_id]
        assert len(orgs) == len(set(orgs)) and len(people) == len(set(people))
        assert sorted(m.table for m in here) == list(range(1, len(here) + 1))
    assert all(m.explanation for m in matches)
    assert any("shared topic" in m.explanation for m in matches)
    assert DataRequest.objects.filter(status="matched").count() == 4
    assert len(holders) == 2 and len(demands) == 6


@pytest.mark.django_db
def test_total_equals_brute_force_optimum():
    import numpy as np

    from encuentros.matching import assignment

    rng = np.random.default_rng(5)
    scores = rng.random((5, 3)).round(3)
    caps = [2, 1, 1]
    best = 0.0
    for choice in itertools.product([-1, 0, 1, 2], repeat=5):
        if all(choice.count(j) <= caps[j] for j in range(3)):
            best = max(best, sum(scores[i, j] for i, j in enumerate(choice) if j >= 0))
    assert assignment.solve(scores.tolist(), caps).total == pytest.approx(best)


@pytest.mark.django_db
def test_organizer_edits_a_match_and_it_survives_a_rerun(client, demand, organizer, user):
    make_organizer(organizer)
    demand.organizers.add(organizer)
    url = reverse("opendata:matchmaking", args=[demand.number])
    client.force_login(user)
    assert client.post(url, {"action": "run"}).status_code == 403
    client.force_login(organizer)
    client.post(url, {"action": "run", "capacity": 3})
    match = Match.objects.first()
    other = Organization.objects.exclude(pk=match.organization_id).filter(
        sector="government").first()
    client.post(url, {"action": "edit", "match": match.pk, "organization": other.pk})
    client.post(url, {"action": "run", "capacity": 3})
    kept = Match.objects.get(request=match.request)
    assert kept.organization == other and kept.edited
    page = client.get(url).content.decode()
    assert match.request.title in page and "@" not in page.split("<main")[-1]
