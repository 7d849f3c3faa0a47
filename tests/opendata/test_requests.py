import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from encuentros.core.roles import make_organizer
from encuentros.opendata import services
from encuentros.opendata.models import DataRequest

S = DataRequest.Status


@pytest.mark.django_db
def test_file_support_once_and_comment(client, citizen, catalog, user):
    url = reverse("opendata:request_create")
    assert client.get(url).status_code == 302  # login required
    client.force_login(citizen)
    response = client.post(url, {"title": "Ocupación de ciclovías", "problem": "Planear rutas",
                                 "topic": catalog["movilidad"].pk})
    req = DataRequest.objects.get()
    assert response.status_code == 302 and req.votes_count == 1  # own support
    assert req.requester_sector == "civil_society"
    client.force_login(user)
    client.post(reverse("opendata:request_vote", args=[req.pk]))
    client.post(reverse("opendata:request_vote", args=[req.pk]))
    req.refresh_from_db()
    assert req.votes_count == 2
    client.post(reverse("opendata:request_comment", args=[req.pk]), {"body": "¡Sí, por favor!"})
    assert req.comments.get().body == "¡Sí, por favor!"
    bad = client.post(url, {"title": "", "problem": ""})
    assert bad.status_code == 200 and "title" in bad.context["form"].errors


@pytest.mark.django_db
def test_status_rules_and_permissions(citizen, catalog, encounter, organizer, user):
    req = services.create_request(citizen, title="Ruido por colonia", problem="Salud",
                                  agency=catalog["sedema"], encounter=encounter)
    with pytest.raises(services.RequestError):
        services.change_status(req, user, S.IN_PROGRESS)  # not allowed for a participant
    make_organizer(organizer)
    with pytest.raises(services.RequestError) as exc:
        services.change_status(req, organizer, S.DECLINED)
    assert exc.value.field == "reason"
    services.change_status(req, organizer, S.IN_PROGRESS)
    with pytest.raises(services.RequestError):
        services.change_status(req, organizer, S.OPEN)  # illegal transition
    # a public servant of the agency may answer
    servant = get_user_model().objects.create_user("sedema", "s@example.org", "x-pass-123456")
    from encuentros.ecosystem.models import Person

    Person.objects.create(user=servant, full_name="Servidora", sector="government",
                          organization=catalog["sedema"])
    services.change_status(req, servant, S.PUBLISHED, response="Publicado en el portal.")
    req.refresh_from_db()
    assert req.status == S.PUBLISHED and req.agency_response == "Publicado en el portal."
    assert [h.new for h in req.history.all()] == [S.IN_PROGRESS, S.PUBLISHED]
    assert req.history.last().by_role == "responsible agency"


@pytest.mark.django_db
def test_requesters_are_private_unless_they_consented(client, citizen, catalog,
                                                      django_assert_max_num_queries):
    for i in range(30):
        services.create_request(citizen, title=f"Datos {i}", problem="Problema")
    with django_assert_max_num_queries(6):
        data = client.get("/api/v1/data-requests?limit=25", HTTP_ACCEPT_LANGUAGE="en").json()
    assert data["count"] == 30 and len(data["results"]) == 25
    text = str(data) + client.get(reverse("opendata:requests")).content.decode() + \
        client.get(DataRequest.objects.first().get_absolute_url()).content.decode()
    assert "Canario" not in text and "lucia" not in text
    assert data["results"][0]["requested_by"] == "someone from Civil society"
    citizen.person.public_profile = True
    citizen.person.save()
    public = client.get("/api/v1/data-requests").json()["results"][0]
    assert public["requested_by"] == "Lucía Canario"
    with django_assert_max_num_queries(8):
        assert client.get(reverse("opendata:requests"), {"page": 2}).status_code == 200


@pytest.mark.django_db
def test_similar_datasets_and_likely_holders_are_spanish_aware(citizen, catalog):
    req = services.create_request(citizen, title="Árboles en las calles",
                                  problem="Saber dónde plantar más arbolado")
    titles = [d.title for d, _s in services.similar_datasets(req)]
    assert titles[0] == "Arbolado urbano"
    assert services.likely_holders(req)[0][0] == catalog["sedema"]
    bikes = services.create_request(citizen, title="BICICLETAS publicas",
                                    problem="viajes en bici")
    assert services.similar_datasets(bikes)[0][0].title == "Viajes en bicicleta pública"


@pytest.mark.django_db
def test_catalog_pages_filter_and_keep_queries_flat(client, catalog,
                                                    django_assert_max_num_queries):
    from encuentros.opendata.models import Dataset

    for i in range(40):
        Dataset.objects.create(title=f"Extra {i:02d}", identifier=f"x{i}",
                               publisher=catalog["semovi"], formats=["JSON"])
    with django_assert_max_num_queries(8):
        page = client.get(reverse("opendata:catalog"))
    assert page.status_code == 200
    body = client.get(reverse("opendata:catalog"), {"topic": catalog["ambiente"].slug}).content
    assert b"Calidad del aire" in body and b"Viajes en bicicleta" not in body
    body = client.get(reverse("opendata:catalog"), {"format": "json"}).content
    assert b"Extra 00" in body and b"Calidad del aire" not in body
    with django_assert_max_num_queries(5):
        api = client.get("/api/v1/datasets?limit=30").json()
    assert api["count"] == 44 and len(api["results"]) == 30


@pytest.mark.django_db
def test_malformed_identifiers_are_not_server_errors(client, citizen, encounter, organizer):
    from encuentros.core.roles import make_organizer

    client.force_login(citizen)
    for value in ("abc", "99999999999999999999", "-1"):
        response = client.post(reverse("opendata:request_create") + f"?encounter={value}",
                               {"title": "Datos", "problem": "p"})
        assert response.status_code == 302
    make_organizer(organizer)
    encounter.organizers.add(organizer)
    client.force_login(organizer)
    url = reverse("opendata:matchmaking", args=[encounter.number])
    assert client.post(url, {"action": "edit", "match": "x", "organization": "1"}).status_code \
        == 404
    assert client.post(url, {"action": "run", "capacity": "muchas"}).status_code == 302
