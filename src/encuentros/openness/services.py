"""Domain logic of the openness app: instruments, assessments, results and their analysis."""

import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from encuentros.core.permissions import is_admin
from encuentros.core.sectors import Sector

from . import quality, schema, scoring
from .models import Answer, Assessment, Instrument

INSTRUMENTS_DIR = Path(__file__).parent / "instruments"
DEFAULT_SLUG = "apertura-organizacional"
LEVEL_LABELS = {0: gettext_lazy("not yet initial"), 1: gettext_lazy("initial"),
                2: gettext_lazy("developing"), 3: gettext_lazy("defined"),
                4: gettext_lazy("managed"), 5: gettext_lazy("optimized")}
PERIOD_RE = re.compile(r"^\d{4}(-(S[12]|Q[1-4]|(0[1-9]|1[0-2])))?$")


class AssessmentError(Exception):
    """An assessment that cannot be saved. ``errors`` maps field (indicator key) → message."""

    def __init__(self, message: str, errors: dict | None = None):
        super().__init__(message)
        self.message = message
        self.errors = errors or {}


# --- Instruments --------------------------------------------------------------------------------

@transaction.atomic
def load_instrument(text: str) -> tuple[Instrument, str]:
    """Load (or reload) an instrument from YAML text; idempotent by slug + version.

    Returns the instrument and "created", "updated" or "unchanged". A version that already has
    assessments cannot change: raises InstrumentError asking for a new version.
    """
    spec = schema.parse(text)
    instrument = (Instrument.objects.select_for_update()
                  .filter(slug=spec["slug"], version=spec["version"]).first())
    fields = {"title": spec["title"], "description": spec["description"],
              "source": spec["source"], "sectors": spec["sectors"], "spec": spec,
              "source_text": text}
    if instrument is None:
        return Instrument.objects.create(slug=spec["slug"], version=spec["version"],
                                         **fields), "created"
    if instrument.spec == spec and instrument.source_text == text:
        return instrument, "unchanged"
    if instrument.spec != spec and instrument.assessments.exists():
        raise schema.InstrumentError([_(
            "version: %(slug)s version %(version)s already has assessments and its definition "
            "changed; give the file a new version") % {"slug": spec["slug"],
                                                       "version": spec["version"]}])
    for key, value in fields.items():
        setattr(instrument, key, value)
    instrument.save()
    return instrument, "updated"


def load_bundled() -> list[tuple[Instrument, str]]:
    """The instrument files shipped with the app (openness/instruments/*.yaml)."""
    return [load_instrument(path.read_text(encoding="utf-8"))
            for path in sorted(INSTRUMENTS_DIR.glob("*.yaml"))]


def version_key(version: str) -> tuple:
    """Natural order of versions: 1.10 after 1.9, 2017 after 2016."""
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part)
                 for part in re.split(r"[.\-]", version))


def latest_instruments(active_only: bool = True) -> list[Instrument]:
    """The highest version of each instrument slug (active ones only, by default)."""
    qs = Instrument.objects.defer("source_text")
    if active_only:
        qs = qs.filter(is_active=True)
    best: dict[str, Instrument] = {}
    for instrument in qs:
        current = best.get(instrument.slug)
        if current is None or version_key(instrument.version) > version_key(current.version):
            best[instrument.slug] = instrument
    return sorted(best.values(), key=lambda i: (i.slug != DEFAULT_SLUG, i.title))


def get_instrument(slug: str, version: str | None = None) -> Instrument | None:
    """That version; without one, the highest active version (or the highest, if none is)."""
    qs = Instrument.objects.filter(slug=slug)
    if version:
        return qs.filter(version=version).first()
    items = list(qs)
    if not items:
        return None
    return max(items, key=lambda i: (i.is_active, version_key(i.version)))


def instruments_for(organization) -> list[Instrument]:
    return [i for i in latest_instruments() if organization.sector in i.sectors]


# --- Permissions --------------------------------------------------------------------------------

def _is_staff_or_organizer(user) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return is_admin(user) or user.is_staff or user.organized_encounters.exists()


def allowed_perspectives(user, organization) -> list[str]:
    """Staff, admins and organizers may enter both perspectives; members only self-assessment."""
    if _is_staff_or_organizer(user):
        return [Assessment.Perspective.SELF, Assessment.Perspective.EXTERNAL]
    if not user.is_authenticated or not user.is_active:
        return []
    person = getattr(user, "person", None)
    if person is not None and person.organization_id == organization.pk:
        return [Assessment.Perspective.SELF]
    return []


