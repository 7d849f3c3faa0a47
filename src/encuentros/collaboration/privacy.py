from encuentros.ecosystem.privacy import on_erase, personal_data

from .models import Proposal, TableMember


@personal_data
def collaboration(person):
    proposals = Proposal.objects.filter(author=person.user) if person.user_id else []
    return "collaboration", {
        "proposals": [{"title": p.title, "status": p.status} for p in proposals],
        "tables": [{"table": m.table.name, "role": m.role}
                   for m in TableMember.objects.filter(person=person).select_related("table")]}


@on_erase
def forget(person):
    """Table memberships stay (the table's sector mix stays true) without the person."""
    TableMember.objects.filter(person=person).update(person=None)
