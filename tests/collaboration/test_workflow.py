"""Workflow rules of proposals: legal transitions only, reasons, roles, history."""

import pytest

from encuentros.collaboration import services
from encuentros.collaboration.models import ChangeRecord, Proposal
from encuentros.collaboration.services import WorkflowError


def test_full_path_from_draft_to_implemented(draft, author, organizer, encounter):
    assert draft.status == "draft"
    p = services.transition(draft, "submitted", author)
    assert p.submitted_at is not None
    p = services.transition(p, "under_review", organizer)
    p = services.transition(p, "selected", organizer)
    table = services.create_table(organizer, name="Mesa 1", encounter=encounter)
    services.link_proposal(table, p, organizer)
    p.refresh_from_db()
    assert p.status == "in_table"
    p = services.transition(p, "implemented", organizer)
    statuses = [r.changes["status"] for r in services.history(p).filter(action="status")]
    assert statuses[::-1] == [["draft", "submitted"], ["submitted", "under_review"],
                              ["under_review", "selected"], ["selected", "in_table"],
                              ["in_table", "implemented"]]


@pytest.mark.parametrize("to", ["selected", "in_table", "implemented", "not_selected",
                                "under_review"])
def test_draft_cannot_skip_ahead(draft, admin_user, to):
    with pytest.raises(WorkflowError, match="cannot go from"):
        services.transition(draft, to, admin_user)
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_implemented_is_final(under_review, organizer):
    p = services.transition(under_review, "selected", organizer)
    p = services.transition(p, "implemented", organizer)
    for to in Proposal.Status.values:
        if to != "implemented":
            with pytest.raises(WorkflowError):
                services.transition(p, to, organizer)


def test_unknown_state_is_rejected(draft, author):
    with pytest.raises(WorkflowError, match="Unknown"):
        services.transition(draft, "approved", author)


def test_not_selected_needs_a_public_reason(under_review, organizer):
    with pytest.raises(WorkflowError, match="reason") as err:
        services.transition(under_review, "not_selected", organizer, reason="   ")
    assert err.value.field == "reason"
    p = services.transition(under_review, "not_selected", organizer,
                            reason="Los datos no existen aún")
    assert p.status_reason == "Los datos no existen aún"
    last = services.history(p).first()
    assert last.note == "Los datos no existen aún"
    assert last.changes["status"] == ["under_review", "not_selected"]


def test_error_message_is_translated(draft, author):
    from django.utils import translation

    with translation.override("es-mx"), pytest.raises(WorkflowError) as err:
        services.transition(draft, "implemented", author)
    assert "Una propuesta no puede pasar de «Borrador» a «Implementada»" in err.value.message


def test_only_the_author_submits(draft, stranger, organizer):
    for user in (stranger, organizer):
        with pytest.raises(WorkflowError, match="not allowed"):
            services.transition(draft, "submitted", user)


def test_author_cannot_review_or_select(submitted, author):
    with pytest.raises(WorkflowError, match="not allowed"):
        services.transition(submitted, "under_review", author)
    assert services.allowed_transitions(submitted, author) == ["draft"]


def test_organizer_of_another_encounter_cannot_move_it(submitted, stranger, venue):
    import datetime as dt

    from encuentros.encounters.models import Encounter

    other = Encounter.objects.create(number=8, title="Otro", start_date=dt.date(2030, 1, 1),
                                     end_date=dt.date(2030, 1, 1))
    other.organizers.add(stranger)
    with pytest.raises(WorkflowError, match="not allowed"):
        services.transition(submitted, "under_review", stranger)


def test_proposal_without_encounter_is_reviewed_by_admins_only(author, organizer, admin_user):
    p = services.create_proposal(author, title="Sin encuentro", summary="x")
    p = services.transition(p, "submitted", author)
    assert services.allowed_transitions(p, organizer) == []
    p = services.transition(p, "under_review", admin_user)
    assert p.status == "under_review"


def test_anonymous_cannot_transition(submitted):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(WorkflowError):
        services.transition(submitted, "under_review", AnonymousUser())


def test_author_edits_only_drafts(draft, author, organizer, stranger):
    services.update_proposal(draft, author, title="Mapa de cruces peligrosos")
    record = services.history(draft).first()
    assert record.action == "edited"
    assert record.changes == {"title": ["Mapa de cruces", "Mapa de cruces peligrosos"]}
    with pytest.raises(WorkflowError):
        services.update_proposal(draft, stranger, title="Robada")
    with pytest.raises(WorkflowError):
        services.update_proposal(draft, organizer, title="Cambiada por la organizadora")
    services.transition(draft, "submitted", author)
    with pytest.raises(WorkflowError, match="draft"):
        services.update_proposal(draft, author, title="Ya enviada")
    draft.refresh_from_db()
    assert draft.title == "Mapa de cruces peligrosos"