def can_edit(user, assessment: Assessment) -> bool:
    return assessment.perspective in allowed_perspectives(user, assessment.organization)


# --- Assessments --------------------------------------------------------------------------------

def start_assessment(*, instrument: Instrument, organization, perspective: str, period: str,
                     encounter=None, user=None) -> tuple[Assessment, bool]:
    """The assessment for that organization, perspective and period; a new draft if none."""
    period = (period or "").strip()
    if not PERIOD_RE.match(period):
        raise AssessmentError(_("Write the period as a year (2026) or a part of it "
                                "(2026-S1, 2026-Q3, 2026-05)."), {"period": "period"})
    if perspective not in Assessment.Perspective.values:
        raise AssessmentError(_("Unknown perspective."), {"perspective": "perspective"})
    if organization.sector not in instrument.sectors:
        raise AssessmentError(
            _("This instrument does not cover the sector “%(sector)s”.")
            % {"sector": Sector(organization.sector).label}, {"instrument": "instrument"})
    key = {"instrument": instrument, "organization": organization,
           "perspective": perspective, "period": period}
    try:
        with transaction.atomic():
            return Assessment.objects.get_or_create(
                **key, defaults={"sector": organization.sector, "encounter": encounter,
                                 "created_by": user})
    except IntegrityError:  # someone started the same assessment at the same moment
        return Assessment.objects.get(**key), False


def applicable(assessment_or_spec, sector: str | None = None):
    """(pillar, component, indicator) that apply to the assessment's sector, in order."""
    if isinstance(assessment_or_spec, Assessment):
        spec, sector = assessment_or_spec.instrument.spec, assessment_or_spec.sector
    else:
        spec = assessment_or_spec
    return [(p, c, i) for p, c, i in schema.indicators(spec) if schema.applies(i, sector)]


def validate_answers(spec: dict, sector: str, data: dict, *, complete: bool) -> tuple[dict, dict]:
    """Check raw answers {key: (value, evidence_url)}.

    Returns ({key: (value, score, evidence)}, errors {key: message}). With ``complete``, every
    applicable indicator needs an answer and indicators that need evidence need a link (unless
    answered "not applicable" or "don't know").
    """
    from django.core.exceptions import ValidationError
    from django.core.validators import URLValidator

    url_ok = URLValidator(schemes=["http", "https"])
    clean, errors = {}, {}
    known = schema.indicator_map(spec)
    for key in data:
        if key not in known:
            errors[key] = _("unknown indicator")
    for _p, _c, indicator in applicable(spec, sector):
        key = indicator["key"]
        value, evidence = data.get(key, (None, ""))
        value = "" if value is None else str(value).strip()
        evidence = (evidence or "").strip()
        try:
            result = schema.answer_score(spec, indicator, value)
        except ValueError as exc:
            errors[key] = str(exc)
            continue
        if evidence:
            try:
                url_ok(evidence)
            except ValidationError:
                errors[key] = _("the evidence must be a web link (http:// or https://)")
                continue
        if result is None:
            if complete:
                errors[key] = _("answer this question (or choose “not applicable” or "
                                "“don't know”)")
            continue
        if (complete and indicator["evidence"] and not evidence
                and result not in schema.RESERVED_VALUES):
            errors[key] = _("this answer needs a link to its evidence")
            continue
        score = None if result in schema.RESERVED_VALUES else float(result)
        clean[key] = (value.lower() if result in schema.RESERVED_VALUES else value, score,
                      evidence)
    return clean, errors


@transaction.atomic
def save_answers(assessment: Assessment, data: dict, *, submit: bool = False) -> Assessment:
    """Save a draft (partial answers allowed) or submit (complete, with evidence, scored)."""
    assessment = Assessment.objects.select_for_update().select_related("instrument").get(
        pk=assessment.pk)
    if assessment.is_submitted:
        raise AssessmentError(_("This assessment was already submitted and cannot change."))
    clean, errors = validate_answers(assessment.instrument.spec, assessment.sector, data,
                                     complete=submit)
    if errors:
        raise AssessmentError(_("Some answers need attention."), errors)
    assessment.answers.all().delete()
    Answer.objects.bulk_create(Answer(assessment=assessment, indicator=key, value=value,
                                      score=score, evidence_url=evidence)
                               for key, (value, score, evidence) in clean.items())
    if submit:
        result = compute(assessment, {k: (s if s is not None else v)
                                      for k, (v, s, _e) in clean.items()})
        assessment.status = Assessment.Status.SUBMITTED
        assessment.submitted_at = timezone.now()
        assessment.overall = result.overall
        assessment.results = result.as_dict()
    assessment.save()
    return assessment


