"""The platform's own open data: every public entity as CSV, JSON and XLSX, a Frictionless
Data Package and a DCAT catalog (JSON-LD) describing them, so a CKAN or national portal can
harvest it. Free, no login.

Apps publish a resource with :func:`resource` in their ``open_data.py`` (discovered at
start-up). A resource declares its fields (name, Frictionless type, description) and yields
plain rows; only fields declared here ever leave the platform, so personal data (emails, phones,
names without consent, free text that may contain them) is excluded by construction.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

from encuentros.core.text import spreadsheet_safe

LICENSE = {"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/",
           "title": "Creative Commons Attribution 4.0"}
FORMATS = ("csv", "json", "xlsx")


@dataclass
class Resource:
    name: str  # lowercase, [a-z0-9-_]
    title: str
    description: str
    fields: list[tuple[str, str, str]]  # (name, frictionless type, description)
    rows: Callable[[], Iterable[dict]]

    def table(self) -> list[list]:
        names = [f[0] for f in self.fields]
        return [[row.get(n) for n in names] for row in self.rows()]


_RESOURCES: dict[str, Resource] = {}


def resource(name, title, description, fields):
    def register(func):
        _RESOURCES[name] = Resource(name, str(title), str(description), fields, func)
        return func
    return register


def autodiscover() -> None:
    autodiscover_modules("open_data")


def resources() -> list[Resource]:
    return [_RESOURCES[k] for k in sorted(_RESOURCES)]


def get(name: str) -> Resource | None:
    return _RESOURCES.get(name)


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return "; ".join(str(v) for v in value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def to_csv(res: Resource) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow([f[0] for f in res.fields])
    for row in res.table():
        writer.writerow([spreadsheet_safe(v) if isinstance(v, str) else _cell(v)
                         for v in map(_cell, row)])
    return buf.getvalue().encode("utf-8")


def to_json(res: Resource) -> bytes:
    names = [f[0] for f in res.fields]
    data = [{n: (v.isoformat() if hasattr(v, "isoformat") else v) for n, v in zip(names, row,
                                                                                   strict=True)}
            for row in res.table()]
    return json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8")


def to_xlsx(res: Resource) -> bytes:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(res.name[:31])
    ws.append([f[0] for f in res.fields])
    for row in res.table():
        ws.append([spreadsheet_safe(v) if isinstance(v, str) else _cell(v)
                   for v in map(_cell, row)])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


RENDER = {"csv": (to_csv, "text/csv; charset=utf-8"),
          "json": (to_json, "application/json"),
          "xlsx": (to_xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")}


def datapackage(base_url: str = "") -> dict:
    """Frictionless Data Package descriptor; resource paths are the CSV files."""
    return {
        "name": "encuentros-gobierno-abierto",
        "title": "Encuentros de Gobierno Abierto — datos abiertos de la plataforma",
        "description": "Todo lo público de la plataforma: encuentros, asistencia agregada, "
                       "organizaciones, solicitudes de datos, conjuntos de datos, resultados. "
                       "Sin datos personales.",
        "licenses": [LICENSE],
        "created": timezone.now().replace(microsecond=0).isoformat(),
        "profile": "tabular-data-package",
        "resources": [{
            "name": r.name, "title": r.title, "description": r.description,
            "path": f"{base_url}{r.name}.csv", "format": "csv", "mediatype": "text/csv",
            "encoding": "utf-8", "profile": "tabular-data-resource",
            "schema": {"fields": [{"name": n, "type": t, "description": d}
                                  for n, t, d in r.fields]},
        } for r in resources()],
    }


def dcat_catalog(base_url: str, site_url: str) -> dict:
    """DCAT (JSON-LD) catalog of the distributions, for harvesting (e.g. by ckanext-dcat)."""
    datasets = []
    for r in resources():
        datasets.append({
            "@id": f"{base_url}{r.name}", "@type": "dcat:Dataset",
            "dct:identifier": r.name, "dct:title": r.title, "dct:description": r.description,
            "dct:license": {"@id": LICENSE["path"]},
            "dct:publisher": {"@type": "foaf:Organization",
                              "foaf:name": "Encuentros de Gobierno Abierto"},
            "dcat:distribution": [{
                "@type": "dcat:Distribution", "dct:format": fmt.upper(),
                "dcat:mediaType": RENDER[fmt][1].split(";")[0],
                "dcat:accessURL": {"@id": f"{base_url}{r.name}.{fmt}"},
                "dcat:downloadURL": {"@id": f"{base_url}{r.name}.{fmt}"},
            } for fmt in FORMATS],
        })
    return {
        "@context": {"dcat": "http://www.w3.org/ns/dcat#", "dct": "http://purl.org/dc/terms/",
                     "foaf": "http://xmlns.com/foaf/0.1/"},
        "@id": f"{base_url}catalog.jsonld", "@type": "dcat:Catalog",
        "dct:title": "Encuentros de Gobierno Abierto", "dcat:homepage": {"@id": site_url},
        "dct:license": {"@id": LICENSE["path"]},
        "dcat:dataset": datasets,
    }


def bundle() -> bytes:
    """A ZIP with every resource as CSV and the datapackage.json (relative paths)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("datapackage.json", json.dumps(datapackage(), ensure_ascii=False, indent=1))
        for r in resources():
            zf.writestr(f"{r.name}.csv", to_csv(r))
        zf.writestr("LEEME.txt", "Datos abiertos de la plataforma Encuentros. Licencia "
                                 "CC-BY-4.0. Sin datos personales: solo agregados y contenido "
                                 "público.\n")
    return buf.getvalue()
