"""Public pages, forms and privacy of the follow-up."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from encuentros.collaboration import services
from encuentros.collaboration.models import Commitment, Proposal


def _many(encounter, organizer, agreement, agency, n=30):
    Proposal.objects.bulk_create(
        Proposal(title=f"Propuesta {i}", summary="s", encounter=encounter,
                 status="submitted") for i in range(n))
    for i in range(n):
        services.create_commitment(organizer, title=f"Compromiso {i}", agreement=agreement,
                                   responsible=agency,
                                   due_date=timezone.localdate() - dt.timedelta(days=i + 1))
    for i in range(n):
        table = services.create_table(organizer, name=f"Mesa {i}", encounter=encounter)
        services.add_member(table, organizer, role="data_holder", organization=agency)


def test_drafts_are_private(client, draft, author, stranger):
    url = reverse("collaboration:proposal", args=[draft.pk])
    assert client.get(url).status_code == 404
    assert client.get(reverse("collaboration:history", args=["proposal", draft.pk])
                      ).status_code == 404
    client.force_login(stranger)
    assert client.get(url).status_code == 404
    client.force_login(author)
    assert client.get(url).status_code == 200


def test_proposal_page_shows_organization_not_person(client, submitted):
    html = client.get(submitted.get_absolute_url()).content.decode()
    assert "Colectivo Datos del Barrio" in html
    assert "Autora Privada" not in html and "autora@example.org" not in html


def test_history_page_is_public_without_emails(client, under_review):
    html = client.get(reverse("collaboration:history", args=["proposal", under_review.pk])
                      ).content.decode()
    assert "Enviada → En revisión" in html and "Colectivo Datos del Barrio" in html
    assert "org@example.org" not in html and "organizadora" not in html
    assert "autora@example.org" not in html


def test_write_and_submit_a_proposal_on_the_web(client, author, encounter, challenge):
    client.force_login(author)
    r = client.post(reverse("collaboration:proposal_create"), {
        "title": "Semáforos abiertos", "summary": "Datos de semáforos",
        "challenge": challenge.pk, "encounter": encounter.pk, "team": "Equipo Cruce"})
    p = Proposal.objects.get(title="Semáforos abiertos")
    assert r.status_code == 302 and p.status == "draft" and p.author == author
    r = client.post(reverse("collaboration:proposal_transition", args=[p.pk]),
                    {"to": "submitted"})
    p.refresh_from_db()
    assert p.status == "submitted"


def test_illegal_transition_on_the_web_shows_error(client, author, submitted):
    client.force_login(author)
    r = client.post(reverse("collaboration:proposal_transition", args=[submitted.pk]),
                    {"to": "selected"}, follow=True)
    submitted.refresh_from_db()
    assert submitted.status == "submitted"
    assert "cannot go from" in r.content.decode() or "no puede pasar" in r.content.decode()


def test_organizer_rejects_with_reason_on_the_web(client, organizer, under_review):
    client.force_login(organizer)
    url = reverse("collaboration:proposal_transition", args=[under_review.pk])
    client.post(url, {"to": "not_selected", "reason": ""})
    under_review.refresh_from_db()
    assert under_review.status == "under_review"
    client.post(url, {"to": "not_selected", "reason": "Sin datos disponibles"})
    under_review.refresh_from_db()
    assert under_review.status == "not_selected"
    html = client.get(under_review.get_absolute_url()).content.decode()
    assert "Sin datos disponibles" in html


def test_support_on_the_web(client, stranger, submitted):
    client.force_login(stranger)
    url = reverse("collaboration:proposal_support", args=[submitted.pk])
    client.post(url)
    client.post(url)
    submitted.refresh_from_db()
    assert submitted.support_count == 1


def test_review_on_the_web(client, organizer, under_review):
    client.force_login(organizer)
    client.post(reverse("collaboration:proposal_review", args=[under_review.pk]),
                {"impact": "5", "feasibility": "4", "data": "3", "collaboration": "4"})
    assert under_review.reviews.get().total == 4.0


def test_commitment_update_on_the_web(client, organizer, stranger, commitment):
    url = reverse("collaboration:commitment_update", args=[commitment.pk])
    client.force_login(stranger)
    client.post(url, {"status": "in_progress", "progress": "50"})
    commitment.refresh_from_db()
    assert commitment.progress == 0
    client.force_login(organizer)
    client.post(url, {"status": "in_progress", "progress": "50"})
    commitment.refresh_from_db()
    assert commitment.progress == 50
    html = client.get(commitment.get_absolute_url()).content.decode()
    assert 'value="50"' in html and "<progress" in html


def test_follow_button(client, stranger, commitment):
    client.force_login(stranger)
    client.post(reverse("collaboration:follow", args=["commitment", commitment.pk]))
    assert services.is_following(stranger, commitment)
    client.post(reverse("collaboration:follow", args=["commitment", commitment.pk]),
                {"unfollow": "1"})
    assert not services.is_following(stranger, commitment)


@pytest.mark.parametrize("name", ["collaboration:proposals", "collaboration:commitments",
                                  "collaboration:tables", "collaboration:agreements",
                                  "collaboration:dashboard", "collaboration:index",
                                  "collaboration:initiatives"])
def test_lists_do_not_grow_queries(client, encounter, organizer, agreement, agency, name,
                                   django_assert_max_num_queries):
    _many(encounter, organizer, agreement, agency)
    with django_assert_max_num_queries(12):
        r = client.get(reverse(name))
    assert r.status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(reverse(name) + "?page=2").status_code == 200


def test_encounter_followup_does_not_grow_queries(client, encounter, organizer, agreement,
                                                  agency, django_assert_max_num_queries):
    _many(encounter, organizer, agreement, agency)
    with django_assert_max_num_queries(15):
        r = client.get(reverse("collaboration:encounter", args=[encounter.number]))
    html = r.content.decode()
    assert "Mesa 29" in html and "Compromiso 29" in html


def test_dashboard_lists_overdue(client, commitment, organizer):
    Commitment.objects.filter(pk=commitment.pk).update(
        due_date=timezone.localdate() - dt.timedelta(days=2))
    html = client.get(reverse("collaboration:dashboard")).content.decode()
    assert "Publicar cruces" in html and "Secretaría de Movilidad" in html
    assert 'role="progressbar"' in html or "<progress" in html


def test_history_page_does_not_grow_queries(client, commitment, organizer,
                                            django_assert_max_num_queries):
    for i in range(40):
        services.update_commitment(commitment, organizer, progress=i + 1)
    url = reverse("collaboration:history", args=["commitment", commitment.pk])
    with django_assert_max_num_queries(8):
        html = client.get(url).content.decode()
    assert "Avance (%)" in html and "39 → 40" in html
    with django_assert_max_num_queries(8):
        assert client.get(url + "?page=2").status_code == 200


def test_organizer_builds_the_chain_on_the_web(client, organizer, stranger, encounter, agency,
                                               under_review):
    url = reverse("collaboration:manage_new", args=[encounter.number, "table"])
    client.force_login(stranger)
    assert client.get(url).status_code == 403
    client.force_login(organizer)
    client.post(url, {"name": "Mesa web", "status": "forming"})
    from encuentros.collaboration.models import Agreement, CollaborativeTable

    table = CollaborativeTable.objects.get(name="Mesa web")
    assert table.encounter == encounter
    client.post(reverse("collaboration:table_add_member", args=[table.pk]),
                {"role": "data_holder", "organization": agency.pk})
    assert table.members.get().sector == "government"
    services.transition(under_review, "selected", organizer)
    client.post(reverse("collaboration:table_link_proposal", args=[table.pk]),
                {"proposal": under_review.pk})
    under_review.refresh_from_db()
    assert under_review.status == "in_table"
    client.post(reverse("collaboration:manage_new", args=[encounter.number, "agreement"]),
                {"kind": "covenant", "title": "Convenio web", "signatories": [agency.pk],
                 "signed_on": "2026-02-01", "table": table.pk})
    agreement = Agreement.objects.get(title="Convenio web")
    assert list(agreement.signatories.all()) == [agency]
    r = client.post(reverse("collaboration:manage_new", args=[encounter.number, "commitment"]),
                    {"title": "Sin padre"})
    assert r.status_code == 200 and not Commitment.objects.filter(title="Sin padre").exists()
    client.post(reverse("collaboration:manage_new", args=[encounter.number, "commitment"]),
                {"title": "Compromiso web", "agreement": agreement.pk, "responsible": agency.pk,
                 "due_date": "2026-06-30"})
    commitment = Commitment.objects.get(title="Compromiso web")
    client.post(reverse("collaboration:commitment_add_milestone", args=[commitment.pk]),
                {"title": "Primer hito"})
    milestone = commitment.milestones.get()
    client.post(reverse("collaboration:milestone_done", args=[milestone.pk]),
                {"evidence_url": "https://example.org/evidencia"})
    commitment.refresh_from_db()
    assert (commitment.progress, commitment.status) == (100, "in_progress")
    html = client.get(reverse("collaboration:encounter", args=[encounter.number])
                      ).content.decode()
    assert "Mesa web" in html and "Convenio web" in html and "Compromiso web" in html