def answers_of(assessment: Assessment) -> dict:
    """{indicator: (value, evidence_url)} as saved."""
    return {a.indicator: (a.value, a.evidence_url) for a in assessment.answers.all()}


def scoring_input(answers) -> dict:
    """Answer rows → {indicator: score | "na" | "dk"} for the scoring engine."""
    return {a.indicator: (a.score if a.score is not None else a.value) for a in answers}


def answer_rows(assessment: Assessment, applicable_=None) -> list[dict]:
    """Public rows of a submitted assessment: question, answer label, score, evidence link."""
    spec = assessment.instrument.spec
    answers = {a.indicator: a for a in assessment.answers.all()}
    rows = []
    for _p, _c, indicator in applicable_ or applicable(assessment):
        a = answers.get(indicator["key"])
        label = ""
        if a is not None:
            scale = spec["scales"][indicator["scale"]]
            labels = {o["value"]: o["label"] for o in scale.get("options", [])}
            labels |= {schema.NOT_APPLICABLE: _("Not applicable"),
                       schema.DONT_KNOW: _("Don't know")}
            label = labels.get(a.value, a.value)
        rows.append({"key": indicator["key"], "text": indicator["text"], "label": label,
                     "score": a.score if a else None, "evidence": a.evidence_url if a else ""})
    return rows


def compute(assessment: Assessment, answers: dict | None = None) -> scoring.Result:
    if answers is None:
        answers = scoring_input(assessment.answers.all())
    return scoring.score(assessment.instrument.spec, answers, assessment.sector)


@transaction.atomic
def reopen(assessment: Assessment) -> Assessment:
    """Back to draft (staff correction); scores are cleared until it is submitted again."""
    assessment.status = Assessment.Status.DRAFT
    assessment.submitted_at = None
    assessment.overall = None
    assessment.results = {}
    assessment.save()
    return assessment


# --- Results ------------------------------------------------------------------------------------

def submitted(slug: str, *, perspective: str = Assessment.Perspective.SELF,
              period: str | None = None, sector: str | None = None):
    qs = (Assessment.objects.filter(instrument__slug=slug, status=Assessment.Status.SUBMITTED,
                                    perspective=perspective)
          .select_related("organization", "instrument")
          .defer("instrument__source_text", "instrument__spec"))
    if period:
        qs = qs.filter(period=period)
    if sector:
        qs = qs.filter(sector=sector)
    return qs.order_by("organization__name", "period", "-submitted_at")


def periods(slug: str, perspective: str = Assessment.Perspective.SELF) -> list[str]:
    return sorted(set(Assessment.objects.filter(
        instrument__slug=slug, status=Assessment.Status.SUBMITTED, perspective=perspective)
        .values_list("period", flat=True)))


def _one_per_org(assessments) -> list[Assessment]:
    """When an organization answered two versions in one period, keep the latest submission."""
    best: dict[tuple, Assessment] = {}
    for a in assessments:
        key = (a.organization_id, a.period)
        if key not in best or (a.submitted_at and best[key].submitted_at
                               and a.submitted_at > best[key].submitted_at):
            best[key] = a
    return list(best.values())


@dataclass
class SectorRow:
    sector: str
    label: str
    organizations: int
    overall: float | None
    pillars: dict = field(default_factory=dict)


@dataclass
class SectorSummary:
    period: str | None
    rows: list[SectorRow]
    ecosystem: float | None
    ecosystem_pillars: dict


