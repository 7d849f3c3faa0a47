"""Uploaded files: the size and type checks of every upload form, and the byte-level checks the
importers share (so the command line gets them too).

- ``max_upload_bytes()``: the cap, ``settings.MAX_UPLOAD_MB`` (default 20 MB).
- ``decode_text(raw)``: spreadsheet text as it really comes (UTF-8 with or without BOM, UTF-16,
  Windows-1252/Latin-1); a file that mixes encodings or holds binary data is refused with the
  line where the problem starts.
- ``garbled(text)``: UTF-8 text that went through Latin-1 on its way ("PÃ©rez").
- ``xlsx_problem(raw)``: why bytes are not a workbook that is safe to open (not a ZIP, a ZIP
  without ``[Content_Types].xml``, or one that expands beyond ten times the upload cap).
- ``validate_spreadsheet`` / ``validate_pdf``: form-field validators (size, extension and
  content), with translated messages; ``validate_new_pdf`` for model fields.
"""

import codecs
import io
import re
import zipfile
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MB = 2**20
# An XLSX is compressed XML: real workbooks expand 5–10 times; more than this is a "zip bomb".
XLSX_EXPANSION = 10
SPREADSHEET_EXTENSIONS = (".csv", ".txt", ".xlsx")


def max_upload_bytes() -> int:
    return int(getattr(settings, "MAX_UPLOAD_MB", 20) * MB)


def size_problem(size: int, limit: int | None = None) -> str | None:
    limit = max_upload_bytes() if limit is None else limit
    if size > limit:
        return _("The file is larger than %(max)s MB.") % {"max": _megabytes(limit)}
    return None


def _megabytes(n: int) -> str:
    value = n / MB
    return f"{value:g}" if value >= 1 else f"{value:.2g}"


# --- Text ------------------------------------------------------------------------------------

class TextDecodingError(ValueError):
    """The bytes are not text in an encoding we can trust; ``line`` is where it goes wrong."""

    def __init__(self, message: str, line: int):
        super().__init__(message)
        self.message, self.line = message, line


# A complete multi-byte UTF-8 sequence: its presence next to invalid bytes means mixed encodings.
_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}"
                             rb"|[\xf0-\xf4][\x80-\xbf]{3}")
# Control characters never found in text (tab, line feed, vertical tab, form feed and carriage
# return are allowed).
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")


def _line_of(raw: bytes, offset: int) -> int:
    return raw.count(b"\n", 0, offset) + 1


def _strict(raw: bytes, encoding: str) -> str:
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as exc:
        line = _line_of(raw, exc.start) if "16" not in encoding else \
            raw[:exc.start].decode(encoding, errors="replace").count("\n") + 1
        raise TextDecodingError(_("Line %(line)s is not valid %(encoding)s text.")
                                % {"line": line, "encoding": encoding.upper()}, line) from exc


def decode_text(raw: bytes) -> str:
    """Decode an uploaded text file, or raise TextDecodingError naming the line."""
    if raw.startswith(codecs.BOM_UTF8):
        text = _strict(raw[3:], "utf-8")
    elif raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = _strict(raw, "utf-16")
    elif b"\x00" in raw[:4096]:
        head = raw[:4096]
        even, odd = head[0::2].count(0), head[1::2].count(0)
        if odd > len(head) // 4 and even == 0 and len(raw) % 2 == 0:
            text = _strict(raw, "utf-16-le")  # UTF-16 without a byte-order mark
        elif even > len(head) // 4 and odd == 0 and len(raw) % 2 == 0:
            text = _strict(raw, "utf-16-be")
        else:
            raise TextDecodingError(_("Line %(line)s contains binary data: this is not a text "
                                      "file.") % {"line": _line_of(raw, raw.index(b"\x00"))},
                                    _line_of(raw, raw.index(b"\x00")))
    else:
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            if _UTF8_MULTIBYTE.search(raw):
                line = _line_of(raw, exc.start)
                raise TextDecodingError(
                    _("Line %(line)s is not valid UTF-8 although other lines are: the file "
                      "mixes encodings. Save it again as CSV UTF-8.") % {"line": line},
                    line) from exc
            try:
                text = raw.decode("cp1252")
            except UnicodeDecodeError:
                text = raw.decode("latin-1")
    match = _CONTROL.search(text)
    if match:
        line = text.count("\n", 0, match.start()) + 1
        raise TextDecodingError(_("Line %(line)s contains binary data: this is not a text file.")
                                % {"line": line}, line)
    return text


