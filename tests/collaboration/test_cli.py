import datetime as dt
import io

from django.core.management import call_command
from django.utils import timezone

from encuentros.collaboration import services
from encuentros.collaboration.models import Commitment


def test_overdue_commitments_command_notifies_once(commitment, stranger, mailoutbox,
                                                   django_capture_on_commit_callbacks):
    Commitment.objects.filter(pk=commitment.pk).update(
        due_date=timezone.localdate() - dt.timedelta(days=3))
    services.follow(stranger, commitment)
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("overdue_commitments", "--notify", stdout=out)
    assert "Publicar cruces" in out.getvalue() and "1 overdue, 1 emails" in out.getvalue()
    assert [m.to for m in mailoutbox] == [["otra@example.org"]]
    with django_capture_on_commit_callbacks(execute=True):
        call_command("overdue_commitments", "--notify", stdout=io.StringIO())
    assert len(mailoutbox) == 1
    assert services.history(commitment).filter(action="overdue_notice").count() == 1


def test_overdue_commitments_command_lists_only_overdue(commitment):
    out = io.StringIO()
    call_command("overdue_commitments", stdout=out)
    assert out.getvalue() == ""
