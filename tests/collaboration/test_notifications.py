"""Followers are emailed when what they follow changes state."""

from encuentros.collaboration import services


def test_author_and_supporters_are_emailed_on_state_change(
        submitted, author, stranger, organizer, mailoutbox, django_capture_on_commit_callbacks):
    services.support(submitted, stranger)
    with django_capture_on_commit_callbacks(execute=True):
        services.transition(submitted, "under_review", organizer)
    assert sorted(m.to[0] for m in mailoutbox) == ["autora@example.org", "otra@example.org"]
    assert "Mapa de cruces" in mailoutbox[0].subject
    assert f"/follow-up/proposals/{submitted.pk}/" in mailoutbox[0].body


def test_actor_is_not_emailed_about_their_own_change(draft, author, mailoutbox,
                                                     django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.transition(draft, "submitted", author)
    assert mailoutbox == []


def test_commitment_followers_get_reason(commitment, organizer, stranger, mailoutbox,
                                         django_capture_on_commit_callbacks):
    services.follow(stranger, commitment)
    with django_capture_on_commit_callbacks(execute=True):
        services.update_commitment(commitment, organizer, status="delayed",
                                   reason="Falta presupuesto")
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["otra@example.org"]
    assert "Falta presupuesto" in mailoutbox[0].body
    services.unfollow(stranger, commitment)
    with django_capture_on_commit_callbacks(execute=True):
        services.update_commitment(commitment, organizer, status="in_progress")
    assert len(mailoutbox) == 1


def test_no_email_when_nothing_changes_state(commitment, organizer, stranger, mailoutbox,
                                             django_capture_on_commit_callbacks):
    services.follow(stranger, commitment)
    with django_capture_on_commit_callbacks(execute=True):
        services.update_commitment(commitment, organizer, due_date=commitment.due_date)
    assert mailoutbox == []
