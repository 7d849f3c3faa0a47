"""Answering a survey (participants) and its results (public aggregates; open answers for the
organizers only)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from encuentros.core.permissions import is_organizer
from encuentros.core.sectors import Sector
from encuentros.encounters.models import Encounter
from encuentros.encounters.services import current_registration

from . import charts, services
from .forms import SurveyForm
from .models import Survey


def _encounter(number):
    return get_object_or_404(Encounter, number=number, is_published=True)


def answer(request, number, moment):
    encounter = _encounter(number)
    survey = get_object_or_404(Survey.objects.prefetch_related("questions"),
                               encounter=encounter, moment=moment)
    code = request.GET.get("code")
    if code and encounter.registrations.filter(badge_token=code).exists():
        request.session[f"registration-{encounter.pk}"] = code  # a personal link
    registration = current_registration(encounter, request.user, request.session)
    if registration is None:
        return render(request, "evaluation/not_registered.html",
                      {"encounter": encounter, "survey": survey}, status=403)
    previous = services.existing_response(survey, registration)
    initial = {}
    if previous:
        for a in previous.answers.select_related("question"):
            initial[a.question.key] = a.value if a.value is not None else a.text
    form = SurveyForm(request.POST or None, survey=survey, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.submit(survey, registration, form.cleaned_data)
        except services.SurveyError as exc:
            form.add_error(exc.field, exc.message)
        else:
            messages.success(request, _("Thank you: your answers were saved."))
            return redirect("encounters:my_registration", number=encounter.number)
    return render(request, "evaluation/answer.html", {
        "encounter": encounter, "survey": survey, "form": form, "previous": previous})


def results(request, number):
    encounter = _encounter(number)
    res = services.results(encounter)
    organizer = is_organizer(request.user, encounter)
    sectors = dict(Sector.choices)
    return render(request, "evaluation/results.html", {
        "encounter": encounter, "results": res, "overall": res.groups.get("all", []),
        "by_sector": [(sectors.get(k, k), v) for k, v in res.groups.items() if k != "all"],
        "chart": charts.pre_post_chart(res.groups.get("all", []), res.texts),
        "is_organizer": organizer,
        "surveys": encounter.surveys.all() if organizer else [],
        "min_group": services.analysis.MIN_GROUP,
    })


def open_answers(request, number, moment):
    encounter = _encounter(number)
    if not is_organizer(request.user, encounter):
        raise PermissionDenied
    survey = get_object_or_404(Survey, encounter=encounter, moment=moment)
    return render(request, "evaluation/open_answers.html", {
        "encounter": encounter, "survey": survey, "answers": services.open_answers(survey)})


@require_POST
def manage(request, number):
    encounter = _encounter(number)
    if not is_organizer(request.user, encounter):
        raise PermissionDenied
    action = request.POST.get("action")
    if action == "create":
        services.create_standard_surveys(encounter)
        messages.success(request, _("The standard pre and post surveys were created."))
    elif action in ("open", "close"):
        survey = encounter.surveys.filter(moment=request.POST.get("moment")).first()
        if survey is None:
            raise Http404
        survey.is_open = action == "open"
        survey.save(update_fields=["is_open"])
        messages.success(request, _("Survey opened.") if survey.is_open else _("Survey closed."))
    return redirect("evaluation:results", number=encounter.number)


def report(request, number):
    from . import report as report_module

    return render(request, "evaluation/report.html", report_module.build(_encounter(number)))


def report_pdf(request, number):
    from django.http import HttpResponse

    from . import report as report_module

    encounter = _encounter(number)
    response = HttpResponse(report_module.pdf(encounter, request.build_absolute_uri("/")),
                            content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="encuentro-{encounter.number}.pdf"'
    return response