def sector_summary(instrument: Instrument, period: str | None,
                   perspective: str = Assessment.Perspective.SELF) -> SectorSummary:
    """Scores by sector (each organization weighs the same within its sector) and the ecosystem
    score (each sector weighs the same, whatever its number of organizations)."""
    items = _one_per_org(submitted(instrument.slug, perspective=perspective, period=period)
                         .select_related(None)
                         .only("organization_id", "period", "sector", "overall", "results",
                               "submitted_at"))
    pillar_keys = [p["key"] for p in instrument.spec["pillars"]]
    by_sector_overall, eco = scoring.by_sector([(a.sector, a.overall) for a in items])
    pillar_sector, eco_pillars = {}, {}
    for key in pillar_keys:
        pillar_sector[key], eco_pillars[key] = scoring.by_sector(
            [(a.sector, a.results.get("pillars", {}).get(key)) for a in items])
    counts: dict[str, int] = {}
    for a in items:
        counts[a.sector] = counts.get(a.sector, 0) + 1
    rows = [SectorRow(s, str(Sector(s).label), counts.get(s, 0), by_sector_overall.get(s),
                      {k: pillar_sector[k].get(s) for k in pillar_keys})
            for s in instrument.sectors if s in counts]
    return SectorSummary(period, rows, eco, eco_pillars)


def over_time(instrument: Instrument, perspective: str = Assessment.Perspective.SELF):
    """[SectorSummary] for every period with submitted assessments, oldest first."""
    items = _one_per_org(submitted(instrument.slug, perspective=perspective)
                         .select_related(None)
                         .only("organization_id", "period", "sector", "overall", "results",
                               "submitted_at"))
    out = []
    for period in sorted({a.period for a in items}):
        chunk = [a for a in items if a.period == period]
        sectors, eco = scoring.by_sector([(a.sector, a.overall) for a in chunk])
        counts: dict[str, int] = {}
        for a in chunk:
            counts[a.sector] = counts.get(a.sector, 0) + 1
        rows = [SectorRow(s, str(Sector(s).label), counts[s], sectors.get(s))
                for s in instrument.sectors if s in counts]
        out.append(SectorSummary(period, rows, eco, {}))
    return out


@dataclass
class OrganizationResult:
    instrument: Instrument
    perspective: str
    latest: Assessment
    previous: Assessment | None
    pillars: list[dict]          # key, title, score, level, previous, change
    overall_change: float | None
    evidence: list[dict]         # indicator text, url
    history: list[Assessment]


def organization_results(organization, *, user=None) -> list[OrganizationResult]:
    """For each instrument slug and perspective: the latest submitted assessment, the change
    since the one before, per-pillar scores and levels, and the public evidence links."""
    assessments = list(Assessment.objects.filter(organization=organization,
                                                 status=Assessment.Status.SUBMITTED)
                       .select_related("instrument").prefetch_related("answers")
                       .order_by("instrument__slug", "perspective", "period", "submitted_at"))
    groups: dict[tuple, list[Assessment]] = {}
    for a in assessments:
        groups.setdefault((a.instrument.slug, a.perspective), []).append(a)
    out = []
    for (_slug, perspective), items in groups.items():
        by_period = {}
        for a in items:
            by_period[a.period] = a  # latest submission of each period wins
        history = [by_period[p] for p in sorted(by_period)]
        latest = history[-1]
        previous = history[-2] if len(history) > 1 else None
        spec = latest.instrument.spec
        pillars = []
        for p in spec["pillars"]:
            now = latest.results.get("pillars", {}).get(p["key"])
            before = previous.results.get("pillars", {}).get(p["key"]) if previous else None
            pillars.append({
                "key": p["key"], "title": p["title"], "score": now,
                "level": latest.results.get("levels", {}).get(p["key"]),
                "level_label": LEVEL_LABELS.get(latest.results.get("levels", {}).get(p["key"]),
                                                ""),
                "previous": before,
                "change": (now - before) if now is not None and before is not None else None,
            })
        texts = schema.indicator_map(spec)
        evidence = [{"indicator": a.indicator,
                     "text": texts.get(a.indicator, {}).get("text", a.indicator),
                     "url": a.evidence_url}
                    for a in latest.answers.all() if a.evidence_url]
        change = None
        if previous and latest.overall is not None and previous.overall is not None:
            change = latest.overall - previous.overall
        out.append(OrganizationResult(latest.instrument, perspective, latest, previous, pillars,
                                      change, evidence, history))
    out.sort(key=lambda r: (r.instrument.slug != DEFAULT_SLUG, r.instrument.slug,
                            r.perspective != Assessment.Perspective.SELF))
    return out


def drafts_for(user, organization) -> list[Assessment]:
    perspectives = allowed_perspectives(user, organization)
    if not perspectives:
        return []
    return list(Assessment.objects.filter(organization=organization,
                                          status=Assessment.Status.DRAFT,
                                          perspective__in=perspectives)
                .select_related("instrument").order_by("-updated_at"))


