"""Instrument ↔ spreadsheets: XLSForm export (ODK / KoboToolbox), answers import, score CSV.

The answers import is atomic: every row is checked first, every problem is reported with its
row number and column, and nothing is written when any row fails.
"""

import csv
import io
from dataclasses import dataclass

import openpyxl
from django.db import transaction
from django.utils.translation import gettext as _

from encuentros.core import uploads
from encuentros.core.text import normalize, spreadsheet_safe
from encuentros.ecosystem.models import Organization
from encuentros.ecosystem.services import find_organization

from . import schema, services
from .models import Assessment, Instrument

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_ROWS = 5000
_PERSPECTIVE_LABELS = {"self": "Autoevaluación", "external": "Revisión externa"}
_SECTOR_LABELS = {"government": "Gobierno", "civil_society": "Sociedad civil",
                  "academia": "Academia", "private": "Sector privado y startups",
                  "citizen": "Ciudadanía"}
_NA_LABEL, _DK_LABEL = "No aplica", "No sé"


def _relevant_sector(indicator: dict, spec: dict) -> str:
    if set(indicator["sectors"]) >= set(spec["sectors"]):
        return ""
    return " or ".join(f"selected(${{sector}}, '{s}')" for s in indicator["sectors"])


def xlsform(instrument: Instrument) -> bytes:
    """The instrument as an XLSForm workbook (survey, choices, settings sheets)."""
    spec = instrument.spec
    wb = openpyxl.Workbook()
    survey = wb.active
    survey.title = "survey"
    survey.append(["type", "name", "label", "hint", "required", "relevant", "constraint",
                   "constraint_message"])
    survey.append(["text", "organization", "Organización (nombre, siglas o identificador)", "",
                   "yes", "", "", ""])
    survey.append(["select_one sector", "sector", "Sector de la organización", "", "yes", "",
                   "", ""])
    survey.append(["text", "period", "Periodo (año, p. ej. 2026, o 2026-S1, 2026-Q3)", "",
                   "yes", "", r"regex(., '^[0-9]{4}(-(S[12]|Q[1-4]|(0[1-9]|1[0-2])))?$')",
                   "Escribe un año (2026) o una parte (2026-S1, 2026-Q3)."])
    survey.append(["select_one perspective", "perspective", "Perspectiva", "", "yes", "", "",
                   ""])
    for pillar in spec["pillars"]:
        survey.append(["begin_group", pillar["key"], pillar["title"], pillar["description"],
                       "", "", "", ""])
        for component in pillar["components"]:
            for indicator in component["indicators"]:
                key = indicator["key"]
                scale = spec["scales"][indicator["scale"]]
                relevant = _relevant_sector(indicator, spec)
                if scale["type"] == "number":
                    survey.append([
                        "decimal", key, indicator["text"], indicator["help"], "no", relevant,
                        f". >= {scale['min']} and . <= {scale['max']}",
                        f"Entre {scale['min']} y {scale['max']}."])
                else:
                    survey.append([f"select_one {indicator['scale']}", key, indicator["text"],
                                   indicator["help"], "yes", relevant, "", ""])
                ev_relevant = f"${{{key}}} != 'na' and ${{{key}}} != 'dk'"
                if relevant:
                    ev_relevant = f"({relevant}) and {ev_relevant}"
                survey.append(["text", f"{key}_evidence", "Enlace a la evidencia", "",
                               "yes" if indicator["evidence"] else "no", ev_relevant,
                               "regex(., '^https?://')",
                               "Debe ser un enlace web (http:// o https://)."])
        survey.append(["end_group", pillar["key"], "", "", "", "", "", ""])
    choices = wb.create_sheet("choices")
    choices.append(["list_name", "name", "label"])
    for value, label in _PERSPECTIVE_LABELS.items():
        choices.append(["perspective", value, label])
    for sector in spec["sectors"]:
        choices.append(["sector", sector, _SECTOR_LABELS.get(sector, sector)])
    for name, scale in spec["scales"].items():
        if scale["type"] != "choice":
            continue
        for option in scale["options"]:
            choices.append([name, option["value"], option["label"]])
        choices.append([name, schema.NOT_APPLICABLE, _NA_LABEL])
        choices.append([name, schema.DONT_KNOW, _DK_LABEL])
    settings = wb.create_sheet("settings")
    settings.append(["form_title", "form_id", "version", "default_language"])
    settings.append([instrument.title, f"{instrument.slug}_{instrument.version}".replace(
        "-", "_").replace(".", "_"), instrument.version, "es"])
    for sheet in wb.worksheets:  # instrument texts are never formulas ("=HYPERLINK(…)")
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def scores_csv(instrument: Instrument, rows: list[dict]) -> str:
    pillars = [p["key"] for p in instrument.spec["pillars"]]
    columns = (["organization_id", "organization", "organization_slug", "sector", "period",
                "perspective", "instrument", "version", "overall", "coverage"] + pillars
               + [f"{p}_level" for p in pillars])
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: spreadsheet_safe(row.get(k)) for k in columns})
    return out.getvalue()


