from django.utils.translation import gettext_lazy as _

from encuentros.opendata.publication import resource

from .models import Agreement, CollaborativeTable, Commitment, Initiative, Proposal


@resource("proposals", _("Citizen proposals"), _("Proposals past the draft stage."), [
    ("id", "integer", ""), ("title", "string", ""), ("summary", "string", ""),
    ("organization", "string", "author's organization"), ("challenge", "string", ""),
    ("encounter", "integer", ""), ("status", "string", ""), ("status_reason", "string", ""),
    ("supports", "integer", "")])
def proposals():
    for p in Proposal.objects.exclude(status=Proposal.Status.DRAFT).select_related(
            "author_organization", "challenge", "encounter").order_by("pk"):
        yield {"id": p.pk, "title": p.title, "summary": p.summary,
               "organization": p.author_organization.name if p.author_organization else "",
               "challenge": p.challenge.title if p.challenge else "",
               "encounter": p.encounter.number if p.encounter else None, "status": p.status,
               "status_reason": p.status_reason, "supports": p.support_count}


@resource("collaborative-tables", _("Collaborative tables"), _("Tables and their sector mix."), [
    ("id", "integer", ""), ("name", "string", ""), ("encounter", "integer", ""),
    ("status", "string", ""), ("members", "integer", ""), ("sectors", "string", "")])
def tables():
    for t in CollaborativeTable.objects.select_related("encounter").prefetch_related(
            "members").order_by("pk"):
        members = list(t.members.all())
        yield {"id": t.pk, "name": t.name, "encounter": t.encounter.number if t.encounter
               else None, "status": t.status, "members": len(members),
               "sectors": sorted({m.sector for m in members})}


@resource("agreements", _("Agreements"), _("Agreements and letters of intent."), [
    ("id", "integer", ""), ("kind", "string", ""), ("title", "string", ""),
    ("signatories", "string", ""), ("signed_on", "date", ""), ("encounter", "integer", "")])
def agreements():
    for a in Agreement.objects.select_related("encounter").prefetch_related(
            "signatories").order_by("pk"):
        names = [o.name for o in a.signatories.all()] or [a.signatories_note]
        yield {"id": a.pk, "kind": a.kind, "title": a.title, "signatories": names,
               "signed_on": a.signed_on, "encounter": a.encounter.number if a.encounter
               else None}


@resource("commitments", _("Commitments"), _("Commitments with progress and status."), [
    ("id", "integer", ""), ("title", "string", ""), ("agreement", "integer", ""),
    ("table", "integer", ""), ("responsible", "string", ""), ("due_date", "date", ""),
    ("progress", "integer", "percent"), ("status", "string", ""),
    ("status_reason", "string", "")])
def commitments():
    for c in Commitment.objects.select_related("responsible").order_by("pk"):
        yield {"id": c.pk, "title": c.title, "agreement": c.agreement_id, "table": c.table_id,
               "responsible": c.responsible.name if c.responsible else "",
               "due_date": c.due_date, "progress": c.progress, "status": c.status,
               "status_reason": c.status_reason}


@resource("initiatives", _("Initiatives"), _("What grew out of each encounter."), [
    ("key", "string", ""), ("name", "string", ""), ("description", "string", ""),
    ("url", "string", ""), ("status", "string", ""), ("encounter", "integer", "")])
def initiatives():
    for i in Initiative.objects.select_related("encounter").order_by("encounter__number", "pk"):
        yield {"key": i.key, "name": i.name, "description": i.description, "url": i.url,
               "status": i.status, "encounter": i.encounter.number if i.encounter else None}
