"""Answering a survey (participants) and its results (public aggregates; open answers for the
organizers only)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from encuentros.core.permissions import is_organizer
from encuentros.core.sectors import Sector
from encuentros.encounters.models import Encounter
from encuentros.encounters.services import current_registration

from . import charts, imports, services
from .forms import ImportAnswersForm, SurveyForm
from .models import Question, Survey

REPORT_PDF_MAX_AGE = 600  # seconds a rendered report PDF is served before a new one is made


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


@login_required
def import_answers(request, number):
    """Organizers import answers collected on paper or offline (see evaluation/imports.py)."""
    encounter = get_object_or_404(Encounter, number=number)
    if not is_organizer(request.user, encounter):
        raise PermissionDenied
    form = ImportAnswersForm(request.POST or None, request.FILES or None)
    errors = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = imports.import_answers(encounter, upload.read(), upload.name)
        except imports.ImportError_ as exc:
            errors = exc.errors
        else:
            messages.success(request, _("Imported %(n)d responses (%(pre)d before, %(post)d "
                                        "after).") % {"n": result.rows, "pre": result.pre,
                                                      "post": result.post})
            return redirect("evaluation:results", number=encounter.number)
    questions = (Question.objects.filter(survey__encounter=encounter)
                 .select_related("survey").order_by("survey__moment", "order", "pk"))
    return render(request, "evaluation/import.html", {
        "encounter": encounter, "form": form, "import_errors": errors,
        "questions": questions})


def report(request, number):
    from . import report as report_module

    return render(request, "evaluation/report.html", report_module.build(_encounter(number)))


def report_pdf(request, number):
    """The report as PDF: rendered by the background worker and kept for REPORT_PDF_MAX_AGE;
    this page serves the latest one, or starts one and shows its progress."""
    import datetime as dt

    from django.core.files.storage import default_storage
    from django.http import FileResponse
    from django.utils import timezone

    from encuentros.core import tasks as core_tasks
    from encuentros.core.models import TaskRecord
    from encuentros.core.views import follow_task

    from . import tasks

    encounter = _encounter(number)
    language = translation.get_language() or settings.LANGUAGE_CODE
    subject = f"report:{encounter.pk}:{language}"
    done = TaskRecord.objects.filter(subject=subject, status=TaskRecord.Status.SUCCESSFUL)
    if request.GET.get("task"):
        record = done.filter(pk=request.GET["task"][:32]).first()
    else:
        fresh = timezone.now() - dt.timedelta(seconds=REPORT_PDF_MAX_AGE)
        record = done.filter(finished_at__gte=fresh).order_by("-finished_at").first()
    if record is None:
        if request.GET.get("task"):
            raise Http404
        record = core_tasks.start(
            tasks.render_report_pdf, encounter.pk, language, request.build_absolute_uri("/"),
            label=_("Report of %(encounter)s (PDF)") % {"encounter": encounter},
            subject=subject, public=True)
        if record.status != TaskRecord.Status.SUCCESSFUL:
            return follow_task(request, record)
    name = (record.return_value or {}).get("file", "")
    if not name or not default_storage.exists(name):
        raise Http404
    response = FileResponse(default_storage.open(name, "rb"), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="encuentro-{encounter.number}.pdf"'
    return response