# --- Import of answers collected with ODK / KoboToolbox -----------------------------------------

class ImportError_(Exception):
    """The whole file was rejected; ``errors`` lists (row, column, message)."""

    def __init__(self, errors):
        super().__init__("; ".join(f"{r}:{c}: {m}" for r, c, m in errors))
        self.errors = errors


@dataclass
class ImportResult:
    rows: int = 0
    created: int = 0


def _read_rows(raw: bytes, filename: str) -> list[list]:
    problem = uploads.size_problem(len(raw))
    if problem:
        raise ImportError_([(0, "", problem)])
    if filename.lower().endswith(".xlsx") or uploads.is_zip(raw):
        problem = uploads.xlsx_problem(raw)
        if problem:
            raise ImportError_([(0, "", problem)])
        try:
            wb = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
            return [[_cell_text(v) for v in row]
                    for row in wb.worksheets[0].iter_rows(values_only=True)]
        except Exception as exc:
            raise ImportError_([(0, "", _("This is not a readable XLSX file."))]) from exc
    try:
        text = uploads.decode_text(raw)
    except uploads.TextDecodingError as exc:
        raise ImportError_([(exc.line, "", exc.message)]) from exc
    dialect = ";" if text.split("\n", 1)[0].count(";") > text.split("\n", 1)[0].count(",") \
        else ","
    reader = csv.reader(io.StringIO(text), delimiter=dialect)
    try:
        return list(reader)
    except csv.Error as exc:
        line = reader.line_num or 1
        raise ImportError_([(line, "", _("Line %(line)s cannot be read as CSV: %(error)s")
                             % {"line": line, "error": exc})]) from exc


def _cell_text(value) -> str:
    """Spreadsheet cells as text; 2.0 → "2" so numeric option names still match."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _column(header) -> str:
    """Kobo prefixes grouped questions with their group ("transparency/t1"); keep the name."""
    return str(header or "").strip().rsplit("/", 1)[-1].strip()


def _choice(value: str, options: dict) -> str | None:
    """Accept a choice's name or its label (Kobo can export either)."""
    value = str(value).strip()
    if value in options:
        return value
    return next((k for k, label in options.items() if normalize(label) == normalize(value)), None)


