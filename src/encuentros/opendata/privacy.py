from encuentros.ecosystem.privacy import on_erase, personal_data

from .models import Comment, DataRequest


@personal_data
def requests(person):
    rows = DataRequest.objects.filter(requester=person)
    comments = Comment.objects.filter(author=person.user) if person.user_id else []
    return "data_requests", {
        "requests": [{"title": r.title, "problem": r.problem, "status": r.status,
                      "created_at": r.created_at.isoformat()} for r in rows],
        "comments": [{"request": c.request_id, "body": c.body} for c in comments]}


@on_erase
def forget(person):
    """Requests stay public (demand is counted) but no longer point to the person."""
    DataRequest.objects.filter(requester=person).update(requester=None)
    if person.user_id:
        Comment.objects.filter(author=person.user).update(author=None)
