"""Hostile catalogs for opendata/catalogs.py (CKAN, DCAT JSON-LD and RDF/XML, data.json).

Decision: fields a catalog format has and we do not use are ignored (portals publish dozens);
what would be lost or ambiguous is refused with its JSON path or XML line: an object with the
same key twice, two datasets with one identifier, a value of the wrong type, DOCTYPE/ENTITY
declarations in XML. A catalog that is valid but has no datasets is refused too.
"""

import json

import pytest
from django.core.management import CommandError, call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from encuentros.opendata import catalogs, publication
from encuentros.opendata.catalogs import CatalogError, import_catalog, parse
from encuentros.opendata.models import Dataset

RDF = ('<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
       'xmlns:dcat="http://www.w3.org/ns/dcat#" xmlns:dct="http://purl.org/dc/terms/">'
       '<dcat:Dataset rdf:about="https://x/d1"><dct:identifier>d1</dct:identifier>'
       '<dct:title>Árboles BODY</dct:title></dcat:Dataset></rdf:RDF>')


def pod(*datasets):
    return json.dumps({"dataset": list(datasets)}, ensure_ascii=False)


def ds(identifier="a", title="Calidad del aire", **extra):
    return {"identifier": identifier, "title": title, **extra}


def _cases(c):
    """name -> (data, fragment of the message that names the place)."""
    return {
        "empty": (b"", "empty"),
        "whitespace": (b"  \n\t ", "empty"),
        "binary_garbage": (c.garbage(), "binary data"),
        "mixed_encodings": (c.mixed_encodings(['{"dataset": [', '{"identifier": "a", '
                                               '"title": "Año"},', '{"identifier": "b", '
                                               '"title": "Niño"}]}'], latin1_line=3),
                            "Line 3 is not valid UTF-8"),
        "malformed_json": ('{"dataset": [\n  {"identifier": "a",\n   "title": }]}',
                           "not valid JSON (line 3, column 13)"),
        "truncated_json": ('{"result": {"results": [', "not valid JSON (line 1"),
        "no_datasets": (pod(), "no datasets (read as data.json)"),
        "no_datasets_ckan": ('{"success": true, "result": {"count": 0, "results": []}}',
                             "no datasets (read as CKAN)"),
        "missing_identifier": (pod(ds(), {"title": "Sin id"}), "dataset[1]: missing identifier"),
        "missing_title_ckan": ('{"result": {"results": [{"id": "x", "title": "ok"}, '
                               '{"id": "y"}, {"id": "z", "title": "ok"}]}}',
                               "result[1]: missing title"),
        "duplicate_identifiers": (pod(ds("a"), ds("b"), ds("a", "Otro")),
                                  "dataset[2]: the identifier 'a' appears twice in the catalog "
                                  "(also at dataset[0])"),
        "duplicate_json_key": ('{"dataset": [{"identifier": "a", "title": "A"}, '
                               '{"identifier": "b", "title": "B", "title": "C"}]}',
                               "dataset[1]: the key 'title' appears twice"),
        "duplicate_top_key": ('{"dataset": [], "dataset": [{"identifier": "a", "title": "A"}]}',
                              "$: the key 'dataset' appears twice"),
        "wrong_type_title": (pod(ds(), ds("b", ["lista"])),
                             "dataset[1].title: expected text, found a list"),
        "wrong_type_publisher": (pod(ds("a", publisher={"name": {"x": 1}})),
                                 "dataset[0].publisher.name: expected text, found an object"),
        "wrong_type_resources": ('[{"id": "a", "title": "A", "resources": 7, '
                                 '"license_title": ["x"]}]',
                                 "[0].license_title: expected text, found a list"),
        "jsonld_id_list": ('{"@graph": [{"@id": ["x"], "@type": "dcat:Dataset", '
                           '"dct:title": "T"}]}',
                           "dcat:Dataset[0].dct:identifier: expected text, found a list"),
        "bad_value_row_3": (pod(ds("a"), ds("b"), ds("c", modified="ayer")),
                            "dataset[2].modified: the date 'ayer' is not ISO 8601"),
        "identifier_too_long": (pod(ds("x" * 301)), "dataset[0]: the identifier is longer"),
        "theme_too_long": (pod(ds("a", theme=["T" * 200])), "dataset[0]: the theme"),
        "malformed_xml": ("<rdf:RDF>\n<dcat:Dataset>\n</rdf:RDF>",
                          "mismatched tag: line 3, column 3"),
        "billion_laughs": (c.billion_laughs(RDF), "declares a DOCTYPE (line 2"),
        "billion_laughs_bytes": (c.billion_laughs(RDF).encode(), "declares a DOCTYPE (line 2"),
        "external_entity": ('<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY x SYSTEM '
                            '"file:///etc/passwd">]>\n' + RDF.replace("BODY", "&x;"),
                            "declares a DOCTYPE"),
        "xml_without_datasets": ('<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax'
                                 '-ns#"/>', "no dcat:Dataset"),
        "unknown_format": ('{"foo": 1}', "Unknown catalog format"),
        "deep_nesting": ("[" * 100_000 + "]" * 100_000, "nests objects too deeply"),
    }


