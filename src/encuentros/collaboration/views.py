"""Public follow-up pages and the forms of the proposal workflow. Logic lives in services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from encuentros.core.permissions import is_organizer
from encuentros.encounters.models import Encounter

from . import services
from .forms import (
    AgreementForm,
    CommitmentForm,
    CommitmentUpdateForm,
    LinkProposalForm,
    MemberForm,
    MilestoneDoneForm,
    MilestoneForm,
    ProposalForm,
    ReviewForm,
    TableForm,
    TransitionForm,
)
from .models import Agreement, CollaborativeTable, Commitment, Milestone, Proposal

PER_PAGE = 25


def _page(request, queryset):
    return Paginator(queryset, PER_PAGE).get_page(request.GET.get("page"))


def index(request):
    groups = services.initiatives_by_encounter()
    encounters = Encounter.objects.filter(is_published=True).order_by("number")
    return render(request, "collaboration/index.html", {
        "groups": groups, "encounters": encounters, "dashboard": services.dashboard()})


def encounter_followup(request, number):
    encounter = get_object_or_404(Encounter, number=number, is_published=True)
    return render(request, "collaboration/encounter.html", {
        "encounter": encounter, "lineage": services.lineage(encounter),
        "is_organizer": is_organizer(request.user, encounter)})


def dashboard(request):
    data = services.dashboard()
    return render(request, "collaboration/dashboard.html",
                  {"data": data, "page": _page(request, data["overdue"])})


# ---------------------------------------------------------------- proposals

def proposal_list(request):
    qs = (Proposal.objects.exclude(status=Proposal.Status.DRAFT)
          .select_related("encounter", "challenge", "author_organization")
          .order_by("-support_count", "-pk"))
    status = request.GET.get("status")
    if status in Proposal.Status.values:
        qs = qs.filter(status=status)
    number = request.GET.get("encounter")
    if number and number.isdigit():
        qs = qs.filter(encounter__number=int(number))
    statuses = [(s, label) for s, label in Proposal.Status.choices
                if s != Proposal.Status.DRAFT]
    mine = (Proposal.objects.filter(author=request.user, status=Proposal.Status.DRAFT)
            if request.user.is_authenticated else Proposal.objects.none())
    return render(request, "collaboration/proposal_list.html", {
        "page": _page(request, qs), "statuses": statuses, "status": status, "drafts": mine,
        "encounters": Encounter.objects.filter(is_published=True).order_by("number")})


def proposal_detail(request, pk):
    proposal = get_object_or_404(
        Proposal.objects.select_related("encounter", "challenge", "author_organization",
                                        "author__person"), pk=pk)
    if not services.can_view_proposal(request.user, proposal):
        raise Http404
    allowed = services.allowed_transitions(proposal, request.user)
    supported = (request.user.is_authenticated
                 and proposal.supports.filter(user=request.user).exists())
    can_review = (services._may_review(proposal, request.user)
                  and proposal.status == Proposal.Status.UNDER_REVIEW)
    return render(request, "collaboration/proposal_detail.html", {
        "proposal": proposal, "allowed": allowed,
        "transition_form": TransitionForm(allowed=allowed) if allowed else None,
        "review_form": ReviewForm() if can_review else None,
        "reviews": services.review_summary(proposal),
        "can_edit": services.can_edit_proposal(request.user, proposal),
        "supported": supported, "following": services.is_following(request.user, proposal),
        "tables": proposal.tables.all(), "kind": "proposal",
        "data_requests": _data_links(proposal, "data_requests"),
        "datasets": _data_links(proposal, "datasets"),
        "history": _latest(proposal)})


def _latest(obj, n=5):
    records = list(services.history(obj).select_related("content_type")[:n])
    for rec in records:
        rec.display = services.display_changes(rec)
    return records


def _data_links(proposal, name):
    manager = getattr(proposal, name, None)
    return list(manager.all()) if manager is not None else []


def _save_proposal_form(request, form, proposal=None):
    data = {k: form.cleaned_data[k] for k in ("title", "summary", "challenge", "encounter",
                                               "team")}
    if "data_requests" in form.cleaned_data:
        requests = list(form.cleaned_data["data_requests"])
        new = form.cleaned_data.get("new_data_request", "").strip()
        if new:
            requests.append(_create_data_request(request.user, new, data))
        data["data_requests"] = requests
    if proposal is None:
        return services.create_proposal(request.user, **data)
    return services.update_proposal(proposal, request.user, **data)


def _create_data_request(user, title, data):
    """A data need nobody has requested yet becomes a DataRequest (demand counted once)."""
    return services.create_data_request(user, title=title, problem=data["summary"],
                                        encounter=data.get("encounter"),
                                        challenge=data.get("challenge"))


@login_required
def proposal_create(request):
    form = ProposalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            proposal = _save_proposal_form(request, form)
        except services.WorkflowError as e:
            form.add_error(e.field if e.field in form.fields else None, e.message)
        else:
            messages.success(request, _("Your proposal was saved as a draft. Submit it when "
                                        "it is ready."))
            return redirect(proposal)
    return render(request, "collaboration/proposal_form.html", {"form": form})


@login_required
def proposal_edit(request, pk):
    proposal = get_object_or_404(Proposal, pk=pk)
    if not services.can_edit_proposal(request.user, proposal):
        raise PermissionDenied
    form = ProposalForm(request.POST or None, instance=proposal)
    if request.method == "POST" and form.is_valid():
        proposal.refresh_from_db()  # the form mutated the instance; services diff from the DB
        try:
            _save_proposal_form(request, form, proposal)
        except services.WorkflowError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, _("Changes saved."))
            return redirect(proposal)
    return render(request, "collaboration/proposal_form.html",
                  {"form": form, "proposal": proposal})


@require_POST
@login_required
def proposal_transition(request, pk):
    proposal = get_object_or_404(Proposal, pk=pk)
    try:
        services.transition(proposal, request.POST.get("to", ""), request.user,
                            request.POST.get("reason", ""))
    except services.WorkflowError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, _("State changed."))
    return redirect(proposal)


@require_POST
@login_required
def proposal_support(request, pk):
    proposal = get_object_or_404(Proposal, pk=pk)
    try:
        if request.POST.get("withdraw"):
            services.withdraw_support(proposal, request.user)
        else:
            services.support(proposal, request.user)
    except services.WorkflowError as e:
        messages.error(request, e.message)
    return redirect(proposal)


@require_POST
@login_required
def proposal_review(request, pk):
    proposal = get_object_or_404(Proposal, pk=pk)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Every criterion needs a score from 1 to 5."))
        return redirect(proposal)
    try:
        services.review(proposal, request.user, form.scores(), form.cleaned_data["comment"])
    except services.WorkflowError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, _("Review saved."))
    return redirect(proposal)


# ---------------------------------------------------------------- tables, agreements, commitments

def table_list(request):
    qs = (CollaborativeTable.objects.select_related("challenge", "encounter")
          .annotate(n_members=Count("members", distinct=True)).order_by("encounter__number",
                                                                          "name", "pk"))
    page = _page(request, qs)
    return render(request, "collaboration/table_list.html",
                  {"page": page, "mix": services.sector_mix(list(page.object_list))})


def table_detail(request, pk):
    table = get_object_or_404(
        CollaborativeTable.objects.select_related("challenge", "encounter"), pk=pk)
    return render(request, "collaboration/table_detail.html", {
        "table": table, "kind": "table",
        "members": table.members.select_related("person", "organization"),
        "mix": services.sector_mix([table]).get(table.pk, []),
        "sessions": table.sessions.all(),
        "proposals": table.proposals.exclude(status=Proposal.Status.DRAFT),
        "commitments": table.commitments.select_related("responsible"),
        "can_manage": services.can_manage(request.user, table),
        "member_form": MemberForm(), "link_form": LinkProposalForm(table=table),
        "following": services.is_following(request.user, table)})


def agreement_list(request):
    qs = Agreement.objects.select_related("encounter").prefetch_related(
        "signatories").annotate(n_commitments=Count("commitments")).order_by(
        "-encounter__number", "-pk")
    return render(request, "collaboration/agreement_list.html", {"page": _page(request, qs)})


def agreement_detail(request, pk):
    agreement = get_object_or_404(Agreement.objects.select_related("encounter", "table"), pk=pk)
    return render(request, "collaboration/agreement_detail.html", {
        "agreement": agreement, "kind": "agreement",
        "commitments": agreement.commitments.select_related("responsible"),
        "following": services.is_following(request.user, agreement)})


def commitment_list(request):
    qs = Commitment.objects.select_related("responsible", "agreement", "table").order_by(
        "due_date", "pk")
    status = request.GET.get("status")
    if status in Commitment.Status.values:
        qs = qs.filter(status=status)
    if request.GET.get("overdue"):
        qs = qs.filter(services.overdue_q())
    return render(request, "collaboration/commitment_list.html", {
        "page": _page(request, qs), "statuses": Commitment.Status.choices, "status": status,
        "overdue": bool(request.GET.get("overdue"))})


def commitment_detail(request, pk):
    commitment = get_object_or_404(
        Commitment.objects.select_related("responsible", "agreement__encounter",
                                          "table__encounter"), pk=pk)
    can_manage = services.can_manage(request.user, commitment)
    milestones = commitment.milestones.all()
    return render(request, "collaboration/commitment_detail.html", {
        "commitment": commitment, "kind": "commitment", "milestones": milestones,
        "can_manage": can_manage,
        "form": CommitmentUpdateForm(initial={"status": commitment.status,
                                              "progress": commitment.progress})
        if can_manage else None,
        "has_milestones": bool(milestones), "milestone_form": MilestoneForm(),
        "following": services.is_following(request.user, commitment),
        "history": _latest(commitment)})


@require_POST
@login_required
def commitment_update(request, pk):
    commitment = get_object_or_404(Commitment, pk=pk)
    form = CommitmentUpdateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Check the status and the progress (0 to 100)."))
        return redirect(commitment)
    try:
        services.update_commitment(commitment, request.user,
                                   status=form.cleaned_data["status"],
                                   progress=form.cleaned_data["progress"],
                                   reason=form.cleaned_data["reason"])
    except services.WorkflowError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, _("Commitment updated."))
    return redirect(commitment)


@require_POST
@login_required
def milestone_done(request, pk):
    milestone = get_object_or_404(Milestone.objects.select_related("commitment"), pk=pk)
    form = MilestoneDoneForm(request.POST)
    evidence = form.cleaned_data["evidence_url"] if form.is_valid() else ""
    try:
        services.set_milestone_done(milestone, request.user,
                                    done=not request.POST.get("undo"), evidence_url=evidence)
    except services.WorkflowError as e:
        messages.error(request, e.message)
    return redirect(milestone.commitment)


def initiative_list(request):
    return render(request, "collaboration/initiative_list.html",
                  {"groups": services.initiatives_by_encounter()})


# ---------------------------------------------------------------- history and follows

def _target(kind, pk):
    model = services.KINDS.get(kind)
    if model is None:
        raise Http404
    return get_object_or_404(model, pk=pk)


def history(request, kind, pk):
    obj = _target(kind, pk)
    if isinstance(obj, Proposal) and not services.can_view_proposal(request.user, obj):
        raise Http404
    page = _page(request, services.history(obj).select_related("content_type"))
    for rec in page.object_list:
        rec.display = services.display_changes(rec)
    return render(request, "collaboration/history.html", {
        "object": obj, "kind": kind, "kind_label": services.KIND_LABELS[kind], "page": page,
        "roles": services.ROLE_LABELS})


@require_POST
@login_required
def toggle_follow(request, kind, pk):
    obj = _target(kind, pk)
    if isinstance(obj, Proposal) and not services.can_view_proposal(request.user, obj):
        raise Http404  # following a draft would mail its changes to someone who may not see it
    if request.POST.get("unfollow"):
        services.unfollow(request.user, obj)
        messages.success(request, _("You no longer follow this item."))
    else:
        services.follow(request.user, obj)
        messages.success(request, _("You will get an email when this item changes state."))
    target = obj.get_absolute_url() if hasattr(obj, "get_absolute_url") else "collaboration:index"
    return redirect(target)



# ---------------------------------------------------------------- organizers' forms

NEW_FORMS = {"table": TableForm, "agreement": AgreementForm, "commitment": CommitmentForm}


@login_required
def manage_new(request, number, kind):
    encounter = get_object_or_404(Encounter, number=number)
    if kind not in NEW_FORMS:
        raise Http404
    if not is_organizer(request.user, encounter):
        raise PermissionDenied
    form = NEW_FORMS[kind](request.POST or None, request.FILES or None, encounter=encounter)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            if kind == "table":
                obj = services.create_table(request.user, encounter=encounter, **data)
            elif kind == "agreement":
                signatories = data.pop("signatories")
                if not data.get("document"):
                    data.pop("document", None)
                obj = services.save_agreement(request.user, encounter=encounter,
                                              signatories=signatories, **data)
            else:
                obj = services.create_commitment(request.user, **data)
        except services.WorkflowError as e:
            form.add_error(e.field if e.field in form.fields else None, e.message)
        else:
            messages.success(request, _("Saved. The change is in its public history."))
            return redirect(obj)
    return render(request, "collaboration/manage_form.html", {
        "form": form, "encounter": encounter, "kind": kind,
        "kind_label": services.KIND_LABELS[kind]})


@require_POST
@login_required
def table_add_member(request, pk):
    table = get_object_or_404(CollaborativeTable, pk=pk)
    form = MemberForm(request.POST)
    if form.is_valid():
        try:
            services.add_member(table, request.user, **form.cleaned_data)
        except services.WorkflowError as e:
            messages.error(request, e.message)
    else:
        messages.error(request, _("Choose a role and an organization."))
    return redirect(table)


@require_POST
@login_required
def table_link_proposal(request, pk):
    table = get_object_or_404(CollaborativeTable, pk=pk)
    form = LinkProposalForm(request.POST, table=table)
    if form.is_valid():
        try:
            services.link_proposal(table, form.cleaned_data["proposal"], request.user)
        except services.WorkflowError as e:
            messages.error(request, e.message)
    else:
        messages.error(request, _("Choose a selected proposal."))
    return redirect(table)


@require_POST
@login_required
def commitment_add_milestone(request, pk):
    commitment = get_object_or_404(Commitment, pk=pk)
    form = MilestoneForm(request.POST)
    if form.is_valid():
        try:
            services.add_milestone(commitment, request.user, **form.cleaned_data)
        except services.WorkflowError as e:
            messages.error(request, e.message)
    else:
        messages.error(request, _("A milestone needs a title."))
    return redirect(commitment)