def import_answers(instrument: Instrument, raw: bytes, filename: str, *, user=None
                   ) -> ImportResult:
    """Create and submit one assessment per row. All rows or none."""
    spec = instrument.spec
    table = _read_rows(raw, filename)
    while table and not any(str(v).strip() for v in table[-1]):
        table.pop()
    if not table:
        raise ImportError_([(1, "", _("The file is empty."))])
    if not any(any(str(v).strip() for v in cells) for cells in table[1:]):
        raise ImportError_([(2, "", _("The file has a header but no rows of data."))])
    if len(table) - 1 > MAX_ROWS:
        raise ImportError_([(0, "", _("At most %(n)d rows per file.") % {"n": MAX_ROWS})])
    headers = [_column(h) for h in table[0]]
    known = schema.indicator_map(spec)
    ours = {"organization", "period", "perspective", "sector"} | set(known) \
        | {f"{k}_evidence" for k in known}
    index, errors = {}, []
    for i, h in enumerate(headers):
        if not h or (h in index and h not in ours):
            continue  # columns that are not ours (Kobo's _uuid, start, notes…) are ignored
        if h in index:
            errors.append((1, h, _("The column appears twice (columns %(first)d and "
                                   "%(second)d): keep only one.")
                           % {"first": index[h] + 1, "second": i + 1}))
            continue
        index[h] = i
    for required in ("organization", "period", "perspective"):
        if required not in index:
            errors.append((1, required, _("Missing column.")))
    if not any(k in index for k in known):
        errors.append((1, "", _("No column matches a question of this instrument.")))
    if errors:
        raise ImportError_(errors)
    perspectives = dict(_PERSPECTIVE_LABELS)
    labels = {name: {o["value"]: o["label"] for o in scale["options"]}
              | {schema.NOT_APPLICABLE: _NA_LABEL, schema.DONT_KNOW: _DK_LABEL}
              for name, scale in spec["scales"].items() if scale["type"] == "choice"}
    orgs_by_slug = {o.slug: o for o in Organization.objects.all()}
    planned, seen = [], set()
    for n, cells in enumerate(table[1:], start=2):
        if not any(str(v).strip() for v in cells):
            continue

        def cell(name, cells=cells):
            i = index.get(name)
            return str(cells[i]).strip() if i is not None and i < len(cells) else ""

        row_errors = []
        org_text = cell("organization")
        org = orgs_by_slug.get(org_text) or find_organization(org_text)
        if org is None and uploads.garbled(org_text):
            row_errors.append((n, "organization", _(
                "“%(value)s” looks garbled: the file was saved in one encoding and read in "
                "another. Save it again as CSV UTF-8.") % {"value": org_text[:60]}))
        elif org is None:
            row_errors.append((n, "organization", _("Unknown organization %(value)r.")
                               % {"value": org_text[:60]}))
        elif org.sector not in instrument.sectors:
            row_errors.append((n, "organization", _("This instrument does not cover the "
                                                    "organization's sector.")))
        period = cell("period")
        if not services.PERIOD_RE.match(period):
            row_errors.append((n, "period", _("Write a year (2026) or a part of it (2026-S1, "
                                              "2026-Q3, 2026-05).")))
        perspective = _choice(cell("perspective"), perspectives)
        if perspective is None:
            row_errors.append((n, "perspective", _("Use self or external.")))
        if org is not None and not row_errors:
            key = (org.pk, period, perspective)
            if key in seen:
                row_errors.append((n, "organization", _("Repeated: another row has the same "
                                                        "organization, period and perspective.")))
            seen.add(key)
            if Assessment.objects.filter(instrument=instrument, organization=org,
                                         period=period, perspective=perspective,
                                         status=Assessment.Status.SUBMITTED).exists():
                row_errors.append((n, "period", _("This organization already has a submitted "
                                                  "assessment for this period and perspective.")))
        data = {}
        for key, indicator in known.items():
            value = cell(key)
            scale = spec["scales"][indicator["scale"]]
            if value and scale["type"] == "choice":
                value = _choice(value, labels[indicator["scale"]]) or value
            data[key] = (value, cell(f"{key}_evidence"))
        if org is not None:
            _clean, answer_errors = services.validate_answers(spec, org.sector, data,
                                                              complete=True)
            row_errors += [(n, key, message) for key, message in answer_errors.items()]
        errors += row_errors
        planned.append((org, period, perspective, data))
    if errors:
        raise ImportError_(errors)
    result = ImportResult()
    with transaction.atomic():
        for org, period, perspective, data in planned:
            assessment, created = services.start_assessment(
                instrument=instrument, organization=org, perspective=perspective,
                period=period, user=user)
            services.save_answers(assessment, data, submit=True)
            result.rows += 1
            result.created += int(created)
    return result