def test_an_edit_that_changes_nothing_records_nothing(draft, author):
    before = ChangeRecord.objects.count()
    services.update_proposal(draft, author, title=draft.title)
    assert ChangeRecord.objects.count() == before


def test_one_support_per_account(submitted, stranger, author):
    assert services.support(submitted, stranger) is True
    assert services.support(submitted, stranger) is False
    assert submitted.support_count == 1
    assert services.is_following(stranger, submitted)
    assert services.withdraw_support(submitted, stranger) is True
    submitted.refresh_from_db()
    assert submitted.support_count == 0


def test_drafts_cannot_be_supported(draft, stranger):
    with pytest.raises(WorkflowError):
        services.support(draft, stranger)


def test_review_scores(under_review, organizer, stranger, author):
    r = services.review(under_review, organizer, {"impact": 5, "feasibility": 3, "data": 4,
                                                  "collaboration": 4}, "Bien")
    assert r.total == 4.0
    summary = services.review_summary(under_review)
    assert summary["count"] == 1 and summary["criteria"]["impact"]["mean"] == 5
    with pytest.raises(WorkflowError, match="1 to 5"):
        services.review(under_review, organizer, {"impact": 6, "feasibility": 3, "data": 4,
                                                  "collaboration": 4})
    with pytest.raises(WorkflowError, match="organizers"):
        services.review(under_review, author, {"impact": 5, "feasibility": 5, "data": 5,
                                               "collaboration": 5})


def test_reviews_only_under_review(submitted, organizer):
    with pytest.raises(WorkflowError, match="under review"):
        services.review(submitted, organizer, {"impact": 5, "feasibility": 5, "data": 5,
                                               "collaboration": 5})


def test_only_selected_proposals_join_tables(submitted, organizer, encounter):
    table = services.create_table(organizer, name="Mesa", encounter=encounter)
    with pytest.raises(WorkflowError, match="selected"):
        services.link_proposal(table, submitted, organizer)


def test_history_actor_is_public_label_never_email(submitted, author, organizer):
    rec = services.history(submitted).first()
    assert rec.actor_label == "Colectivo Datos del Barrio"
    assert rec.actor_role == "author"
    assert "autora@example.org" not in str(rec.__dict__)
    person = author.person
    person.public_profile = True
    person.save()
    assert services.public_actor_label(author) == "Autora Privada (Colectivo Datos del Barrio)"
    p = services.transition(submitted, "under_review", organizer)
    assert services.history(p).first().actor_role == "organizer"


def test_proposal_links_existing_and_new_data_requests(client, author, encounter, challenge):
    from django.urls import reverse

    from encuentros.opendata.models import DataRequest

    existing = DataRequest.objects.create(title="Semáforos por cruce", problem="Saber dónde")
    client.force_login(author)
    client.post(reverse("collaboration:proposal_create"), {
        "title": "Cruces seguros", "summary": "Mapa de cruces con semáforos",
        "challenge": challenge.pk, "encounter": encounter.pk,
        "data_requests": [existing.pk], "new_data_request": "Atropellamientos por esquina"})
    p = Proposal.objects.get(title="Cruces seguros")
    titles = sorted(p.data_requests.values_list("title", flat=True))
    assert titles == ["Atropellamientos por esquina", "Semáforos por cruce"]
    new = DataRequest.objects.get(title="Atropellamientos por esquina")
    assert new.requester == author.person and new.encounter == encounter
    # Picking the same request again does not create a second demand.
    client.post(reverse("collaboration:proposal_edit", args=[p.pk]), {
        "title": "Cruces seguros", "summary": "Mapa", "challenge": challenge.pk,
        "encounter": encounter.pk, "data_requests": [existing.pk, new.pk]})
    assert DataRequest.objects.count() == 2
    rec = services.history(p).first()
    assert rec.changes["summary"] == ["Mapa de cruces con semáforos", "Mapa"]
    assert "data_requests" not in rec.changes
    client.post(reverse("collaboration:proposal_edit", args=[p.pk]), {
        "title": "Cruces seguros", "summary": "Mapa", "challenge": challenge.pk,
        "encounter": encounter.pk, "data_requests": [existing.pk]})
    assert services.history(p).first().changes["data_requests"] == [
        ["Atropellamientos por esquina", "Semáforos por cruce"], ["Semáforos por cruce"]]
    item = client.get(f"/api/v1/proposals/{p.pk}")
    assert item.status_code == 404  # still a draft
    services.transition(p, "submitted", author)
    assert client.get(f"/api/v1/proposals/{p.pk}").json()["data_requests"] == [existing.pk]
