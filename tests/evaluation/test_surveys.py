"""Answering surveys, pseudonyms, permissions, public results and the API."""

import re

import pytest
from django.test import override_settings
from django.urls import reverse

from encuentros.core.roles import make_organizer
from encuentros.core.sectors import Sector
from encuentros.encounters import services as enc
from encuentros.evaluation import services
from encuentros.evaluation.models import Response, Survey

LIKERT = {"trust_government": 4, "trust_civil_society": 3, "cross_sector_understanding": 4,
          "usefulness": 5, "intention_collaborate": 4}


@pytest.fixture
def crowd(encounter):
    encounter.capacity = None
    encounter.save()
    return [enc.register(encounter, enc.RegistrationData(
        full_name=f"Persona {i}", email=f"s{i}@example.org",
        sector=[Sector.GOVERNMENT, Sector.CIVIL_SOCIETY][i % 2])) for i in range(14)]


@pytest.fixture
def surveys(encounter):
    pre, post = services.create_standard_surveys(encounter)
    Survey.objects.filter(encounter=encounter).update(is_open=True)
    pre.refresh_from_db()
    post.refresh_from_db()
    return pre, post


@pytest.mark.django_db
def test_pre_and_post_answers_share_a_pseudonym_that_reveals_nobody(crowd, surveys):
    pre, post = surveys
    r1 = services.submit(pre, crowd[0], LIKERT | {"expectations": "Conocer gente"})
    r2 = services.submit(post, crowd[0], LIKERT)
    assert r1.respondent == r2.respondent and len(r1.respondent) == 32
    int(r1.respondent, 16)  # an opaque hex digest
    with override_settings(SECRET_KEY="another-secret-key-for-the-test-0123456789"):
        assert services.respondent_key(crowd[0]) != r1.respondent  # keyed: not recomputable
    assert r1.respondent != services.submit(pre, crowd[1], LIKERT).respondent
    # answering again replaces, never duplicates
    services.submit(pre, crowd[0], LIKERT | {"usefulness": 1})
    assert Response.objects.filter(survey=pre).count() == 2
    assert r1.answers.get(question__key="usefulness").value == 1


@pytest.mark.django_db
def test_rules(crowd, surveys, encounter):
    pre, _post = surveys
    with pytest.raises(services.SurveyError) as exc:
        services.submit(pre, crowd[0], LIKERT | {"usefulness": 7})
    assert exc.value.field == "usefulness"
    with pytest.raises(services.SurveyError):
        services.submit(pre, crowd[0], {k: v for k, v in LIKERT.items() if k != "usefulness"})
    enc.cancel(crowd[2])
    crowd[2].refresh_from_db()
    with pytest.raises(services.SurveyError):
        services.submit(pre, crowd[2], LIKERT)
    pre.is_open = False
    pre.save()
    with pytest.raises(services.SurveyError):
        services.submit(pre, crowd[0], LIKERT)
    assert not Response.objects.exists()


@pytest.mark.django_db
def test_answer_through_a_personal_link_and_see_it_on_the_registration_page(client, crowd,
                                                                             surveys, encounter):
    url = reverse("evaluation:answer", args=[encounter.number, "pre"])
    assert client.get(url).status_code == 403  # nobody identified
    page = client.get(url, {"code": crowd[3].badge_token})
    assert page.status_code == 200 and "Agreement".lower() not in page.content.decode()
    data = {k: str(v) for k, v in LIKERT.items()} | {"expectations": "Aprender"}
    assert client.post(url, data).status_code == 302
    assert Response.objects.get().sector == crowd[3].sector
    mine = client.get(reverse("encounters:my_registration", args=[encounter.number]))
    assert url in mine.content.decode()
    bad = client.post(url, {k: "9" for k in LIKERT})
    assert bad.status_code == 200 and bad.context["form"].errors


@pytest.mark.django_db
def test_public_results_are_aggregates_with_small_groups_hidden(client, crowd, surveys,
                                                                encounter):
    pre, post = surveys
    for i, reg in enumerate(crowd):
        services.submit(pre, reg, {k: 2 for k in LIKERT} | {"expectations": f"secreto-{i}"})
        if i < 11:
            services.submit(post, reg, {k: 4 if i % 2 == 0 else 3 for k in LIKERT})
    data = client.get(f"/api/v1/encounters/{encounter.pk}/survey-results").json()
    overall = {i["key"]: i for i in data["groups"]["all"]}
    assert overall["usefulness"]["n_paired"] == 11 and overall["usefulness"]["change"] > 0
    assert data["responses"] == {"pre": 14, "post": 11}
    assert data["response_rates"]["pre"] == 1.0
    gov = {i["key"]: i for i in data["groups"]["government"]}
    assert gov["usefulness"]["change"] == 2  # 6 government people, all +2
    body = client.get(reverse("evaluation:results", args=[encounter.number])).content.decode()
    text = str(data) + body
    assert "secreto-" not in text and "@example.org" not in text
    assert not re.search(r"Persona \d", text)
    assert "<svg" in body


@pytest.mark.django_db
def test_organizer_creates_opens_and_reads_open_answers(client, crowd, encounter, organizer,
                                                        user):
    make_organizer(organizer)
    manage = reverse("evaluation:manage", args=[encounter.number])
    client.force_login(user)
    assert client.post(manage, {"action": "create"}).status_code == 403
    client.force_login(organizer)
    client.post(manage, {"action": "create"})
    client.post(manage, {"action": "open", "moment": "pre"})
    pre = Survey.objects.get(encounter=encounter, moment="pre")
    assert pre.is_open and pre.questions.count() == 6
    services.submit(pre, crowd[0], LIKERT | {"expectations": "Hacer alianzas"})
    answers = client.get(reverse("evaluation:open_answers", args=[encounter.number, "pre"]))
    assert "Hacer alianzas" in answers.content.decode()
    client.force_login(user)
    assert client.get(reverse("evaluation:open_answers",
                              args=[encounter.number, "pre"])).status_code == 403


@pytest.mark.django_db
def test_demo_surveys_are_loaded_once():
    from django.core.management import call_command

    call_command("load_demo", verbosity=0)
    n = Response.objects.count()
    call_command("load_demo", verbosity=0)
    assert n > 100 and Response.objects.count() == n
    assert Survey.objects.filter(encounter__number__lte=5).count() == 0


@pytest.mark.django_db
def test_encounter_page_links_the_results_once_surveys_exist(client, encounter):
    url = reverse("evaluation:results", args=[encounter.number])
    assert url not in client.get(encounter.get_absolute_url()).content.decode()
    services.create_standard_surveys(encounter)
    assert url in client.get(encounter.get_absolute_url()).content.decode()
