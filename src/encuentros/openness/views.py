import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from encuentros.core.sectors import Sector
from encuentros.ecosystem.models import Organization

from . import charts, exports, services
from .forms import AnswersForm, ImportAnswersForm, StartAssessmentForm
from .models import Assessment, Instrument

PER_PAGE = 25
METHOD_LABELS = {"arithmetic": gettext_lazy("weighted arithmetic mean"),
                 "geometric": gettext_lazy("weighted geometric mean"),
                 "minimum": gettext_lazy("minimum")}


def _perspective(request) -> str:
    value = request.GET.get("perspective", Assessment.Perspective.SELF)
    return value if value in Assessment.Perspective.values else Assessment.Perspective.SELF


def _instrument(slug, request=None):
    instrument = services.get_instrument(slug, request.GET.get("version") if request else None)
    if instrument is None:
        raise Http404
    return instrument


def index(request):
    instruments = services.latest_instruments()
    default = next((i for i in instruments if i.slug == services.DEFAULT_SLUG),
                   instruments[0] if instruments else None)
    context = {"instruments": instruments, "default": default}
    if default:
        context.update(_results_context(default, Assessment.Perspective.SELF, None))
    return render(request, "openness/index.html", context)


def _results_context(instrument, perspective, period):
    periods = services.periods(instrument.slug, perspective)
    if period not in periods:
        period = periods[-1] if periods else None
    summary = services.sector_summary(instrument, period, perspective)
    timeline = services.over_time(instrument, perspective)
    series = []
    for s in timeline:
        series.append({"period": s.period, "group": _("Ecosystem"), "score": s.ecosystem,
                       "dashed": "ecosystem"})
        series += [{"period": s.period, "group": r.label, "score": r.overall,
                    "dashed": "sector"} for r in s.rows]
    pillars = instrument.spec["pillars"]
    bars = [{"sector": r.label, "pillar": p["title"], "score": r.pillars.get(p["key"])}
            for p in pillars for r in summary.rows]
    return {"periods": periods, "period": period, "summary": summary, "timeline": timeline,
            "pillars": pillars, "over_time_chart": charts.over_time_svg(series),
            "sectors_chart": charts.sectors_svg(bars), "perspective": perspective}


def results(request, slug):
    instrument = _instrument(slug, request)
    perspective = _perspective(request)
    context = _results_context(instrument, perspective, request.GET.get("period"))
    sector = request.GET.get("sector", "")
    if sector not in Sector.values:
        sector = ""
    qs = Assessment.objects.none()
    if context["period"]:
        qs = services.submitted(instrument.slug, perspective=perspective,
                                period=context["period"], sector=sector or None)
    page = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    context.update(instrument=instrument, page=page, sector=sector,
                   sectors=[(s, Sector(s).label) for s in instrument.sectors],
                   perspectives=Assessment.Perspective.choices)
    return render(request, "openness/results.html", context)


def instrument_detail(request, slug):
    instrument = _instrument(slug, request)
    versions = sorted(Instrument.objects.filter(slug=slug).values_list("version", flat=True),
                      key=services.version_key, reverse=True)
    scales = instrument.spec["scales"]
    return render(request, "openness/instrument.html", {
        "instrument": instrument, "spec": instrument.spec, "versions": versions,
        "scales": scales, "sector_labels": dict(Sector.choices), "methods": METHOD_LABELS,
        "can_import": request.user.is_authenticated and request.user.is_staff,
    })


def instrument_yaml(request, slug):
    instrument = _instrument(slug, request)
    response = HttpResponse(instrument.source_text, content_type="application/yaml; charset=utf-8")
    response["Content-Disposition"] = (f'attachment; filename="{instrument.slug}-'
                                       f'{instrument.version}.yaml"')
    return response


def instrument_xlsform(request, slug):
    instrument = _instrument(slug, request)
    response = HttpResponse(exports.xlsform(instrument), content_type=exports.XLSX_TYPE)
    response["Content-Disposition"] = (f'attachment; filename="{instrument.slug}-'
                                       f'{instrument.version}-xlsform.xlsx"')
    return response


