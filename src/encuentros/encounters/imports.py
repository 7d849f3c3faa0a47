"""Bulk import of registrations from CSV/XLSX spreadsheets, and their export.

Imports are atomic: every row is validated first, every error is reported with its row number
and column, and nothing is written when any row fails.
"""

import csv
import io
from dataclasses import dataclass, field

import openpyxl
import tablib
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from encuentros.core import uploads
from encuentros.core.sectors import Sector, parse_sector
from encuentros.core.text import normalize, spreadsheet_safe
from encuentros.ecosystem.models import Organization, Person

from . import services
from .models import Encounter, Registration

# Column name (normalized) -> field. Spanish and English spellings from typical form exports.
COLUMNS = {
    "full_name": ["nombre", "nombre completo", "name", "full name", "full_name",
                  "nombre y apellidos"],
    "email": ["email", "correo", "correo electronico", "e-mail", "mail", "correo-e"],
    "organization": ["organizacion", "organization", "dependencia", "institucion",
                     "organizacion / dependencia", "empresa"],
    "sector": ["sector"],
    "topics": ["temas", "temas de interes", "topics", "topics of interest", "intereses"],
    "public_profile": ["perfil publico", "public profile", "public_profile",
                       "consiento perfil publico", "consentimiento perfil publico"],
    "accessibility_needs": ["accesibilidad", "necesidades de accesibilidad",
                            "accessibility", "accessibility needs", "accessibility_needs"],
    "phone": ["telefono", "phone", "celular"],
}
REQUIRED = ("full_name", "email", "sector")
_ALIAS = {alias: key for key, aliases in COLUMNS.items() for alias in aliases}
_TRUE = {"si", "sí", "yes", "y", "true", "1", "x", "s", "verdadero"}
_FALSE = {"no", "n", "false", "0", "", "falso"}
NO_ORGANIZATION = {"", "ninguna", "sin organizacion", "none", "no organization", "n/a", "na", "-"}

MAX_ROWS = 20000


class ImportError_(Exception):
    """The whole file was rejected; ``errors`` lists (row, column, message)."""

    def __init__(self, errors):
        super().__init__("; ".join(f"{r}:{c}: {m}" for r, c, m in errors))
        self.errors = errors


@dataclass
class ImportResult:
    registered: int = 0
    waitlisted: int = 0
    new_organizations: int = 0
    new_people: int = 0
    rows: int = 0
    errors: list = field(default_factory=list)


def decode(raw: bytes) -> str:
    """Spreadsheets from forms come as UTF-8 (often with a BOM), UTF-16, or Windows-1252/Latin-1.

    Raises ImportError_ (row = the line) for binary data or a file that mixes encodings.
    """
    try:
        return uploads.decode_text(raw)
    except uploads.TextDecodingError as exc:
        raise ImportError_([(exc.line, "", exc.message)]) from exc


