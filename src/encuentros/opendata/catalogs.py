"""Reading dataset catalogs in the formats real portals publish, and importing them.

Formats (detected from the content): CKAN Action API responses (``package_search`` and
``package_show``, or a bare list of packages), DCAT as JSON-LD (DCAT-AP, ``@graph``), DCAT as
RDF/XML, and Project Open Data ``data.json`` (v1.1). Every format becomes the same
:class:`Record`; a record without identifier or title is an error naming where it is, and a file
with any error imports nothing. Re-importing updates the datasets of that catalog by
identifier, never duplicates them.
"""

from __future__ import annotations

import datetime as dt
import json
import pyexpat
import urllib.request
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from encuentros.core import uploads
from encuentros.core.sectors import Sector
from encuentros.ecosystem.models import Organization
from encuentros.ecosystem.services import find_organization, get_or_create_topics

from .models import Dataset

MAX_BYTES = 50 * 2**20
FETCH_TIMEOUT = 30
NS = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
}


class CatalogError(ValueError):
    """The catalog cannot be imported; the message names the record or field."""


@dataclass
class Record:
    identifier: str
    title: str
    description: str = ""
    publisher: str = ""
    themes: list[str] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)
    formats: list[str] = field(default_factory=list)
    licence: str = ""
    landing_url: str = ""
    modified: dt.date | None = None
    where: str = ""  # its place in the file, e.g. result[3]


# --- Reading ---------------------------------------------------------------------------------