def scores_export(request, slug, fmt):
    instrument = _instrument(slug)
    sector = request.GET.get("sector") or None
    if sector and sector not in Sector.values:
        raise Http404
    rows = services.score_rows(instrument.slug, perspective=_perspective(request),
                               period=request.GET.get("period") or None, sector=sector)
    if fmt == "json":
        response = HttpResponse(json.dumps(rows, ensure_ascii=False, indent=1),
                                content_type="application/json; charset=utf-8")
    else:
        response = HttpResponse(exports.scores_csv(instrument, rows),
                                content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{instrument.slug}-scores.{fmt}"'
    return response


def instrument_quality(request, slug):
    instrument = _instrument(slug, request)
    perspective = _perspective(request)
    periods = services.periods(instrument.slug, perspective)
    period = request.GET.get("period")
    if period not in periods:
        period = periods[-1] if periods else None
    return render(request, "openness/quality.html", {
        "instrument": instrument, "perspective": perspective, "periods": periods,
        "period": period,
        "alpha": services.reliability(instrument, perspective, period),
        "stability": services.rank_stability(instrument, period, perspective)
        if period else None,
    })


@login_required
def import_answers(request, slug):
    if not request.user.is_staff:
        raise PermissionDenied
    instrument = _instrument(slug, request)
    form = ImportAnswersForm(request.POST or None, request.FILES or None)
    errors = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = exports.import_answers(instrument, upload.read(), upload.name,
                                            user=request.user)
        except exports.ImportError_ as exc:
            errors = exc.errors
        else:
            messages.success(request, _("Imported %(n)d assessments.") % {"n": result.rows})
            return redirect(instrument.get_absolute_url())
    return render(request, "openness/import.html", {"instrument": instrument, "form": form,
                                                    "import_errors": errors})


def organization(request, slug):
    org = get_object_or_404(Organization, slug=slug)
    results_ = services.organization_results(org)
    for r in results_:
        r.radar = charts.radar([{"title": p["title"], "score": p["score"],
                                 "previous": p["previous"]} for p in r.pillars])
    return render(request, "openness/organization.html", {
        "organization": org, "results": results_,
        "can_assess": bool(services.allowed_perspectives(request.user, org)),
        "drafts": services.drafts_for(request.user, org),
    })


@login_required
def start(request, slug):
    org = get_object_or_404(Organization, slug=slug)
    perspectives = services.allowed_perspectives(request.user, org)
    if not perspectives:
        raise PermissionDenied
    instruments = services.instruments_for(org)
    form = StartAssessmentForm(request.POST or None, instruments=instruments,
                               perspectives=perspectives)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            assessment, created = services.start_assessment(
                instrument=data["instrument"], organization=org,
                perspective=data["perspective"], period=data["period"],
                encounter=data["encounter"], user=request.user)
        except services.AssessmentError as exc:
            form.add_error(next(iter(exc.errors), None), exc.message)
        else:
            if not created and assessment.is_submitted:
                messages.info(request, _("That assessment was already submitted."))
            return redirect(assessment)
    return render(request, "openness/start.html", {"organization": org, "form": form,
                                                   "instruments": instruments})


def assessment(request, pk):
    item = get_object_or_404(Assessment.objects.select_related("organization", "instrument",
                                                               "encounter"), pk=pk)
    editable = (request.user.is_authenticated and not item.is_submitted
                and services.can_edit(request.user, item))
    if not item.is_submitted and not editable:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise PermissionDenied
    applicable = services.applicable(item)
    if not editable:
        pillars = [{"title": p["title"], "score": item.results.get("pillars", {}).get(p["key"]),
                    "level": item.results.get("levels", {}).get(p["key"])}
                   for p in item.instrument.spec["pillars"]]
        return render(request, "openness/assessment_detail.html", {
            "assessment": item, "rows": services.answer_rows(item, applicable),
            "pillars": pillars})
    initial = {}
    for key, (value, evidence) in services.answers_of(item).items():
        initial[key] = value
        initial[f"{key}__evidence"] = evidence
    form = AnswersForm(request.POST or None, initial=initial, applicable=applicable,
                       spec=item.instrument.spec)
    if request.method == "POST" and form.is_valid():
        submit = "submit" in request.POST
        try:
            services.save_answers(item, form.answers(), submit=submit)
        except services.AssessmentError as exc:
            for key, message in exc.errors.items():
                form.add_error(key if key in form.fields else None, message)
            messages.error(request, exc.message)
        else:
            if submit:
                messages.success(request, _("Assessment submitted. These are its results."))
                return redirect("openness:organization", slug=item.organization.slug)
            messages.success(request, _("Draft saved. You can come back and finish it later."))
            return redirect(item)
    answered = sum(1 for k in initial if not k.endswith("__evidence"))
    return render(request, "openness/assessment_form.html", {
        "assessment": item, "form": form, "answered": answered, "total": len(applicable)})
