"""Catalog import from the formats real portals publish (samples written by hand following the
CKAN Action API, DCAT-AP and Project Open Data v1.1 schemas)."""

import json
import re

import pytest
from django.core.management import CommandError, call_command

from encuentros.core.sectors import Sector
from encuentros.ecosystem.models import Organization
from encuentros.opendata.catalogs import CatalogError, import_catalog, parse
from encuentros.opendata.models import Dataset

CKAN_SEARCH = {
    "help": "https://datos.cdmx.gob.mx/api/3/action/help_show?name=package_search",
    "success": True,
    "result": {
        "count": 2, "sort": "score desc, metadata_modified desc", "facets": {},
        "results": [
            {"id": "0f1c1b6e-9d1d-4c5b-8a11-1a2b3c4d5e6f", "name": "ecobici-viajes",
             "title": "Viajes de ECOBICI", "notes": "Viajes realizados en el sistema.",
             "license_title": "Creative Commons Attribution", "license_id": "cc-by",
             "metadata_modified": "2024-03-05T18:22:10.123456",
             "url": "https://ecobici.cdmx.gob.mx/datos-abiertos",
             "organization": {"name": "semovi", "title": "SECRETARÍA DE MOVILIDAD"},
             "groups": [{"name": "movilidad", "display_name": "Movilidad"}],
             "tags": [{"name": "bicicletas"}, {"name": "viajes"}],
             "resources": [{"format": "CSV", "url": "https://x/viajes.csv"},
                           {"format": "json", "mimetype": "application/json"}]},
            {"id": "22222222-3333-4444-5555-666666666666", "name": "calidad-del-aire",
             "title": "Calidad del aire", "notes": "Índice de calidad del aire.",
             "license_title": "", "metadata_modified": "2023-11-01T00:00:00",
             "organization": {"name": "sedema", "title": "Secretaría del Medio Ambiente"},
             "groups": [], "tags": [{"name": "aire"}],
             "resources": [{"format": "XLSX"}]},
        ],
    },
}
CKAN_SHOW = {"success": True, "result": CKAN_SEARCH["result"]["results"][0]}
DCAT_JSONLD = {
    "@context": {"dcat": "http://www.w3.org/ns/dcat#", "dct": "http://purl.org/dc/terms/",
                 "foaf": "http://xmlns.com/foaf/0.1/",
                 "skos": "http://www.w3.org/2004/02/skos/core#"},
    "@graph": [
        {"@id": "https://datos.example.org/catalogo", "@type": "dcat:Catalog",
         "dct:title": "Catálogo", "dcat:dataset": [{"@id": "https://datos.example.org/d/1"}]},
        {"@id": "https://datos.example.org/d/1", "@type": "dcat:Dataset",
         "dct:identifier": "arbolado-2024", "dct:title": "Arbolado urbano",
         "dct:description": "Censo de árboles.", "dct:modified": "2024-06-30",
         "dct:publisher": {"@id": "https://datos.example.org/org/sedema"},
         "dcat:keyword": ["árboles", "áreas verdes"],
         "dcat:theme": {"@id": "http://publications.europa.eu/resource/authority/data-theme/ENVI"},
         "dct:license": {"@id": "https://creativecommons.org/licenses/by/4.0/"},
         "dcat:landingPage": "https://datos.example.org/arbolado",
         "dcat:distribution": [{"@type": "dcat:Distribution", "dct:format": "CSV",
                                "dcat:accessURL": "https://x/a.csv"},
                               {"@type": "dcat:Distribution",
                                "dcat:mediaType": "application/geo+json",
                                "dcat:accessURL": "https://x/a.geojson"}]},
        {"@id": "https://datos.example.org/org/sedema", "@type": "foaf:Organization",
         "foaf:name": "Secretaria del Medio Ambiente"},
    ],
}
DCAT_RDF = """<?xml version="1.0" encoding="utf-8"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
         xmlns:dcat="http://www.w3.org/ns/dcat#" xmlns:dct="http://purl.org/dc/terms/"
         xmlns:foaf="http://xmlns.com/foaf/0.1/" xmlns:skos="http://www.w3.org/2004/02/skos/core#">
  <dcat:Catalog rdf:about="https://datos.example.org/catalogo">
    <dcat:dataset>
      <dcat:Dataset rdf:about="https://datos.example.org/d/agua">
        <dct:identifier>consumo-agua</dct:identifier>
        <dct:title>Consumo de agua por colonia</dct:title>
        <dct:description>Metros cúbicos por bimestre.</dct:description>
        <dct:modified>2022-01-15</dct:modified>
        <dcat:keyword>agua</dcat:keyword><dcat:keyword>consumo</dcat:keyword>
        <dct:publisher><foaf:Organization>
          <foaf:name>Sistema de Aguas</foaf:name>
        </foaf:Organization></dct:publisher>
        <dcat:theme><skos:Concept>
          <skos:prefLabel>Medio ambiente</skos:prefLabel>
        </skos:Concept></dcat:theme>
        <dcat:distribution><dcat:Distribution>
          <dct:format>CSV</dct:format>
        </dcat:Distribution></dcat:distribution>
      </dcat:Dataset>
    </dcat:dataset>
  </dcat:Catalog>
</rdf:RDF>"""
DATA_JSON = {
    "conformsTo": "https://project-open-data.cio.gov/v1.1/schema",
    "@type": "dcat:Catalog",
    "dataset": [{
        "@type": "dcat:Dataset", "identifier": "salud-unidades", "accessLevel": "public",
        "title": "Unidades de salud", "description": "Ubicación y horarios.",
        "keyword": ["salud", "hospitales"], "modified": "2021-08-01",
        "publisher": {"@type": "org:Organization", "name": "Secretaría de Salud"},
        "contactPoint": {"fn": "Datos", "hasEmail": "mailto:datos@example.org"},
        "theme": ["Salud"], "license": "https://creativecommons.org/licenses/by/4.0/",
        "landingPage": "https://datos.example.org/salud",
        "distribution": [{"downloadURL": "https://x/u.csv", "mediaType": "text/csv"}],
    }],
}