# "é" saved as UTF-8 and read as Windows-1252 becomes "Ã©"; "—" becomes "â€”".
_CP1252_HIGH = "€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ"
_MOJIBAKE = re.compile(f"[ÂÃ][\u0080-\u00bf{_CP1252_HIGH}]|â€[\u0080-\u00bf{_CP1252_HIGH}]")


def garbled(text: str) -> bool:
    """True when text looks like UTF-8 read as Latin-1/Windows-1252 ("PÃ©rez")."""
    for match in _MOJIBAKE.finditer(text or ""):
        piece = match.group()
        try:
            piece.encode("cp1252").decode("utf-8")
        except UnicodeError:
            try:
                piece.encode("latin-1").decode("utf-8")
            except UnicodeError:
                continue
        return True
    return False


# --- Spreadsheets and PDF --------------------------------------------------------------------

def is_zip(raw: bytes) -> bool:
    return raw[:4] == b"PK\x03\x04"


def xlsx_problem(raw: bytes, *, limit: int | None = None) -> str | None:
    """None when the bytes are an XLSX container that is safe to hand to openpyxl."""
    if not is_zip(raw):
        return _("The file is not an XLSX workbook (an XLSX file is a ZIP archive).")
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        return _("The XLSX file is damaged: it is not a readable ZIP archive.")
    names = {m.filename for m in members}
    if "[Content_Types].xml" not in names:
        return _("The file is a ZIP archive but not an XLSX workbook.")
    limit = (max_upload_bytes() if limit is None else limit) * XLSX_EXPANSION
    if sum(m.file_size for m in members) > limit:
        return _("The workbook expands to more than %(max)s MB when opened; split it into "
                 "smaller files.") % {"max": _megabytes(limit)}
    return None


def _read_upload(f) -> bytes:
    f.seek(0)
    data = f.read(max_upload_bytes() + 1)
    f.seek(0)
    return data


def _extension(f) -> str:
    return PurePath(f.name or "").suffix.lower()


def validate_spreadsheet(f) -> None:
    """Form validator: a CSV (text) or an XLSX (a real workbook) within the size cap."""
    problem = size_problem(f.size)
    if problem:
        raise ValidationError(problem, code="too_large")
    ext = _extension(f)
    if ext not in SPREADSHEET_EXTENSIONS:
        raise ValidationError(_("Upload a .csv or .xlsx file."), code="extension")
    raw = _read_upload(f)
    if not raw.strip():
        raise ValidationError(_("The file is empty."), code="empty")
    if ext == ".xlsx":
        problem = xlsx_problem(raw)
        if problem:
            raise ValidationError(problem, code="content")
        return
    if is_zip(raw) or raw.startswith(b"%PDF-"):
        raise ValidationError(_("The file is named .csv but it is not a text file (it looks "
                                "like a workbook or a PDF)."), code="content")
    try:
        decode_text(raw)
    except TextDecodingError as exc:
        raise ValidationError(exc.message, code="content") from exc


def validate_pdf(f) -> None:
    """Form validator: a PDF (by name and by its first bytes) within the size cap."""
    problem = size_problem(f.size)
    if problem:
        raise ValidationError(problem, code="too_large")
    if _extension(f) != ".pdf":
        raise ValidationError(_("Attach a PDF file."), code="extension")
    f.seek(0)
    head = f.read(5)
    f.seek(0)
    if head != b"%PDF-":
        raise ValidationError(_("The file is named .pdf but it is not a PDF document."),
                              code="content")


def validate_new_pdf(f) -> None:
    """Model-field validator: checks a file being uploaded (any form, the admin included), not
    one already stored (re-saving a record does not re-read its document)."""
    if f and not getattr(f, "_committed", False):
        validate_pdf(f)
