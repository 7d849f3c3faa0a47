"""Registration import speed: N-row spreadsheets into a fresh encounter, CSV and XLSX.

Run: .venv/bin/python benchmarks/imports.py [--rows 1000 5000] (uses DATABASE_URL, default a
throw-away SQLite file). Prints a table; no target is asserted here.
"""

import argparse
import datetime as dt
import io
import os
import sys
import tempfile
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "encuentros.settings")
if "DATABASE_URL" not in os.environ:
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from encuentros.encounters import imports  # noqa: E402
from encuentros.encounters.models import Encounter  # noqa: E402

SECTORS = ["Gobierno", "Sociedad civil", "Academia", "Iniciativa privada", "Ciudadanía"]


def make_rows(n):
    rows = [["Nombre", "Correo", "Organización", "Sector", "Temas", "Perfil público"]]
    for i in range(n):
        sector = SECTORS[i % 5]
        org = "" if sector == "Ciudadanía" else f"Organización {i % 300} de {sector}"
        rows.append([f"Persona Número {i}", f"p{i}@example.org", org, sector,
                     "Movilidad; Agua" if i % 2 else "Salud", "sí" if i % 3 else "no"])
    return rows


def as_csv(rows):
    return ("\ufeff" + "\n".join(",".join(r) for r in rows) + "\n").encode("utf-8")


def as_xlsx(rows):
    import openpyxl

    wb = openpyxl.Workbook()
    for r in rows:
        wb.active.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, nargs="+", default=[500, 2000])
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    print(f"database: {connection.vendor}")
    print(f"{'format':<6} {'rows':>7} {'seconds':>9} {'rows/s':>9}")
    number = (Encounter.objects.order_by("-number").values_list("number", flat=True).first()
              or 0) + 1
    for n in args.rows:
        rows = make_rows(n)
        for fmt, raw in (("csv", as_csv(rows)), ("xlsx", as_xlsx(rows))):
            encounter = Encounter.objects.create(
                number=number, title=f"Bench {number}", start_date=dt.date(2030, 1, 1),
                end_date=dt.date(2030, 1, 1), registration_open=True)
            number += 1
            started = time.perf_counter()
            result = imports.import_registrations(encounter, raw, f"bench.{fmt}")
            seconds = time.perf_counter() - started
            assert result.rows == n
            print(f"{fmt:<6} {n:>7} {seconds:>9.2f} {n / seconds:>9.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
