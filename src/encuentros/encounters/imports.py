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
    """Spreadsheets from forms come as UTF-8 (often with a BOM), or Windows-1252/Latin-1."""
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="strict") if _cp1252_ok(raw) else raw.decode("latin-1")


def _cp1252_ok(raw: bytes) -> bool:
    try:
        raw.decode("cp1252")
        return True
    except UnicodeDecodeError:
        return False


def read_rows(raw: bytes, filename: str) -> tuple[list[str], list[list[str]]]:
    """Header and data rows as strings, from CSV (any of , ; tab) or XLSX."""
    name = filename.lower()
    if name.endswith(".xlsx") or raw[:2] == b"PK":
        try:
            wb = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
        except Exception as exc:  # noqa: BLE001 - any parse failure is a bad file
            message = _("The file is not a readable XLSX spreadsheet.")
            raise ImportError_([(0, "", message)]) from exc
        ws = wb.worksheets[0]
        rows = [["" if v is None else str(v).strip() for v in row]
                for row in ws.iter_rows(values_only=True)]
    else:
        text = decode(raw)
        sample = text[:4096]
        try:
            dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel
        rows = [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text), dialect)]
    rows = [r for r in rows if any(cell for cell in r)]
    if not rows:
        raise ImportError_([(0, "", _("The file is empty."))])
    return rows[0], rows[1:]


def _map_header(header: list[str]):
    mapping, errors, seen = {}, [], set()
    for index, title in enumerate(header):
        key = _ALIAS.get(normalize(title))
        if key and key not in seen:
            mapping[index] = key
            seen.add(key)
    for key in REQUIRED:
        if key not in seen:
            message = _("Missing required column “%(column)s” (accepted: %(aliases)s).")
            errors.append((1, key, message % {"column": key,
                                              "aliases": ", ".join(COLUMNS[key][:3])}))
    return mapping, errors


def _parse_bool(value: str):
    key = normalize(value)
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    return None


def parse(raw: bytes, filename: str):
    """Validate every row: (clean rows, errors, header names by field).

    Row numbers are the spreadsheet's (1 = header); columns are named as in the file.
    """
    header, rows = read_rows(raw, filename)
    mapping, errors = _map_header(header)
    header_names = {key: header[i] for i, key in mapping.items()}
    if errors:
        return [], errors, header_names
    if len(rows) > MAX_ROWS:
        return [], [(0, "", _("Too many rows: the limit is %(n)s.") % {"n": MAX_ROWS})], \
            header_names
    clean, emails = [], {}
    for offset, row in enumerate(rows, start=2):
        values = {key: (row[i] if i < len(row) else "") for i, key in mapping.items()}
        row_errors = []

        def err(key, message, _row=offset, _row_errors=row_errors):
            _row_errors.append((_row, header_names.get(key, key), message))

        name = " ".join(values.get("full_name", "").split())
        if not name:
            err("full_name", _("The name is empty."))
        elif len(name) > 200:
            err("full_name", _("The name is longer than 200 characters."))
        email = values.get("email", "").strip().lower()
        try:
            validate_email(email)
        except ValidationError:
            err("email", _("“%(value)s” is not a valid email address.") % {"value": email})
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
                    % {"value": values.get("sector", ""),
                       "choices": ", ".join(str(label) for label in Sector.labels)})
        public = _parse_bool(values.get("public_profile", ""))
        if public is None:
            err("public_profile", _("Answer yes or no, not “%(value)s”.")
                % {"value": values.get("public_profile", "")})
        topics = [t.strip() for t in values.get("topics", "").replace(";", ",").split(",")
                  if t.strip()]
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
