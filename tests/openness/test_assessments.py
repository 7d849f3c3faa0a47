"""Entering assessments: who may, drafts, submission rules, scoring on submit."""

import pytest
from django.urls import reverse

from encuentros.core.sectors import Sector
from encuentros.openness import services
from encuentros.openness.models import Answer, Assessment


def _start(instrument, org, perspective="self", period="2026"):
    return services.start_assessment(instrument=instrument, organization=org,
                                     perspective=perspective, period=period)[0]


@pytest.mark.django_db
def test_permissions(member, orgs, organizer, encounter, admin_user, user):
    gov, other = orgs[Sector.GOVERNMENT]
    assert services.allowed_perspectives(member, gov) == ["self"]
    assert services.allowed_perspectives(member, other) == []
    assert services.allowed_perspectives(user, gov) == []            # no Person / other org
    assert services.allowed_perspectives(organizer, gov) == ["self", "external"]
    assert services.allowed_perspectives(admin_user, gov) == ["self", "external"]
    from django.contrib.auth.models import AnonymousUser

    assert services.allowed_perspectives(AnonymousUser(), gov) == []


@pytest.mark.django_db
def test_start_validates_period_sector_and_is_idempotent(small_instrument, orgs):
    gov = orgs[Sector.GOVERNMENT][0]
    with pytest.raises(services.AssessmentError) as exc:
        _start(small_instrument, gov, period="last year")
    assert "period" in exc.value.errors
    a1, created = services.start_assessment(instrument=small_instrument, organization=gov,
                                            perspective="self", period="2026-S1")
    a2, created2 = services.start_assessment(instrument=small_instrument, organization=gov,
                                             perspective="self", period="2026-S1")
    assert created and not created2 and a1.pk == a2.pk and a1.sector == "government"
    from encuentros.ecosystem.models import Organization

    citizen = Organization.objects.create(name="Sin sector", sector=Sector.CITIZEN)
    with pytest.raises(services.AssessmentError, match="does not cover"):
        _start(small_instrument, citizen)


@pytest.mark.django_db
def test_draft_then_submit_with_evidence_rules(small_instrument, orgs):
    org = orgs[Sector.CIVIL_SOCIETY][0]
    a = _start(small_instrument, org)
    # A draft may be partial and without evidence.
    services.save_answers(a, {"t1": ("3", ""), "p1": ("dk", "")})
    a.refresh_from_db()
    assert a.status == "draft" and a.overall is None
    assert services.answers_of(a) == {"t1": ("3", ""), "p1": ("dk", "")}
    # Drafts still reject values off the scale and bad links.
    with pytest.raises(services.AssessmentError) as exc:
        services.save_answers(a, {"t1": ("9", ""), "t2": ("1", "not a link")})
    assert set(exc.value.errors) == {"t1", "t2"}
    # Submitting needs every applicable answer (t4 is government only) and t1's evidence.
    with pytest.raises(services.AssessmentError) as exc:
        services.save_answers(a, {"t1": ("3", ""), "t2": ("1", ""), "t3": ("no", ""),
                                  "p1": ("2", "")}, submit=True)
    assert set(exc.value.errors) == {"t1", "p2"}
    assert "evidence" in exc.value.errors["t1"]
    assert Answer.objects.filter(assessment=a).count() == 2   # failed submit changed nothing
    # "Not applicable" needs no evidence.
    a = services.save_answers(a, {"t1": ("na", ""), "t2": ("1", ""), "t3": ("no", ""),
                                  "p1": ("2", ""), "p2": ("3", "")}, submit=True)
    assert a.status == "submitted" and a.submitted_at
    # t_a = t2 = 0.25, t_b = 0 → T = 3·0.25/4 = 0.1875; P = 0.75; overall = (0.1875 + 1.5)/3
    assert a.overall == pytest.approx(0.5625)
    assert a.results["pillars"]["transparency"] == pytest.approx(0.1875)
    assert a.results["levels"] == {"transparency": 0, "participation": 0}
    with pytest.raises(services.AssessmentError, match="already submitted"):
        services.save_answers(a, {"t1": ("3", "")})