@pytest.mark.django_db
@pytest.mark.parametrize("doc,fmt,titles", [
    (CKAN_SEARCH, "CKAN", {"Viajes de ECOBICI", "Calidad del aire"}),
    (CKAN_SHOW, "CKAN", {"Viajes de ECOBICI"}),
    (DCAT_JSONLD, "DCAT (JSON-LD)", {"Arbolado urbano"}),
    (DCAT_RDF, "DCAT (RDF/XML)", {"Consumo de agua por colonia"}),
    (DATA_JSON, "data.json", {"Unidades de salud"}),
])
def test_every_format_imports(doc, fmt, titles):
    data = doc if isinstance(doc, str) else json.dumps(doc)
    result = import_catalog(data, "portal")
    assert result.format == fmt and result.created == len(titles)
    assert set(Dataset.objects.values_list("title", flat=True)) == titles


@pytest.mark.django_db
def test_fields_publishers_matched_and_reimport_updates():
    semovi = Organization.objects.create(name="Secretaría de Movilidad", sector=Sector.GOVERNMENT)
    result = import_catalog(json.dumps(CKAN_SEARCH), "datos.cdmx.gob.mx")
    assert result.publishers_created == 1  # SEDEMA created, SEMOVI matched case/accent-free
    ecobici = Dataset.objects.get(identifier="0f1c1b6e-9d1d-4c5b-8a11-1a2b3c4d5e6f")
    assert ecobici.publisher == semovi and ecobici.formats == ["CSV", "JSON"]
    assert ecobici.keywords == ["bicicletas", "viajes"] and ecobici.modified.isoformat() == \
        "2024-03-05"
    assert [t.name for t in ecobici.themes.all()] == ["Movilidad"]
    sedema = Organization.objects.get(name="Secretaría del Medio Ambiente")
    assert sedema.sector == Sector.GOVERNMENT
    changed = json.loads(json.dumps(CKAN_SEARCH))
    changed["result"]["results"][0]["title"] = "Viajes de ECOBICI 2024"
    again = import_catalog(json.dumps(changed), "datos.cdmx.gob.mx")
    assert (again.created, again.updated) == (0, 2) and Dataset.objects.count() == 2
    assert Dataset.objects.get(pk=ecobici.pk).title == "Viajes de ECOBICI 2024"
    # the DCAT publisher "Secretaria del Medio Ambiente" (no accent) is the same organization
    import_catalog(json.dumps(DCAT_JSONLD), "otro")
    assert Dataset.objects.get(identifier="arbolado-2024").publisher == sedema
    arbolado = Dataset.objects.get(identifier="arbolado-2024")
    assert arbolado.formats == ["CSV", "GEO+JSON"] and arbolado.keywords[0] == "árboles"


@pytest.mark.django_db
@pytest.mark.parametrize("bad,message", [
    ('{"result": {"results": [{"id": "x", "title": "ok"}, {"id": "y"}]}}',
     "result[1]: missing title"),
    ('{"dataset": [{"identifier": "a", "title": "A", "modified": "ayer"}]}', "ISO 8601"),
    ('{"result": ', "not valid JSON (line 1"),
    ("<rdf:RDF", "not valid XML"),
    ('{"success": false, "error": {"message": "Not authorized"}}', "Not authorized"),
    ('{"foo": 1}', "Unknown catalog format"),
    ('{"dataset": [{"identifier": "a", "title": "A"}, {"identifier": "a", "title": "B"}]}',
     "appears twice"),
])
def test_bad_files_say_where_and_import_nothing(bad, message):
    with pytest.raises(CatalogError, match=re.escape(message)):
        import_catalog(bad, "portal")
    assert not Dataset.objects.exists() and not Organization.objects.exists()


@pytest.mark.django_db
def test_cli_reads_files_and_urls(tmp_path, monkeypatch, capsys):
    path = tmp_path / "data.json"
    path.write_text(json.dumps(DATA_JSON), encoding="utf-8")
    call_command("import_catalog", str(path), "--catalog", "salud", verbosity=0)
    assert "data.json: 1 created" in capsys.readouterr().out

    class FakeResponse:
        def __init__(self, body):
            self.body = body

        def read(self, n):
            return self.body[:n]

        def __enter__(self):
            return self

        def __exit__(self, *a):
            return False

    monkeypatch.setattr("urllib.request.urlopen",
                        lambda req, timeout: FakeResponse(json.dumps(CKAN_SHOW).encode()))
    call_command("import_catalog", "https://datos.example.org/api/3/action/package_show?id=x",
                 verbosity=0)
    assert Dataset.objects.count() == 2
    with pytest.raises(CommandError, match="Could not read"):
        call_command("import_catalog", str(tmp_path / "missing.json"), verbosity=0)


def test_parse_detects_latin1():
    fmt, records = parse(json.dumps(DATA_JSON, ensure_ascii=False).encode("latin-1"))
    assert fmt == "data.json" and records[0].publisher == "Secretaría de Salud"


@pytest.mark.django_db
def test_messages_are_translated():
    from django.utils import translation

    with translation.override("es-mx"), pytest.raises(CatalogError, match="falta el título"):
        import_catalog('{"dataset": [{"identifier": "a"}]}', "portal")