def cell_text(value) -> str:
    """A spreadsheet cell as text: 2.0 → "2" (numbers typed in a sheet), None → ""."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_table(raw: bytes, filename: str):
    """(header row number, header, [(row number, cells)]) from CSV (any of , ; tab) or XLSX.

    Row numbers are the spreadsheet's, blank rows included, so errors point at the right row.
    Whole-file problems (size, encoding, not a workbook) raise ImportError_.
    """
    problem = uploads.size_problem(len(raw))
    if problem:
        raise ImportError_([(0, "", problem)])
    name = filename.lower()
    if name.endswith(".xlsx") or uploads.is_zip(raw):
        problem = uploads.xlsx_problem(raw)
        if problem:
            raise ImportError_([(0, "", problem)])
        try:
            wb = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
            rows = [[cell_text(v) for v in row]
                    for row in wb.worksheets[0].iter_rows(values_only=True)]
        except Exception as exc:  # noqa: BLE001 - any parse failure is a bad file
            message = _("The file is not a readable XLSX spreadsheet.")
            raise ImportError_([(0, "", message)]) from exc
    else:
        text = decode(raw)
        sample = text[:4096]
        try:
            dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel
        reader = csv.reader(io.StringIO(text), dialect)
        try:
            rows = [[cell.strip() for cell in row] for row in reader]
        except csv.Error as exc:
            row = reader.line_num or 1
            raise ImportError_([(row, "", _("Line %(line)s cannot be read as CSV: %(error)s")
                                 % {"line": row, "error": exc})]) from exc
    numbered = [(n, r) for n, r in enumerate(rows, start=1) if any(cell for cell in r)]
    if not numbered:
        raise ImportError_([(1, "", _("The file is empty."))])
    (header_row, header), data = numbered[0], numbered[1:]
    return header_row, header, data


def read_rows(raw: bytes, filename: str) -> tuple[list[str], list[list[str]]]:
    """Header and non-blank data rows as strings (see read_table for their row numbers)."""
    _n, header, data = read_table(raw, filename)
    return header, [r for _n, r in data]


def _map_header(header: list[str], header_row: int = 1):
    mapping, errors, seen = {}, [], {}
    for index, title in enumerate(header):
        key = _ALIAS.get(normalize(title))
        if not key:
            continue  # unknown columns (timestamps, form metadata) are ignored
        if key in seen:
            errors.append((header_row, title, _(
                "Columns “%(first)s” and “%(second)s” both hold %(column)s: keep only one.")
                % {"first": header[seen[key]], "second": title, "column": key}))
            continue
        mapping[index] = key
        seen[key] = index
    for key in REQUIRED:
        if key not in seen:
            message = _("Missing required column “%(column)s” (accepted: %(aliases)s).")
            errors.append((header_row, key, message % {"column": key,
                                                       "aliases": ", ".join(COLUMNS[key][:3])}))
    return mapping, errors


def _parse_bool(value: str):
    key = normalize(value)
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    return None


def _show(value: str, limit: int = 60) -> str:
    """A cell's value for an error message: never a whole huge cell."""
    value = str(value)
    return value if len(value) <= limit else value[:limit] + "…"


# Longest values the database takes (PostgreSQL refuses longer ones).
MAX_LENGTHS = {"full_name": 200, "email": 254, "organization": 255, "phone": 40}
TOPIC_MAX_LENGTH = 120


def parse(raw: bytes, filename: str):
    """Validate every row: (clean rows, errors, header names by field).

    Row numbers are the spreadsheet's (1 = header); columns are named as in the file. Columns
    that are not ours are ignored; two columns for the same field are refused.
    """
    header_row, header, rows = read_table(raw, filename)
    mapping, errors = _map_header(header, header_row)
    header_names = {key: header[i] for i, key in mapping.items()}
    if errors:
        return [], errors, header_names
    if not rows:
        return [], [(header_row + 1, "", _("The file has a header but no rows of data."))], \
            header_names
    if len(rows) > MAX_ROWS:
        return [], [(0, "", _("Too many rows: the limit is %(n)s.") % {"n": MAX_ROWS})], \
            header_names
    clean, emails = [], {}
    for offset, row in rows:
        values = {key: (row[i] if i < len(row) else "") for i, key in mapping.items()}
        row_errors = []

        def err(key, message, _row=offset, _row_errors=row_errors):
            _row_errors.append((_row, header_names.get(key, key), message))

        for key, value in values.items():
            if uploads.garbled(value):
                err(key, _("“%(value)s” looks garbled: the file was saved in one encoding and "
                           "read in another. Save it again as CSV UTF-8.")
                    % {"value": _show(value)})
            elif key in MAX_LENGTHS and len(value) > MAX_LENGTHS[key] and key != "full_name":
                err(key, _("The value is longer than %(n)s characters.")
                    % {"n": MAX_LENGTHS[key]})
        name = " ".join(values.get("full_name", "").split())
        if not name:
            err("full_name", _("The name is empty."))
        elif len(name) > 200:
            err("full_name", _("The name is longer than 200 characters."))
        email = values.get("email", "").strip().lower()
        try:
            if len(email) > MAX_LENGTHS["email"]:
                raise ValidationError("too long")
            validate_email(email)
        except ValidationError:
            err("email", _("“%(value)s” is not a valid email address.")
                % {"value": _show(email)})
        else:
            if email in emails:
                err("email", _("The email %(email)s is repeated (also in row %(row)s).")
                    % {"email": email, "row": emails[email]})
            emails.setdefault(email, offset)
        org = " ".join(values.get("organization", "").split())
        if normalize(org) in NO_ORGANIZATION:
            org = ""
        sector = parse_sector(values.get("sector", ""))
        if sector is None:
            if not values.get("sector", "").strip() and not org:
                sector = Sector.CITIZEN
            else:
                err("sector", _("Unknown sector “%(value)s” (use: %(choices)s).")
                    % {"value": _show(values.get("sector", "")),
                       "choices": ", ".join(str(label) for label in Sector.labels)})
        public = _parse_bool(values.get("public_profile", ""))
        if public is None:
            err("public_profile", _("Answer yes or no, not “%(value)s”.")
                % {"value": _show(values.get("public_profile", ""))})
        topics = [t.strip() for t in values.get("topics", "").replace(";", ",").split(",")
                  if t.strip()]
        if any(len(" ".join(t.split())) > TOPIC_MAX_LENGTH for t in topics):
            err("topics", _("A topic is longer than %(n)s characters.")
                % {"n": TOPIC_MAX_LENGTH})
        if row_errors:
            errors.extend(row_errors)
            continue
        clean.append((offset, services.RegistrationData(
            full_name=name, email=email, sector=sector, organization_name=org,
            topics=tuple(topics), public_profile=bool(public),
            accessibility_needs=values.get("accessibility_needs", ""),
            phone=values.get("phone", ""),
        )))
    return clean, errors, header_names