CASES = ["empty", "whitespace", "binary_garbage", "mixed_encodings", "malformed_json",
         "truncated_json", "no_datasets", "no_datasets_ckan", "missing_identifier",
         "missing_title_ckan", "duplicate_identifiers", "duplicate_json_key",
         "duplicate_top_key", "wrong_type_title", "wrong_type_publisher",
         "wrong_type_resources", "jsonld_id_list", "bad_value_row_3", "identifier_too_long",
         "theme_too_long", "malformed_xml", "billion_laughs", "billion_laughs_bytes",
         "external_entity", "xml_without_datasets", "unknown_format", "deep_nesting"]


@pytest.mark.django_db
@pytest.mark.parametrize("case", CASES)
def test_refused_with_location_and_nothing_written(case, corpus, counts):
    data, fragment = _cases(corpus)[case]
    before = counts()
    with pytest.raises(CatalogError) as exc:
        import_catalog(data, "portal")
    assert fragment in str(exc.value)
    assert counts() == before


@pytest.mark.django_db
def test_an_error_late_in_the_file_rolls_everything_back(counts):
    """The first datasets are valid; the last one fails while writing: nothing stays."""
    before = counts()
    good = [ds(f"d{i}", f"Conjunto {i}", publisher={"name": f"Dependencia {i}"},
               theme=[f"Tema {i}"]) for i in range(5)]
    with pytest.raises(CatalogError):
        import_catalog(pod(*good, ds("d0", "Repetido")), "portal")
    assert counts() == before


@pytest.mark.django_db
@pytest.mark.parametrize("encoding", ["utf-16", "utf-8-sig", "latin-1"])
def test_other_encodings_are_read_correctly(encoding):
    data = pod(ds("a", "Árboles de la Ciudad", publisher={"name": "Secretaría"}))
    result = import_catalog(data.encode(encoding), "portal")
    assert result.created == 1
    assert Dataset.objects.get().title == "Árboles de la Ciudad"


@pytest.mark.django_db
@pytest.mark.parametrize("encoding", ["utf-8", "utf-16", "iso-8859-1"])
def test_xml_in_its_declared_encoding(encoding):
    data = f'<?xml version="1.0" encoding="{encoding}"?>\n' + RDF.replace(" BODY", "")
    assert parse(data.encode(encoding))[1][0].title == "Árboles"


@pytest.mark.django_db
def test_unknown_fields_are_ignored():
    data = pod(ds("a", accrualPeriodicity="R/P1D", **{"@unknown": {"nested": [1, 2]}}))
    assert import_catalog(data, "portal").created == 1


@pytest.mark.django_db
def test_formulas_are_stored_inertly_and_neutralised_in_open_data(corpus):
    data = pod(*[ds(f"f{i}", formula, keyword=[formula], publisher={"name": f"Org {formula}"})
                 for i, formula in enumerate(corpus.formulas)])
    import_catalog(data, "portal")
    assert set(Dataset.objects.values_list("title", flat=True)) == set(corpus.formulas)
    csv_text = publication.to_csv(publication.get("datasets")).decode()
    lines = csv_text.splitlines()[1:]
    assert len(lines) == len(corpus.formulas)
    for line in lines:
        title = line.split(",", 1)[1]
        assert not title.lstrip('"').startswith(("=", "+", "-", "@")), line


@pytest.mark.django_db
def test_huge_catalog_refused(corpus, counts, monkeypatch, tmp_path):
    monkeypatch.setattr(catalogs, "MAX_BYTES", 10 * 1024)
    data = pod(*[ds(f"d{i}", f"Conjunto {i}") for i in range(400)])
    before = counts()
    with pytest.raises(CatalogError, match="larger than 0.01 MB"):
        import_catalog(data, "portal")
    path = tmp_path / "big.json"
    path.write_text(data)
    with pytest.raises(CommandError, match="larger than"):
        call_command("import_catalog", str(path), verbosity=0)
    assert counts() == before


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False)
                    | st.text(max_size=8),
                    lambda children: st.lists(children, max_size=4)
                    | st.dictionaries(st.sampled_from(
                        ["id", "name", "title", "identifier", "dataset", "result", "results",
                         "resources", "format", "organization", "publisher", "tags", "groups",
                         "theme", "keyword", "distribution", "modified", "metadata_modified",
                         "license", "license_title", "url", "landingPage", "@graph", "@type",
                         "@id", "dct:title", "dcat:distribution", "dct:publisher",
                         "dct:license", "dcat:theme", "notes", "success"]), children,
                        max_size=6), max_leaves=25))
def test_any_json_is_read_or_refused_cleanly(doc):
    """Whatever the shape, parsing ends in records or a CatalogError, never another error."""
    try:
        _fmt, records = parse(json.dumps(doc))
    except CatalogError:
        return
    for r in records:
        assert isinstance(r.identifier, str) and isinstance(r.title, str)
        assert isinstance(r.licence, str) and isinstance(r.landing_url, str)
