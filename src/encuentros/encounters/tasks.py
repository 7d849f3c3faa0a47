"""Background tasks of the encounters app (run by `encuentros worker`, see core/tasks.py)."""

from django.tasks import task
from django.urls import reverse
from django.utils.translation import gettext as _

from encuentros.core.tasks import UserFacingError, report_progress

from . import seating
from .models import AgendaItem, Encounter, SeatingPlan


def _detail(plan):
    return reverse("encounters:seating_detail", kwargs={"number": plan.encounter.number,
                                                        "plan_id": plan.pk})


@task(takes_context=True)
def generate_seating_plan(context, encounter_id, *, table_size, rounds, source,
                          agenda_item_id=None, title="", prefer_shared_topics=False):
    encounter = Encounter.objects.get(pk=encounter_id)
    agenda_item = AgendaItem.objects.filter(pk=agenda_item_id, encounter=encounter).first() \
        if agenda_item_id else None
    report_progress(context, 0, 2, _("Planning the tables"))
    try:
        plan = seating.generate(encounter, table_size=table_size, rounds=rounds, source=source,
                                agenda_item=agenda_item, title=title,
                                prefer_shared_topics=prefer_shared_topics)
    except seating.SeatingError as exc:
        raise UserFacingError(exc.message) from exc
    report_progress(context, 2, 2, _("Seating plan generated."))
    return {"url": _detail(plan), "plan": plan.pk, "repeated_pairs": plan.repeated_pairs}


@task(takes_context=True)
def reoptimise_seating_plan(context, plan_id):
    plan = SeatingPlan.objects.select_related("encounter").get(pk=plan_id)
    report_progress(context, 0, 2, _("Planning the rounds not yet held"))
    try:
        seating.reoptimise(plan)
    except seating.SeatingError as exc:
        raise UserFacingError(exc.message) from exc
    report_progress(context, 2, 2, _("Plan re-optimised with the people present now."))
    return {"url": _detail(plan), "plan": plan.pk, "repeated_pairs": plan.repeated_pairs}