def import_registrations(encounter: Encounter, raw: bytes, filename: str,
                         progress=None) -> ImportResult:
    """Import every row or none. Raises ImportError_ listing every problem found."""
    clean, errors, header_names = parse(raw, filename)
    if errors:
        raise ImportError_(sorted(errors, key=lambda e: (e[0], str(e[1]))))
    orgs_before = Organization.objects.count()
    people_before = Person.objects.count()
    rows = {data.email: row for row, data in clean}
    try:
        registrations = services.register_many(encounter, [d for _r, d in clean],
                                               source="import")
    except services.AlreadyRegistered as exc:
        message = _("The email %(email)s is already registered for this encounter.")
        raise ImportError_([(rows[email], header_names["email"], message % {"email": email})
                            for email in exc.emails]) from exc
    result = ImportResult(rows=len(clean))
    for registration in registrations:
        if registration.status == Registration.Status.REGISTERED:
            result.registered += 1
        else:
            result.waitlisted += 1
        if progress:
            progress(rows[registration.person.email])
    result.new_organizations = Organization.objects.count() - orgs_before
    result.new_people = Person.objects.count() - people_before
    return result


EXPORT_HEADERS = [
    ("number", "#"), ("full_name", "name"), ("email", "email"), ("phone", "phone"),
    ("sector", "sector"), ("organization", "organization"), ("topics", "topics"),
    ("public_profile", "public_profile"), ("accessibility_needs", "accessibility_needs"),
    ("status", "status"), ("registered_at", "registered_at"), ("checked_in_at", "checked_in_at"),
    ("badge_code", "badge_code"),
]


def export_dataset(encounter: Encounter) -> tablib.Dataset:
    """All registrations of an encounter (organizer only: contains personal data)."""
    dataset = tablib.Dataset(headers=[h for _k, h in EXPORT_HEADERS])
    qs = (encounter.registrations.select_related("person", "organization")
          .prefetch_related("topics").order_by("created_at", "pk"))
    for n, reg in enumerate(qs, start=1):
        values = [
            n, reg.person.full_name, reg.person.email or "", reg.person.phone,
            reg.sector, reg.organization.name if reg.organization else "",
            ", ".join(t.name for t in reg.topics.all()),
            "yes" if reg.person.public_profile else "no", reg.accessibility_needs,
            reg.status, reg.created_at.isoformat(timespec="seconds"),
            reg.checked_in_at.isoformat(timespec="seconds") if reg.checked_in_at else "",
            reg.badge_token,
        ]
        dataset.append([spreadsheet_safe(v) for v in values])
    return dataset