# --- Quality of the instrument -------------------------------------------------------------------

def _matrix(instrument: Instrument, assessments) -> tuple[scoring.Tree, np.ndarray]:
    tree = scoring.compile_spec(instrument.spec)
    rows = [scoring.row(tree, scoring_input(a.answers.all()), a.sector) for a in assessments]
    X = np.vstack(rows) if rows else np.empty((0, len(tree.indicator_keys)))
    return tree, X


def reliability(instrument: Instrument, perspective: str = Assessment.Perspective.SELF,
                period: str | None = None) -> list[dict]:
    """Cronbach's alpha (Feldt 95% interval) of each pillar over the submitted assessments of
    this instrument version, on the pillar's items that apply to every sector."""
    qs = (Assessment.objects.filter(instrument=instrument, status=Assessment.Status.SUBMITTED,
                                    perspective=perspective).prefetch_related("answers"))
    if period:
        qs = qs.filter(period=period)
    tree, X = _matrix(instrument, list(qs))
    common = np.array([set(s) >= set(instrument.sectors) for s in tree.sectors], dtype=bool)
    out = []
    for p_i, pillar in enumerate(instrument.spec["pillars"]):
        # Items every sector answers: sector-specific items would leave no complete row.
        cols = np.where((tree.indicator_pillar == p_i) & common)[0]
        a = quality.cronbach_alpha(X[:, cols])
        if a.k == 0:
            a.k = len(cols)
        out.append({"key": pillar["key"], "title": pillar["title"], "alpha": a.alpha,
                    "low": a.low, "high": a.high, "n": a.n, "k": a.k})
    return out


def rank_stability(instrument: Instrument, period: str,
                   perspective: str = Assessment.Perspective.SELF, *, draws: int = 500,
                   seed: int = 2026, weight_spread: float = 0.5,
                   methods=("arithmetic", "geometric")) -> dict:
    """Monte Carlo sensitivity of the ranking of organizations (OECD/JRC handbook)."""
    items = list(Assessment.objects.filter(
        instrument=instrument, status=Assessment.Status.SUBMITTED, perspective=perspective,
        period=period).select_related("organization").prefetch_related("answers")
        .order_by("organization__name"))
    tree, X = _matrix(instrument, items)
    if len(items) < 2:
        return {"rows": [], "average_shift": None, "draws": 0}
    s = quality.sensitivity(tree, X, draws=draws, seed=seed, weight_spread=weight_spread,
                            methods=tuple(methods))
    rows = []
    for i, a in enumerate(items):
        if np.isnan(s.nominal_rank[i]):
            continue
        rows.append({"organization": a.organization, "overall": a.overall,
                     "rank": float(s.nominal_rank[i]), "median": float(s.median_rank[i]),
                     "low": float(s.low_rank[i]), "high": float(s.high_rank[i]),
                     "shift": float(s.mean_shift[i])})
    rows.sort(key=lambda r: r["rank"])
    return {"rows": rows, "average_shift": s.average_shift, "draws": s.draws,
            "units": len(rows)}


def score_rows(instrument_slug: str, *, perspective: str = Assessment.Perspective.SELF,
               period: str | None = None, sector: str | None = None) -> list[dict]:
    """Flat public rows for exports: organization, sector, period, scores, levels."""
    out = []
    for a in submitted(instrument_slug, perspective=perspective, period=period, sector=sector):
        row = {"organization_id": a.organization_id, "organization": a.organization.name,
               "organization_slug": a.organization.slug, "sector": a.sector,
               "period": a.period, "perspective": a.perspective,
               "instrument": a.instrument.slug, "version": a.instrument.version,
               "overall": a.overall, "coverage": a.results.get("coverage")}
        for key, value in a.results.get("pillars", {}).items():
            row[f"{key}"] = value
        for key, value in a.results.get("levels", {}).items():
            row[f"{key}_level"] = value
        out.append(row)
    return out


def organizations_with_results(query: str = "", sector: str = ""):
    from encuentros.ecosystem.models import Organization

    qs = Organization.objects.filter(
        openness_assessments__status=Assessment.Status.SUBMITTED).distinct()
    if sector:
        qs = qs.filter(sector=sector)
    if query:
        qs = qs.filter(Q(name__icontains=query) | Q(acronym__icontains=query))
    return qs.order_by("name")
