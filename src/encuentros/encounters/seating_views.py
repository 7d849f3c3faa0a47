"""Organizer pages for seating plans (thin: the logic is in seating.py)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from encuentros.core.tasks import start
from encuentros.core.views import follow_task

from . import seating, tasks
from .forms import MoveSeatForm, RoundsHeldForm, SeatingPlanForm
from .models import Registration, SeatingPlan
from .views import _get_managed


@login_required
def plan_list(request, number):
    encounter = _get_managed(request, number)
    form = SeatingPlanForm(request.POST or None, encounter=encounter)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            seating.check(encounter, table_size=data["table_size"], rounds=data["rounds"],
                          source=data["source"])
        except seating.SeatingError as exc:
            form.add_error(exc.field, exc.message)
        else:
            record = start(
                tasks.generate_seating_plan, encounter.pk, table_size=data["table_size"],
                rounds=data["rounds"], source=data["source"],
                agenda_item_id=data["agenda_item"].pk if data["agenda_item"] else None,
                title=data["title"], prefer_shared_topics=data["prefer_shared_topics"],
                label=_("Seating plan for %(encounter)s") % {"encounter": encounter},
                # the same request twice (a double click) is one task; other settings are not
                subject=(f"seating:new:{encounter.pk}:{data['table_size']}:{data['rounds']}:"
                         f"{data['source']}:{data['agenda_item'].pk if data['agenda_item'] else ''}"
                         f":{data['title'][:40]}"), owner=request.user)
            return follow_task(request, record, _("Seating plan generated."))
    plans = encounter.seating_plans.select_related("agenda_item")
    return render(request, "encounters/seating_list.html", {
        "encounter": encounter, "form": form, "plans": plans,
        "counts": {"checked_in": encounter.registrations.filter(
            status=Registration.Status.REGISTERED, checked_in_at__isnull=False).count()},
    })


def _plan(request, number, plan_id):
    encounter = _get_managed(request, number)
    return encounter, get_object_or_404(SeatingPlan, pk=plan_id, encounter=encounter)


@login_required
def plan_detail(request, number, plan_id):
    encounter, plan = _plan(request, number, plan_id)
    move_form = MoveSeatForm(request.POST or None, plan=plan)
    if request.method == "POST" and move_form.is_valid():
        data = move_form.cleaned_data
        try:
            seating.move(plan, data["registration"], data["round"], data["table"])
        except seating.SeatingError as exc:
            move_form.add_error(exc.field, exc.message)
        else:
            messages.success(request, _("%(name)s moved to table %(table)s in round %(round)s "
                                        "and locked there. Re-optimise to rebalance the rest.")
                             % {"name": data["registration"].person.full_name,
                                "table": data["table"], "round": data["round"]})
            return redirect("encounters:seating_detail", number=number, plan_id=plan.pk)
    return render(request, "encounters/seating_detail.html", {
        "encounter": encounter, "plan": plan, "grid": seating.grid_with_people(plan),
        "quality": seating.quality(plan), "move_form": move_form,
        "held_form": RoundsHeldForm(initial={"rounds_held": plan.rounds_held}),
    })


@login_required
@require_POST
def plan_reoptimise(request, number, plan_id):
    encounter, plan = _plan(request, number, plan_id)
    form = RoundsHeldForm(request.POST)
    if form.is_valid():
        plan.rounds_held = min(form.cleaned_data["rounds_held"], plan.rounds)
        plan.save(update_fields=["rounds_held"])
    record = start(tasks.reoptimise_seating_plan, plan.pk,
                   label=_("Re-optimise %(plan)s") % {"plan": plan.title},
                   subject=f"seating:{plan.pk}", owner=request.user)
    if record.status == record.Status.FAILED:
        messages.error(request, record.error_message)
        return redirect("encounters:seating_detail", number=number, plan_id=plan.pk)
    return follow_task(request, record, _("Plan re-optimised with the people present now."))


@login_required
@require_POST
def plan_unlock(request, number, plan_id):
    encounter, plan = _plan(request, number, plan_id)
    plan.seats.update(locked=False)
    messages.success(request, _("All seats unlocked."))
    return redirect("encounters:seating_detail", number=number, plan_id=plan.pk)


@login_required
@require_POST
def plan_delete(request, number, plan_id):
    encounter, plan = _plan(request, number, plan_id)
    plan.delete()
    messages.success(request, _("Seating plan deleted."))
    return redirect("encounters:seating_list", number=number)


def _pdf(template, context, filename):
    from weasyprint import HTML

    html = render_to_string(template, context)
    response = HttpResponse(HTML(string=html).write_pdf(), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
def plan_pdf(request, number, plan_id):
    encounter, plan = _plan(request, number, plan_id)
    return _pdf("encounters/seating_print.html", {
        "encounter": encounter, "plan": plan, "grid": seating.grid_with_people(plan),
        "generated": timezone.now()}, f"mesas-{encounter.number}-{plan.pk}.pdf")


@login_required
def plan_cards(request, number, plan_id):
    encounter, plan = _plan(request, number, plan_id)
    cards = seating.person_cards(plan)
    per_page = settings.BADGES_PER_PAGE
    pages = [cards[i:i + per_page] for i in range(0, len(cards), per_page)]
    return _pdf("encounters/seating_cards.html", {
        "encounter": encounter, "plan": plan, "pages": pages},
        f"tarjetas-{encounter.number}-{plan.pk}.pdf")
