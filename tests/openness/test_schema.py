"""The instrument file format: shipped files are valid, bad files are explained by path."""

import pytest
import yaml

from encuentros.openness import schema, services


def _errors(data) -> list[str]:
    with pytest.raises(schema.InstrumentError) as exc:
        schema.validate(data)
    return exc.value.errors


def _base():
    return yaml.safe_load(services.INSTRUMENTS_DIR.joinpath(
        "apertura-organizacional.yaml").read_text("utf-8"))


def test_shipped_instruments_are_valid():
    default = schema.parse(services.INSTRUMENTS_DIR.joinpath(
        "apertura-organizacional.yaml").read_text("utf-8"))
    assert [p["key"] for p in default["pillars"]] == [
        "transparency", "participation", "collaboration", "innovation"]
    assert default["sectors"] == ["government", "civil_society", "academia", "private"]
    indicators = [i for _p, _c, i in schema.indicators(default)]
    assert {i["level"] for i in indicators} == {1, 2, 3, 4, 5}
    assert any(i["evidence"] for i in indicators)
    for sector in default["sectors"]:   # every pillar applies to every sector
        for pillar in default["pillars"]:
            assert any(sector in i["sectors"] for c in pillar["components"]
                       for i in c["indicators"])
    metrica = schema.parse(services.INSTRUMENTS_DIR.joinpath(
        "metrica-gobierno-abierto.yaml").read_text("utf-8"))
    assert metrica["scales"]["subindex"] == {"type": "number", "min": 0.0, "max": 1.0}


def test_errors_name_the_path_in_the_file():
    data = _base()
    data["pillars"][2]["components"][0]["indicators"][1]["weight"] = 0
    data["pillars"][0]["components"][1]["indicators"][0]["level"] = 6
    data["pillars"][1]["components"][0]["indicators"][0]["scale"] = "nope"
    data["pillars"][3]["aggregation"] = "median"
    data["pillars"][3]["components"][0]["indicators"][0]["sectors"] = ["citizen"]
    errors = _errors(data)
    assert "pillars[2].components[0].indicators[1].weight: must be greater than 0" in errors
    assert any(e.startswith("pillars[0].components[1].indicators[0].level:") for e in errors)
    assert any(e.startswith("pillars[1].components[0].indicators[0].scale: unknown scale 'nope'")
               for e in errors)
    assert any(e.startswith("pillars[3].aggregation: must be one of arithmetic, geometric, "
                            "minimum") for e in errors)
    assert any(e.startswith("pillars[3].components[0].indicators[0].sectors[0]:")
               for e in errors)
    assert len(errors) == 5


def test_duplicate_keys_reserved_values_and_missing_fields():
    data = _base()
    data["pillars"][1]["components"][0]["indicators"][0]["key"] = "t_decisions_public"
    data["scales"]["yes_no"]["options"][1]["value"] = "na"
    del data["title"]
    data["sectors"] = ["gobierno"]
    errors = _errors(data)
    assert "title: is required" in errors
    assert any(e.startswith("pillars[1].components[0].indicators[0].key: duplicate key")
               for e in errors)
    assert any(e.startswith("scales.yes_no.options[1].value:") for e in errors)
    assert any(e.startswith("sectors[0]: unknown sector 'gobierno'") for e in errors)


def test_errors_are_translated():
    from django.utils import translation

    data = _base()
    data["pillars"][0]["weight"] = -1
    with translation.override("es-mx"):
        errors = _errors(data)
    assert errors == ["pillars[0].weight: debe ser mayor que 0"]


def test_yaml_syntax_error_names_the_line():
    with pytest.raises(schema.InstrumentError) as exc:
        schema.parse("slug: x\npillars: [\n  - a: b\n  c")
    assert "line" in exc.value.errors[0]
    with pytest.raises(schema.InstrumentError):
        schema.parse("- just a list")


def test_answer_scores_and_their_errors(small_spec):
    ind = schema.indicator_map(small_spec)
    assert schema.answer_score(small_spec, ind["t1"], "2") == 0.5
    assert schema.answer_score(small_spec, ind["t1"], " NA ") == "na"
    assert schema.answer_score(small_spec, ind["t1"], "dk") == "dk"
    assert schema.answer_score(small_spec, ind["t1"], "") is None
    with pytest.raises(ValueError, match="'7' is not an option"):
        schema.answer_score(small_spec, ind["t1"], "7")
    metrica = schema.parse(services.INSTRUMENTS_DIR.joinpath(
        "metrica-gobierno-abierto.yaml").read_text("utf-8"))
    tg = schema.indicator_map(metrica)["tg"]
    assert schema.answer_score(metrica, tg, "0,43") == pytest.approx(0.43)
    with pytest.raises(ValueError, match="between"):
        schema.answer_score(metrica, tg, "1.2")


def test_aggregation_defaults_per_level_and_overrides():
    data = _base()
    data["aggregation"] = {"component": "geometric", "pillar": "minimum"}
    data["pillars"][1]["aggregation"] = "arithmetic"
    data["pillars"][2]["components"][1]["aggregation"] = "minimum"
    spec = schema.validate(data)
    assert spec["aggregation"] == {"component": "geometric", "pillar": "minimum",
                                   "overall": "arithmetic"}
    assert [p["aggregation"] for p in spec["pillars"]] == ["minimum", "arithmetic", "minimum",
                                                           "minimum"]
    assert spec["pillars"][0]["components"][0]["aggregation"] == "geometric"
    assert spec["pillars"][2]["components"][1]["aggregation"] == "minimum"
    data["aggregation"] = {"indicator": "arithmetic"}
    assert _errors(data) == ["aggregation.indicator: unknown level; use component, pillar or "
                             "overall"]


@pytest.mark.django_db
def test_latest_version_is_the_highest_not_the_last_loaded():
    from encuentros.openness.models import Instrument

    text = services.INSTRUMENTS_DIR.joinpath("metrica-gobierno-abierto.yaml").read_text("utf-8")
    for version in ("2017.10", "2017.9", "2017.2"):
        services.load_instrument(text.replace('version: "2017"', f'version: "{version}"'))
    assert services.get_instrument("metrica-gobierno-abierto").version == "2017.10"
    assert [i.version for i in services.latest_instruments()] == ["2017.10"]
    Instrument.objects.filter(version="2017.10").update(is_active=False)
    assert services.get_instrument("metrica-gobierno-abierto").version == "2017.9"
    assert services.get_instrument("metrica-gobierno-abierto", "2017.2").version == "2017.2"