def read_source(source: str) -> bytes:
    """A local file or an http(s) URL, at most MAX_BYTES."""
    if source.startswith(("http://", "https://")):
        request = urllib.request.Request(source, headers={"User-Agent": "Encuentros/1.0",
                                                          "Accept": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=FETCH_TIMEOUT) as response:
                data = response.read(MAX_BYTES + 1)
        except OSError as exc:
            raise CatalogError(_("Could not download %(url)s: %(error)s")
                               % {"url": source, "error": exc}) from exc
    else:
        try:
            with open(source, "rb") as fh:
                data = fh.read(MAX_BYTES + 1)
        except OSError as exc:
            raise CatalogError(_("Could not read %(path)s: %(error)s")
                               % {"path": source, "error": exc.strerror}) from exc
    if len(data) > MAX_BYTES:
        raise CatalogError(_("The catalog is larger than %(mb)s MB.")
                           % {"mb": round(MAX_BYTES / 2**20, 2)})
    return data


def parse(data: bytes | str) -> tuple[str, list[Record]]:
    """(format name, records) for a catalog document.

    Fields a format has and we do not use are ignored; anything that would be silently lost or
    ambiguous (an object with the same key twice, two records with one identifier, a DOCTYPE
    in XML) is refused with its place in the file.
    """
    if len(data) > MAX_BYTES:
        raise CatalogError(_("The catalog is larger than %(mb)s MB.")
                           % {"mb": round(MAX_BYTES / 2**20, 2)})
    if isinstance(data, bytes) and data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        return "DCAT (RDF/XML)", _parse_rdf_xml(data)  # the XML declaration names the encoding
    if isinstance(data, bytes) and data[:2] in (b"\xff\xfe", b"\xfe\xff") \
            and data.decode("utf-16", errors="replace").lstrip().startswith("<"):
        return "DCAT (RDF/XML)", _parse_rdf_xml(data)
    if isinstance(data, bytes):
        try:
            data = uploads.decode_text(data)
        except uploads.TextDecodingError as exc:
            raise CatalogError(exc.message) from exc
    text = data.lstrip("\ufeff \t\r\n")
    if not text:
        raise CatalogError(_("The catalog is empty."))
    if text.startswith("<"):
        return "DCAT (RDF/XML)", _parse_rdf_xml(text)
    try:
        doc = json.loads(text, object_pairs_hook=_JSONObject.from_pairs)
    except json.JSONDecodeError as exc:
        raise CatalogError(_("The catalog is not valid JSON (line %(line)s, column %(col)s): "
                             "%(msg)s") % {"line": exc.lineno, "col": exc.colno,
                                           "msg": exc.msg}) from exc
    except RecursionError as exc:
        raise CatalogError(_("The catalog nests objects too deeply.")) from exc
    _check_duplicate_keys(doc)
    fmt, records = _records(doc)
    if not records:
        raise CatalogError(_("The catalog has no datasets (read as %(format)s).")
                           % {"format": fmt})
    return fmt, records


def _records(doc) -> tuple[str, list[Record]]:
    if isinstance(doc, dict) and ("@graph" in doc or _is_dcat_type(doc.get("@type"))
                                  or (_is_dcat_type(doc.get("@type"), "Catalog")
                                      and "dataset" not in doc)):
        return "DCAT (JSON-LD)", _parse_jsonld(doc)
    if isinstance(doc, dict) and isinstance(doc.get("dataset"), list):
        return "data.json", [_from_pod(d, f"dataset[{i}]") for i, d in enumerate(doc["dataset"])]
    packages = _ckan_packages(doc)
    if packages is not None:
        prefix = "result" if isinstance(doc, dict) else ""
        return "CKAN", [_from_ckan(p, f"{prefix}[{i}]") for i, p in enumerate(packages)]
    raise CatalogError(_("Unknown catalog format: expected a CKAN API response, DCAT "
                         "(JSON-LD or RDF/XML) or a data.json catalog."))


class _JSONObject(dict):
    """A JSON object that remembers the keys it had twice (json keeps only the last value)."""

    duplicates: tuple = ()

    @classmethod
    def from_pairs(cls, pairs):
        obj = cls(pairs)
        if len(obj) != len(pairs):
            seen, repeated = set(), []
            for key, _value in pairs:
                if key in seen and key not in repeated:
                    repeated.append(key)
                seen.add(key)
            obj.duplicates = tuple(repeated)
        return obj


def _check_duplicate_keys(doc) -> None:
    """Refuse an object with the same key twice, naming its JSON path."""
    stack = [(doc, "$")]
    while stack:
        node, path = stack.pop()
        if isinstance(node, dict):
            if getattr(node, "duplicates", ()):
                raise CatalogError(_("%(where)s: the key %(key)r appears twice in the same "
                                     "object.") % {"where": path, "key": node.duplicates[0]})
            stack.extend((v, f"{path}.{k}" if path != "$" else str(k))
                         for k, v in reversed(node.items()))
        elif isinstance(node, list):
            stack.extend((v, f"{path}[{i}]" if path != "$" else f"[{i}]")
                         for i, v in reversed(list(enumerate(node))))


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
        return True
    except UnicodeDecodeError:
        return False


def _date(value, where: str) -> dt.date | None:
    if not value:
        return None
    if isinstance(value, dict):
        value = value.get("@value", "")
    text = str(value).strip()
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError as exc:
        raise CatalogError(_("%(where)s: the date %(value)r is not ISO 8601 (YYYY-MM-DD).")
                           % {"where": where, "value": text}) from exc


IDENTIFIER_MAX_LENGTH = 300
THEME_MAX_LENGTH = 120


def _require(record: Record, where: str) -> Record:
    if not record.identifier:
        raise CatalogError(_("%(where)s: missing identifier.") % {"where": where})
    if not record.title:
        raise CatalogError(_("%(where)s: missing title.") % {"where": where})
    if len(record.identifier) > IDENTIFIER_MAX_LENGTH:
        raise CatalogError(_("%(where)s: the identifier is longer than %(n)s characters.")
                           % {"where": where, "n": IDENTIFIER_MAX_LENGTH})
    for theme in record.themes:
        if len(" ".join(theme.split())) > THEME_MAX_LENGTH:
            raise CatalogError(_("%(where)s: the theme “%(theme)s…” is longer than %(n)s "
                                 "characters.") % {"where": where, "theme": theme[:40],
                                                   "n": THEME_MAX_LENGTH})
    record.where = where
    return record


def _text(value, where: str) -> str:
    """A text field: strings as they are, numbers as text; anything else is an error."""
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise CatalogError(_("%(where)s: expected text, found %(kind)s.")
                           % {"where": where, "kind": _json_kind(value)})
    return str(value).strip()


def _json_kind(value) -> str:
    if isinstance(value, dict):
        return _("an object")
    if isinstance(value, list):
        return _("a list")
    if isinstance(value, bool):
        return _("true/false")
    return _("a number") if isinstance(value, (int, float)) else type(value).__name__


def _list(value) -> list:
    """A list field that some portals publish as a single object."""
    if value is None or value == "":
        return []
    return value if isinstance(value, list) else [value]


def _texts(values) -> list[str]:
    if values is None:
        return []
    if isinstance(values, (str, dict)):
        values = [values]
    out = []
    for v in values:
        if isinstance(v, dict):
            v = v.get("@value") or v.get("display_name") or v.get("title") or v.get("name") \
                or v.get("@id") or ""
        v = str(v).strip()
        if v and v not in out:
            out.append(v)
    return out


def _format_name(value: str) -> str:
    value = (value or "").strip()
    if "/" in value:  # a media type or a URI
        value = value.rstrip("/").rsplit("/", 1)[-1]
    return value.upper()[:30]


# CKAN
def _ckan_packages(doc):
    if isinstance(doc, list):
        return doc
    if not isinstance(doc, dict):
        return None
    if doc.get("success") is False:
        error = doc.get("error") or {}
        raise CatalogError(_("The CKAN API answered with an error: %(msg)s")
                           % {"msg": error.get("message", error)})
    result = doc.get("result")
    if isinstance(result, dict) and isinstance(result.get("results"), list):
        return result["results"]  # package_search
    if isinstance(result, dict) and "name" in result:
        return [result]  # package_show
    if isinstance(result, list):
        return result
    if "name" in doc and "resources" in doc:
        return [doc]
    return None


def _from_ckan(p: dict, where: str) -> Record:
    if not isinstance(p, dict):
        raise CatalogError(_("%(where)s: a package must be an object.") % {"where": where})
    org = p.get("organization") or {}
    publisher = ""
    if isinstance(org, dict):
        publisher = _text(org.get("title") or org.get("name"), where + ".organization.title")
    publisher = publisher or _text(p.get("author"), where + ".author")
    return _require(Record(
        identifier=_text(p.get("id") or p.get("name"), where + ".id"),
        title=_text(p.get("title") or p.get("name"), where + ".title"),
        description=_text(p.get("notes"), where + ".notes"),
        publisher=publisher,
        themes=_texts(_list(p.get("groups"))),
        keywords=_texts(_list(p.get("tags"))),
        formats=sorted({_format_name(_text(r.get("format") or r.get("mimetype"),
                                           f"{where}.resources[{i}].format"))
                        for i, r in enumerate(_list(p.get("resources")))
                        if isinstance(r, dict)} - {""}),
        licence=_text(p.get("license_title") or p.get("license_id"), where + ".license_title"),
        landing_url=_text(p.get("url"), where + ".url"),
        modified=_date(p.get("metadata_modified"), where + ".metadata_modified"),
    ), where)


# data.json (Project Open Data 1.1)
def _from_pod(d: dict, where: str) -> Record:
    if not isinstance(d, dict):
        raise CatalogError(_("%(where)s: a dataset must be an object.") % {"where": where})
    publisher = d.get("publisher") or {}
    return _require(Record(
        identifier=_text(d.get("identifier"), where + ".identifier"),
        title=_text(d.get("title"), where + ".title"),
        description=_text(d.get("description"), where + ".description"),
        publisher=_text(publisher.get("name"), where + ".publisher.name")
        if isinstance(publisher, dict) else _text(publisher, where + ".publisher"),
        themes=_texts(_list(d.get("theme"))),
        keywords=_texts(_list(d.get("keyword"))),
        formats=sorted({_format_name(_text(x.get("format") or x.get("mediaType"),
                                           f"{where}.distribution[{i}].format"))
                        for i, x in enumerate(_list(d.get("distribution")))
                        if isinstance(x, dict)} - {""}),
        licence=_text(d.get("license"), where + ".license"),
        landing_url=_text(d.get("landingPage"), where + ".landingPage"),
        modified=_date(d.get("modified"), where + ".modified"),
    ), where)


# DCAT JSON-LD
def _is_dcat_type(value, kind="Dataset") -> bool:
    values = value if isinstance(value, list) else [value]
    return any(isinstance(v, str) and (v == kind or v.endswith(f"dcat:{kind}")
                                       or v.endswith(f"dcat#{kind}")) for v in values)


def _get(node: dict, *names):
    for name in names:
        for key in (name, name.split(":", 1)[-1],
                    NS.get(name.split(":")[0], "") + name.split(":", 1)[-1]):
            if key in node:
                return node[key]
    return None


def _parse_jsonld(doc: dict) -> list[Record]:
    nodes = doc.get("@graph", [doc])
    if not isinstance(nodes, list):
        raise CatalogError(_("@graph must be a list."))
    by_id = {n["@id"]: n for n in nodes if isinstance(n, dict) and isinstance(n.get("@id"), str)}

    def resolve(value):
        if isinstance(value, dict) and set(value) == {"@id"} and isinstance(value["@id"], str):
            return by_id.get(value["@id"], value)
        return value

    datasets = [n for n in nodes if isinstance(n, dict) and _is_dcat_type(n.get("@type"))]
    for n in nodes:  # datasets nested in a catalog node
        if isinstance(n, dict) and _is_dcat_type(n.get("@type"), "Catalog"):
            inner = _get(n, "dcat:dataset") or []
            for d in inner if isinstance(inner, list) else [inner]:
                d = resolve(d)
                if isinstance(d, dict) and d not in datasets and _is_dcat_type(d.get("@type")):
                    datasets.append(d)
    records = []
    for i, d in enumerate(datasets):
        where = f"dcat:Dataset[{i}]"
        publisher = resolve(_get(d, "dct:publisher")) or {}
        pub_name = _texts(_get(publisher, "foaf:name", "vcard:fn", "skos:prefLabel")
                          if isinstance(publisher, dict) else publisher)
        dists = _get(d, "dcat:distribution") or []
        formats = set()
        for x in dists if isinstance(dists, list) else [dists]:
            x = resolve(x)
            if isinstance(x, dict):
                for f in _texts(_get(x, "dct:format", "dcat:mediaType")):
                    formats.add(_format_name(f))
        themes = [resolve(t) for t in (_get(d, "dcat:theme") or [])] \
            if isinstance(_get(d, "dcat:theme"), list) else [resolve(_get(d, "dcat:theme"))]
        theme_names = []
        for t in themes:
            if isinstance(t, dict):
                theme_names += _texts(_get(t, "skos:prefLabel", "dct:title")) or _texts(t)
            elif t:
                theme_names.append(str(t).rstrip("/").rsplit("/", 1)[-1])
        licence = _get(d, "dct:license")
        licence = resolve(licence)
        records.append(_require(Record(
            identifier=_text((_texts(_get(d, "dct:identifier")) or [d.get("@id", "")])[0],
                             where + ".dct:identifier"),
            title=(_texts(_get(d, "dct:title")) or [""])[0],
            description=(_texts(_get(d, "dct:description")) or [""])[0],
            publisher=pub_name[0] if pub_name else "",
            themes=theme_names, keywords=_texts(_get(d, "dcat:keyword")),
            formats=sorted(formats - {""}),
            licence=_text((_texts(_get(licence, "dct:title")) or [licence.get("@id", "")])[0],
                          where + ".dct:license")
            if isinstance(licence, dict) else _text(licence, where + ".dct:license"),
            landing_url=(_texts(_get(d, "dcat:landingPage")) or [""])[0],
            modified=_date(_get(d, "dct:modified"), where + ".dct:modified"),
        ), where))
    return records


# DCAT RDF/XML
class _Forbidden(Exception):
    def __init__(self, what, line, column):
        super().__init__(what)
        self.what, self.line, self.column = what, line, column


def _check_xml(data: bytes | str) -> None:
    """A first pass with expat that refuses DOCTYPE and ENTITY declarations before anything
    is expanded ("billion laughs", external entities), and reports malformed XML with its line
    and column."""
    parser = pyexpat.ParserCreate()

    def forbid(what):
        def handler(*_args):
            raise _Forbidden(what, parser.CurrentLineNumber, parser.CurrentColumnNumber + 1)
        return handler

    parser.StartDoctypeDeclHandler = forbid("DOCTYPE")
    parser.EntityDeclHandler = forbid("ENTITY")
    parser.ExternalEntityRefHandler = forbid("ENTITY")
    try:
        parser.Parse(data, True)
    except _Forbidden as exc:
        raise CatalogError(_("The catalog XML declares a %(what)s (line %(line)s, column "
                             "%(col)s); catalogs with DOCTYPE or ENTITY declarations are "
                             "refused.") % {"what": exc.what, "line": exc.line,
                                            "col": exc.column}) from None
    except pyexpat.ExpatError as exc:
        raise CatalogError(_("The catalog is not valid XML: %(msg)s")
                           % {"msg": f"{pyexpat.ErrorString(exc.code)}: line {exc.lineno}, "
                                     f"column {exc.offset + 1}"}) from None


def _parse_rdf_xml(data: bytes | str) -> list[Record]:
    _check_xml(data)
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise CatalogError(_("The catalog is not valid XML: %(msg)s") % {"msg": exc}) from exc

    def q(name):
        prefix, local = name.split(":")
        return f"{{{NS[prefix]}}}{local}"

    def txt(el, name):
        found = el.find(q(name))
        if found is None:
            return ""
        resource = found.get(q("rdf:resource"))
        return (found.text or "").strip() or (resource or "")

    records = []
    for i, d in enumerate(root.iter(q("dcat:Dataset"))):
        where = f"dcat:Dataset[{i}]"
        publisher = ""
        pub = d.find(q("dct:publisher"))
        if pub is not None:
            name = pub.find(".//" + q("foaf:name"))
            publisher = (name.text or "").strip() if name is not None else ""
        formats = set()
        for dist in d.iter(q("dcat:Distribution")):
            for tag in ("dct:format", "dcat:mediaType"):
                value = txt(dist, tag)
                if value:
                    formats.add(_format_name(value))
        themes = []
        for t in d.findall(q("dcat:theme")):
            label = t.find(".//" + q("skos:prefLabel"))
            value = (label.text if label is not None else t.get(q("rdf:resource"))) or ""
            if value:
                themes.append(value.rstrip("/").rsplit("/", 1)[-1])
        records.append(_require(Record(
            identifier=txt(d, "dct:identifier") or d.get(q("rdf:about"), ""),
            title=txt(d, "dct:title"), description=txt(d, "dct:description"),
            publisher=publisher, themes=themes,
            keywords=[(k.text or "").strip() for k in d.findall(q("dcat:keyword")) if k.text],
            formats=sorted(formats), licence=txt(d, "dct:license"),
            landing_url=txt(d, "dcat:landingPage"),
            modified=_date(txt(d, "dct:modified"), where + ".dct:modified"),
        ), where))
    if not records:
        raise CatalogError(_("The RDF/XML document has no dcat:Dataset."))
    return records


# --- Importing -------------------------------------------------------------------------------

@dataclass
class ImportResult:
    format: str
    created: int
    updated: int
    publishers_created: int


def import_catalog(data: bytes | str, source_catalog: str, progress=None) -> ImportResult:
    """Parse, then write everything in one transaction (all or nothing)."""
    fmt, records = parse(data)
    seen: dict[str, Record] = {}
    for r in records:
        if r.identifier in seen:
            raise CatalogError(_("%(where)s: the identifier %(id)r appears twice in the "
                                 "catalog (also at %(first)s).")
                               % {"where": r.where, "id": r.identifier,
                                  "first": seen[r.identifier].where})
        seen[r.identifier] = r
    created = updated = new_publishers = 0
    with transaction.atomic():
        publishers: dict[str, Organization | None] = {}
        existing = {d.identifier: d for d in Dataset.objects.filter(
            source_catalog=source_catalog, identifier__in=seen)}
        for i, r in enumerate(records):
            org = None
            if r.publisher:
                if r.publisher not in publishers:
                    org = find_organization(r.publisher)
                    if org is None:
                        org = Organization.objects.create(
                            name=" ".join(r.publisher.split())[:255], sector=Sector.GOVERNMENT,
                            kind=Organization.Kind.AGENCY)
                        new_publishers += 1
                    publishers[r.publisher] = org
                org = publishers[r.publisher]
            fields = {"title": r.title[:300], "description": r.description,
                      "publisher": org, "keywords": r.keywords[:50], "formats": r.formats[:20],
                      "licence": r.licence[:200], "landing_url": r.landing_url[:500],
                      "modified": r.modified}
            dataset = existing.get(r.identifier)
            if dataset is None:
                dataset = Dataset.objects.create(source_catalog=source_catalog,
                                                 identifier=r.identifier[:300], **fields)
                created += 1
            else:
                for k, v in fields.items():
                    setattr(dataset, k, v)
                dataset.save()
                updated += 1
            dataset.themes.set(get_or_create_topics(r.themes[:20]))
            if progress:
                progress(i + 1, len(records))
    return ImportResult(fmt, created, updated, new_publishers)
