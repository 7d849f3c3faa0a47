"""The encounter report: what an encounter set out to do and what came of it, from what the
platform records; unknowns are said plainly. Other apps add sections (proposals, data
requests, matches, agreements, commitments, initiatives) with :func:`report_section` in their
``report_sections.py`` (discovered at start-up)."""

from dataclasses import dataclass, field

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext as _

from encuentros.encounters import seating
from encuentros.encounters import services as encounter_services
from encuentros.encounters.exports import attendance_chart_svg

from . import services

_SECTIONS = []


@dataclass
class ReportSection:
    title: str
    rows: list = field(default_factory=list)  # [(label, value)]
    items: list = field(default_factory=list)  # [text]
    unknown: str = ""  # said plainly when the platform has no record


def report_section(func):
    """Register ``func(encounter) -> ReportSection | None``; sections appear in order."""
    _SECTIONS.append(func)
    return func


def autodiscover() -> None:
    autodiscover_modules("report_sections")


def build(encounter) -> dict:
    attendance = encounter_services.attendance(encounter)
    plans = list(encounter.seating_plans.all())
    qualities = seating.qualities(plans)
    seating_rows = [{"plan": p, "quality": qualities[p.pk]} for p in plans]
    survey = services.results(encounter)
    has_survey = bool(survey.keys) and (survey.responses["pre"] or survey.responses["post"])
    unknowns = []
    if attendance.basis == "reported":
        if any(r.sector is None for r in attendance.rows):
            unknowns.append(_("The split of attendance by sector was not recorded."))
        if any(r.organizations is None for r in attendance.rows):
            unknowns.append(_("The number of organizations was not recorded for every sector."))
        unknowns.append(_("There are no individual registrations: the encounter predates the "
                          "platform, so seating, survey and contact figures do not exist."))
    elif attendance.basis == "none":
        unknowns.append(_("No attendance has been recorded yet."))
    if not plans and attendance.basis != "reported":
        unknowns.append(_("No seating plan was recorded."))
    if not has_survey and attendance.basis != "reported":
        unknowns.append(_("No pre/post survey answers were recorded."))
    extra = [s for s in (func(encounter) for func in _SECTIONS) if s is not None]
    return {
        "encounter": encounter, "attendance": attendance,
        "chart": attendance_chart_svg(attendance.rows),
        "agenda": encounter.agenda.all(), "seating": seating_rows,
        "survey": survey if has_survey else None, "sections": extra, "unknowns": unknowns,
        "generated": timezone.now(),
    }


def pdf(encounter, base_url: str) -> bytes:
    from weasyprint import HTML

    html = render_to_string("evaluation/report_print.html", build(encounter))
    return HTML(string=html, base_url=base_url).write_pdf()
