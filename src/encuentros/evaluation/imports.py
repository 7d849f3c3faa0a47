"""Import of paper or offline survey answers (CSV/XLSX), one row per respondent.

Columns:

- ``code`` (also ``código``, ``badge code``, ``gafete``, ``folio``): the respondent's badge code,
  printed on the badge and on the paper form. It only serves to find the registration; what
  is stored is the same pseudonym the web survey stores (``services.respondent_key``), so a
  person's paper and web answers, before and after, pair up, and the code itself is not kept.
- ``moment`` (``momento``): ``pre``/``post`` (also ``antes``/``después``, ``before``/``after``).
- one column per question key of the encounter's surveys (e.g. ``trust_government``): Likert
  questions need 1–5; open questions are optional text. A cell for a question that is not in
  that moment's survey must be empty.

Columns we do not know are refused (a misspelt question key would lose answers). The import is
atomic: every row is checked first, every problem is reported with its row and column as
they appear in the file, and nothing is written when any row fails. A respondent who already
answered that survey (on the web or in an earlier import) is an error, never overwritten.
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from encuentros.core import uploads
from encuentros.core.text import normalize
from encuentros.encounters.imports import ImportError_, read_table
from encuentros.encounters.models import Encounter, Registration

from . import services
from .models import Answer, Question, Response, Survey

__all__ = ["ImportError_", "ImportResult", "import_answers", "parse"]

MAX_ROWS = 5000
OPEN_MAX_LENGTH = 4000
CODE_COLUMNS = ("code", "codigo", "badge code", "badge_code", "codigo de gafete", "gafete",
                "folio", "respondent")
MOMENT_COLUMNS = ("moment", "momento")
MOMENTS = {"pre": Survey.Moment.PRE, "antes": Survey.Moment.PRE, "before": Survey.Moment.PRE,
           "post": Survey.Moment.POST, "despues": Survey.Moment.POST,
           "after": Survey.Moment.POST}


@dataclass
class ImportResult:
    rows: int = 0
    pre: int = 0
    post: int = 0


def _likert(value: str):
    try:
        number = float(value.replace(",", "."))
    except ValueError:
        return None
    if not number.is_integer() or not 1 <= number <= 5:
        return None
    return int(number)


def parse(encounter: Encounter, raw: bytes, filename: str):
    """Check every row: ([(row, survey, registration, answers)], errors)."""
    header_row, header, rows = read_table(raw, filename)
    surveys = {s.moment: s for s in encounter.surveys.prefetch_related("questions")}
    if not surveys:
        raise ImportError_([(0, "", _("This encounter has no surveys yet: create the pre and "
                                      "post surveys first."))])
    questions = {}  # key -> {moment: Question}
    for moment, survey in surveys.items():
        for q in survey.questions.all():
            questions.setdefault(q.key, {})[moment] = q
    errors, columns = [], {}  # columns: field -> index; field is "code", "moment" or a key
    for index, title in enumerate(header):
        key = normalize(title)
        field = ("code" if key in CODE_COLUMNS else "moment" if key in MOMENT_COLUMNS
                 else title.strip() if title.strip() in questions
                 else key if key in questions else None)
        if not title.strip():
            if any(index < len(r) and r[index] for _n, r in rows):
                errors.append((header_row, _("column %(n)d") % {"n": index + 1},
                               _("This column has answers but no title.")))
            continue
        if field is None:
            errors.append((header_row, title, _(
                "Unknown column: use code, moment and the question keys (%(keys)s).")
                % {"keys": ", ".join(questions)}))
        elif field in columns:
            errors.append((header_row, title, _(
                "The column appears twice (also column %(n)d): keep only one.")
                % {"n": columns[field] + 1}))
        else:
            columns[field] = index
    for field, label in (("code", "code"), ("moment", "moment")):
        if field not in columns:
            errors.append((header_row, label, _("Missing required column.")))
    if errors:
        raise ImportError_(errors)
    if not rows:
        raise ImportError_([(header_row + 1, "", _("The file has a header but no rows of "
                                                   "data."))])
    if len(rows) > MAX_ROWS:
        raise ImportError_([(0, "", _("At most %(n)d rows per file.") % {"n": MAX_ROWS})])

    name = {field: header[i] for field, i in columns.items()}
    codes = {r[columns["code"]].strip() for _n, r in rows if columns["code"] < len(r)}
    registrations = {r.badge_token: r for r in Registration.objects.filter(
        encounter=encounter, badge_token__in=codes)}
    planned, seen, missing = [], {}, {}
    keys = {services.respondent_key(r): r for r in registrations.values()}
    answered = set(Response.objects.filter(survey__in=surveys.values(), respondent__in=keys)
                   .values_list("survey__moment", "respondent"))
    for n, cells in rows:
        def cell(field, cells=cells):
            i = columns.get(field)
            return cells[i].strip() if i is not None and i < len(cells) else ""

        row_errors = []
        for field in columns:
            if uploads.garbled(cell(field)):
                row_errors.append((n, name[field], _(
                    "“%(value)s” looks garbled: the file was saved in one encoding and read in "
                    "another. Save it again as CSV UTF-8.") % {"value": cell(field)[:60]}))
        code = cell("code")
        registration = registrations.get(code)
        if not code:
            row_errors.append((n, name["code"], _("The badge code is empty.")))
        elif registration is None:
            row_errors.append((n, name["code"], _("No registration of this encounter has the "
                                                  "badge code “%(code)s”.") % {"code": code[:40]}))
        elif registration.status != Registration.Status.REGISTERED:
            row_errors.append((n, name["code"], _("This registration is not active (%(status)s).")
                               % {"status": registration.get_status_display()}))
        moment = MOMENTS.get(normalize(cell("moment")))
        survey = surveys.get(moment)
        if moment is None:
            row_errors.append((n, name["moment"], _("Write pre or post, not “%(value)s”.")
                               % {"value": cell("moment")[:40]}))
        elif survey is None:
            row_errors.append((n, name["moment"], _("This encounter has no %(moment)s survey.")
                               % {"moment": moment}))
        if registration is not None and survey is not None:
            pair = (code, moment)
            if pair in seen:
                row_errors.append((n, name["code"], _(
                    "Repeated: row %(row)s has the same badge code and moment.")
                    % {"row": seen[pair]}))
            seen.setdefault(pair, n)
            if (moment, services.respondent_key(registration)) in answered:
                row_errors.append((n, name["code"], _(
                    "This person already answered the %(moment)s survey (on the web or in an "
                    "earlier import).") % {"moment": moment}))
        answers = []
        for key, by_moment in questions.items():
            value = cell(key)
            question = by_moment.get(moment)
            if key not in columns:
                if question is not None and question.kind == Question.Kind.LIKERT:
                    missing.setdefault(key, moment)  # reported once, on the header
                    row_errors.append(None)
                continue
            if survey is None:
                continue
            if question is None:
                if value:
                    row_errors.append((n, name[key], _(
                        "This question is not in the %(moment)s survey: leave it empty.")
                        % {"moment": moment}))
                continue
            if question.kind == Question.Kind.LIKERT:
                number = _likert(value)
                if number is None:
                    row_errors.append((n, name[key], _(
                        "Write a whole number from 1 to 5, not “%(value)s”.")
                        % {"value": value[:40]}))
                else:
                    answers.append(Answer(question=question, value=number))
            elif len(value) > OPEN_MAX_LENGTH:
                row_errors.append((n, name[key], _("The answer is longer than %(n)d "
                                                   "characters.") % {"n": OPEN_MAX_LENGTH}))
            elif value:
                answers.append(Answer(question=question, text=value))
        errors += [e for e in row_errors if e is not None]
        if not row_errors:
            planned.append((n, survey, registration, answers))
    errors += [(header_row, key, _("Missing column: the %(moment)s survey asks this question "
                                   "on a 1–5 scale.") % {"moment": moment})
               for key, moment in missing.items()]
    return planned, errors


def import_answers(encounter: Encounter, raw: bytes, filename: str) -> ImportResult:
    """Import every row or none. Raises ImportError_ listing every problem found."""
    planned, errors = parse(encounter, raw, filename)
    if errors:
        raise ImportError_(sorted(errors, key=lambda e: (e[0], str(e[1]))))
    result = ImportResult()
    now = timezone.now()
    with transaction.atomic():
        for _n, survey, registration, answers in planned:
            response = Response.objects.create(
                survey=survey, respondent=services.respondent_key(registration),
                sector=registration.sector, submitted_at=now)
            for answer in answers:
                answer.response = response
            Answer.objects.bulk_create(answers)
            result.rows += 1
            setattr(result, survey.moment, getattr(result, survey.moment) + 1)
    return result
