"""Text helpers shared by the apps (no Django models here)."""

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def strip_accents(value: str) -> str:
    decomposed = unicodedata.normalize("NFKD", value)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def normalize(value: str) -> str:
    """Case-, accent- and spacing-insensitive key.

    'Secretaría  de Salud ' -> 'secretaria de salud'
    """
    return _SPACES.sub(" ", strip_accents(value or "").casefold()).strip()


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value):
    """Neutralise spreadsheet formula injection (CSV/XLSX exports): prefix a quote."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value