@pytest.mark.django_db
def test_metrica_instrument_through_the_database(orgs):
    instrument, _ = services.load_instrument(services.INSTRUMENTS_DIR.joinpath(
        "metrica-gobierno-abierto.yaml").read_text("utf-8"))
    a = _start(instrument, orgs[Sector.GOVERNMENT][0], period="2017")
    a = services.save_answers(a, {"tg": ("0.43", ""), "tc": ("0.57", ""), "pg": ("0.22", ""),
                                  "pc": ("0.29", "")}, submit=True)
    assert round(a.overall, 2) == 0.38
    assert a.results["pillars"] == {"transparency": pytest.approx(0.5),
                                    "participation": pytest.approx(0.255)}


@pytest.mark.django_db
def test_web_flow_member_drafts_and_submits(client, member, orgs, small_instrument):
    org = orgs[Sector.GOVERNMENT][0]
    start_url = reverse("openness:start", args=[org.slug])
    assert client.get(start_url).status_code == 302                    # login first
    client.force_login(member)
    page = client.get(start_url)
    assert page.status_code == 200 and b"External review" not in page.content
    r = client.post(start_url, {"instrument": small_instrument.pk, "perspective": "external",
                                "period": "2026"})
    assert r.status_code == 200 and Assessment.objects.count() == 0      # not allowed
    r = client.post(start_url, {"instrument": small_instrument.pk, "perspective": "self",
                                "period": "2026"})
    a = Assessment.objects.get()
    assert r.status_code == 302 and r["Location"] == a.get_absolute_url()
    form_page = client.get(a.get_absolute_url())
    assert form_page.status_code == 200 and "Cuatro" in form_page.content.decode()  # gov only
    r = client.post(a.get_absolute_url(), {"t1": "3", "save": "1"})
    assert r.status_code == 302
    a.refresh_from_db()
    assert a.status == "draft" and a.answers.count() == 1
    r = client.post(a.get_absolute_url(), {"t1": "3", "t2": "2", "submit": "1"})
    assert r.status_code == 200
    body = r.content.decode()
    assert "needs a link to its evidence" in body or "necesita" in body
    data = {"t1": "3", "t1__evidence": "https://example.org/informe", "t2": "2", "t3": "si",
            "t4": "na", "p1": "3", "p2": "dk", "submit": "1"}
    r = client.post(a.get_absolute_url(), data)
    assert r.status_code == 302 and r["Location"] == reverse("openness:organization",
                                                             args=[org.slug])
    a.refresh_from_db()
    assert a.status == "submitted" and a.created_by == member
    # Once submitted the page is read-only and public.
    client.logout()
    page = client.get(a.get_absolute_url()).content.decode()
    assert "https://example.org/informe" in page and "<form method=\"post\" class=\"stack" \
        not in page


@pytest.mark.django_db
def test_strangers_cannot_see_or_edit_drafts(client, orgs, small_instrument, user):
    a = _start(small_instrument, orgs[Sector.ACADEMIA][0])
    assert client.get(a.get_absolute_url()).status_code == 302         # anonymous → login
    client.force_login(user)
    assert client.get(a.get_absolute_url()).status_code == 403
    assert client.post(a.get_absolute_url(), {"t1": "3"}).status_code == 403
    assert client.get(reverse("openness:start", args=[orgs[Sector.ACADEMIA][0].slug])
                      ).status_code == 403


@pytest.mark.django_db
def test_organizer_enters_external_review(client, organizer, encounter, orgs,
                                          small_instrument):
    org = orgs[Sector.PRIVATE][0]
    client.force_login(organizer)
    r = client.post(reverse("openness:start", args=[org.slug]), {
        "instrument": small_instrument.pk, "perspective": "external", "period": "2026",
        "encounter": encounter.pk})
    a = Assessment.objects.get()
    assert r.status_code == 302 and a.perspective == "external" and a.encounter == encounter
    assert a.created_by == organizer
