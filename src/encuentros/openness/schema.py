"""The instrument file format (YAML) and its validator. No Django models here.

An instrument is ``pillars → components → indicators``. ``parse(text)`` returns the normalized
spec (a plain JSON-able dict with every default filled in) or raises ``InstrumentError`` whose
``errors`` name the path in the file, e.g. ``pillars[2].components[0].indicators[3].weight: must
be greater than 0``.

Format (every key not marked optional is required)::

    slug: apertura-organizacional          # [a-z0-9-]
    version: "1.0"
    title: Instrumento de ...
    description: ...                       # optional
    source: ...                            # optional: where the definitions come from
    sectors: [government, civil_society, academia, private]
    maturity_threshold: 0.66               # optional (default 0.5): an indicator is "met"
                                           # when its score reaches it
    aggregation:                           # optional defaults, per level
      component: arithmetic                # indicators -> component
      pillar: arithmetic                   # components -> pillar
      overall: arithmetic                  # pillars -> overall
    scales:
      yes_no:
        options:
          - {value: "yes", label: "Sí", score: 1}
          - {value: "no", label: "No", score: 0}
      index:
        type: number                       # a number in [min, max] mapped linearly to 0–1
        min: 0
        max: 1
    pillars:
      - key: transparency
        title: ...
        description: ...                   # optional
        weight: 1                          # optional (default 1)
        aggregation: geometric             # optional: how its components combine
        components:
          - key: ...
            title: ...
            weight: 1
            aggregation: minimum           # optional: how its indicators combine
            indicators:
              - key: t1                    # unique in the instrument
                text: ¿...?
                help: ...                  # optional
                sectors: all               # or a list of sectors (subset of the instrument's)
                level: 1                   # maturity 1 (initial) … 5 (optimized)
                scale: yes_no
                weight: 1
                evidence: true             # optional (default false): a link is required

Aggregation methods: ``arithmetic`` (weighted arithmetic mean), ``geometric`` (weighted
geometric mean), ``minimum``.

The file is UTF-8. Keys not listed above, a key written twice in one mapping, and YAML aliases
(``*name``) are errors that name their line or path.
"""

import re

from django.utils.translation import gettext as _

METHODS = ("arithmetic", "geometric", "minimum")
LEVELS = (1, 2, 3, 4, 5)
SECTORS = ("government", "civil_society", "academia", "private", "citizen")
NOT_APPLICABLE = "na"
DONT_KNOW = "dk"
RESERVED_VALUES = (NOT_APPLICABLE, DONT_KNOW)
_KEY = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")
_VERSION = re.compile(r"^[0-9A-Za-z][0-9A-Za-z.\-]{0,19}$")
# The keys of each level (the format above); any other key is an error.
TOP_KEYS = ("slug", "version", "title", "description", "source", "sectors",
            "maturity_threshold", "aggregation", "scales", "pillars")
SCALE_KEYS = ("type", "options", "min", "max")
OPTION_KEYS = ("value", "label", "score")
PILLAR_KEYS = ("key", "title", "description", "weight", "aggregation", "components")
COMPONENT_KEYS = ("key", "title", "weight", "aggregation", "indicators")
INDICATOR_KEYS = ("key", "text", "help", "sectors", "level", "scale", "weight", "evidence")


class InstrumentError(Exception):
    """The file is not a valid instrument; ``errors`` lists "path: message" strings."""

    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


class _Checker:
    def __init__(self):
        self.errors: list[str] = []

    def fail(self, path: str, message: str) -> None:
        self.errors.append(f"{path}: {message}" if path else message)

    def mapping(self, value, path) -> dict | None:
        if not isinstance(value, dict):
            self.fail(path, _("must be a mapping (key: value)"))
            return None
        return value

    def text(self, node: dict, key: str, path: str, required=True, max_length=None) -> str:
        value = node.get(key)
        where = f"{path}.{key}" if path else key
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.fail(where, _("is required"))
            return ""
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            self.fail(where, _("must be text"))
            return ""
        value = value.strip()
        if max_length and len(value) > max_length:
            self.fail(where, _("must be at most %(n)d characters") % {"n": max_length})
        return value

    def number(self, node: dict, key: str, path: str, default=None, positive=False,
               low=None, high=None) -> float | None:
        where = f"{path}.{key}" if path else key
        value = node.get(key, default)
        if value is None:
            self.fail(where, _("is required"))
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.fail(where, _("must be a number"))
            return None
        value = float(value)
        if value != value or value in (float("inf"), float("-inf")):
            self.fail(where, _("must be a finite number"))
            return None
        if positive and value <= 0:
            self.fail(where, _("must be greater than 0"))
        if low is not None and value < low:
            self.fail(where, _("must be at least %(n)s") % {"n": low})
        if high is not None and value > high:
            self.fail(where, _("must be at most %(n)s") % {"n": high})
        return value

    def key(self, node: dict, path: str, seen: set, what: str) -> str:
        value = self.text(node, "key", path)
        if value and not _KEY.match(value):
            self.fail(f"{path}.key", _("must start with a lowercase letter and use only "
                                       "a-z, 0-9 and _ (at most 40 characters)"))
        elif value in seen:
            self.fail(f"{path}.key", _("duplicate key %(key)r") % {"key": value})
        seen.add(value)
        return value

    def method(self, node: dict, key: str, path: str, default: str) -> str:
        value = node.get(key, default)
        if value not in METHODS:
            self.fail(f"{path}.{key}" if path else key,
                      _("must be one of %(choices)s") % {"choices": ", ".join(METHODS)})
            return default
        return value

    def only(self, node: dict, path: str, allowed: tuple) -> None:
        """Refuse unknown keys: a misspelt optional key ("wieght") would silently fall back
        to its default and change the scores."""
        for key in node:
            if key not in allowed:
                self.fail(f"{path}.{key}" if path else str(key),
                          _("unknown key; use %(keys)s") % {"keys": ", ".join(allowed)})

    def items(self, node: dict, key: str, path: str) -> list:
        value = node.get(key)
        where = f"{path}.{key}" if path else key
        if not isinstance(value, list) or not value:
            self.fail(where, _("must be a non-empty list"))
            return []
        return value


MAX_CHARS = 1_000_000  # the largest real instrument is ~60 kB


def _loader():
    """A safe YAML loader that refuses what PyYAML would silently accept: a mapping with the
    same key twice (the last one would win) and aliases (``*name``, which can multiply a small
    file into a huge structure)."""
    import yaml

    class Loader(yaml.SafeLoader):
        def compose_node(self, parent, index):
            if self.check_event(yaml.AliasEvent):
                mark = self.peek_event().start_mark
                raise InstrumentError([_("line %(line)d: aliases (*name) are not allowed; "
                                         "write the value again") % {"line": mark.line + 1}])
            return super().compose_node(parent, index)

        def construct_mapping(self, node, deep=False):
            if isinstance(node, yaml.MappingNode):
                seen = {}
                for key_node, _value in node.value:
                    if not isinstance(key_node, yaml.ScalarNode):
                        continue
                    line = key_node.start_mark.line + 1
                    if key_node.value in seen:
                        raise InstrumentError([_(
                            "line %(line)d: the key %(key)r appears twice in the same mapping "
                            "(first on line %(first)d)") % {"line": line, "key": key_node.value,
                                                          "first": seen[key_node.value]}])
                    seen[key_node.value] = line
            return super().construct_mapping(node, deep)

    return Loader


def decode(raw: bytes) -> str:
    """Instrument files are UTF-8 (or UTF-16 with a byte-order mark)."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16"
    else:
        encoding = "utf-8-sig"
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise InstrumentError([_("line %(line)d: not valid UTF-8; save the file as UTF-8")
                               % {"line": line}]) from exc


def parse(text: str | bytes) -> dict:
    """Parse and validate YAML text; return the normalized spec or raise InstrumentError."""
    import yaml

    from encuentros.core.uploads import garbled

    if len(text) > MAX_CHARS:
        raise InstrumentError([_("the file is larger than %(n)d characters")
                               % {"n": MAX_CHARS}])
    if isinstance(text, bytes):
        text = decode(text)
    garbled_lines = [n for n, line in enumerate(text.splitlines(), start=1) if garbled(line)]
    if garbled_lines:
        raise InstrumentError([_("line %(line)d: the text looks garbled (UTF-8 read as "
                                 "Latin-1, e.g. “Ã©” instead of “é”); fix the file's encoding")
                               % {"line": n} for n in garbled_lines[:10]])
    try:
        data = yaml.load(text, Loader=_loader())  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = _("line %(line)d") % {"line": mark.line + 1} if mark else ""
        raise InstrumentError([f"{where}: {_('not valid YAML')} ({getattr(exc, 'problem', exc)})"
                               if where else _("not valid YAML")]) from exc
    except RecursionError as exc:
        raise InstrumentError([_("the file nests too deeply")]) from exc
    if data is None:
        raise InstrumentError([_("line 1: the file is empty")])
    return validate(data)


def validate(data) -> dict:
    """Validate an already-loaded mapping; return the normalized spec or raise InstrumentError."""
    c = _Checker()
    if not isinstance(data, dict):
        raise InstrumentError([_("the file must contain a mapping with slug, version, title, "
                                 "sectors, scales and pillars")])
    c.only(data, "", TOP_KEYS)
    spec: dict = {}
    spec["slug"] = c.text(data, "slug", "", max_length=80)
    if spec["slug"] and not _SLUG.match(spec["slug"]):
        c.fail("slug", _("use only lowercase letters, digits and hyphens"))
    spec["version"] = c.text(data, "version", "")
    if spec["version"] and not _VERSION.match(spec["version"]):
        c.fail("version", _("use digits, letters, dots and hyphens (e.g. 1.0)"))
    spec["title"] = c.text(data, "title", "", max_length=200)
    spec["description"] = c.text(data, "description", "", required=False)
    spec["source"] = c.text(data, "source", "", required=False)
    spec["maturity_threshold"] = c.number(data, "maturity_threshold", "", default=0.5,
                                          low=0.0, high=1.0)
    sectors = data.get("sectors")
    if not isinstance(sectors, list) or not sectors:
        c.fail("sectors", _("must be a non-empty list of sectors"))
        sectors = []
    for i, s in enumerate(sectors):
        if s not in SECTORS:
            c.fail(f"sectors[{i}]", _("unknown sector %(value)r; use one of %(choices)s")
                   % {"value": s, "choices": ", ".join(SECTORS)})
    spec["sectors"] = [s for s in sectors if s in SECTORS]

    agg = data.get("aggregation", {}) or {}
    if c.mapping(agg, "aggregation") is None:
        agg = {}
    for key in agg:
        if key not in ("component", "pillar", "overall"):
            c.fail(f"aggregation.{key}", _("unknown level; use component, pillar or overall"))
    spec["aggregation"] = {level: c.method(agg, level, "aggregation", "arithmetic")
                           for level in ("component", "pillar", "overall")}

    spec["scales"] = scales = {}
    raw_scales = data.get("scales")
    if not isinstance(raw_scales, dict) or not raw_scales:
        c.fail("scales", _("must be a mapping of named answer scales"))
        raw_scales = {}
    for name, raw in raw_scales.items():
        path = f"scales.{name}"
        if not isinstance(name, str) or not _KEY.match(name):
            c.fail(path, _("a scale name must use only a-z, 0-9 and _"))
        if c.mapping(raw, path) is None:
            continue
        c.only(raw, path, SCALE_KEYS)
        kind = raw.get("type", "choice")
        if kind == "number":
            low = c.number(raw, "min", path)
            high = c.number(raw, "max", path)
            if low is not None and high is not None and high <= low:
                c.fail(f"{path}.max", _("must be greater than min"))
            scales[name] = {"type": "number", "min": low, "max": high}
        elif kind == "choice":
            options, values = [], set()
            for j, opt in enumerate(c.items(raw, "options", path)):
                opath = f"{path}.options[{j}]"
                if c.mapping(opt, opath) is None:
                    continue
                c.only(opt, opath, OPTION_KEYS)
                value = c.text(opt, "value", opath, max_length=40)
                if value in RESERVED_VALUES:
                    c.fail(f"{opath}.value", _("%(value)r is reserved for “not applicable” and "
                                               "“don't know”, which every indicator offers")
                           % {"value": value})
                elif value in values:
                    c.fail(f"{opath}.value", _("duplicate value %(value)r") % {"value": value})
                values.add(value)
                options.append({"value": value, "label": c.text(opt, "label", opath),
                                "score": c.number(opt, "score", opath, low=0.0, high=1.0)})
            if len(options) < 2:
                c.fail(f"{path}.options", _("needs at least two options"))
            scales[name] = {"type": "choice", "options": options}
        else:
            c.fail(f"{path}.type", _("must be choice or number"))

    spec["pillars"] = pillars = []
    pillar_keys, component_keys, indicator_keys = set(), set(), set()
    for p, raw_p in enumerate(c.items(data, "pillars", "")):
        ppath = f"pillars[{p}]"
        if c.mapping(raw_p, ppath) is None:
            continue
        c.only(raw_p, ppath, PILLAR_KEYS)
        pillar = {
            "key": c.key(raw_p, ppath, pillar_keys, "pillar"),
            "title": c.text(raw_p, "title", ppath, max_length=200),
            "description": c.text(raw_p, "description", ppath, required=False),
            "weight": c.number(raw_p, "weight", ppath, default=1, positive=True),
            "aggregation": c.method(raw_p, "aggregation", ppath,
                                    spec["aggregation"]["pillar"]),
            "components": [],
        }
        pillars.append(pillar)
        for q, raw_c in enumerate(c.items(raw_p, "components", ppath)):
            cpath = f"{ppath}.components[{q}]"
            if c.mapping(raw_c, cpath) is None:
                continue
            c.only(raw_c, cpath, COMPONENT_KEYS)
            component = {
                "key": c.key(raw_c, cpath, component_keys, "component"),
                "title": c.text(raw_c, "title", cpath, max_length=200),
                "weight": c.number(raw_c, "weight", cpath, default=1, positive=True),
                "aggregation": c.method(raw_c, "aggregation", cpath,
                                        spec["aggregation"]["component"]),
                "indicators": [],
            }
            pillar["components"].append(component)
            for r, raw_i in enumerate(c.items(raw_c, "indicators", cpath)):
                ipath = f"{cpath}.indicators[{r}]"
                if c.mapping(raw_i, ipath) is None:
                    continue
                c.only(raw_i, ipath, INDICATOR_KEYS)
                indicator = {
                    "key": c.key(raw_i, ipath, indicator_keys, "indicator"),
                    "text": c.text(raw_i, "text", ipath),
                    "help": c.text(raw_i, "help", ipath, required=False),
                    "weight": c.number(raw_i, "weight", ipath, default=1, positive=True),
                    "evidence": False,
                }
                level = raw_i.get("level")
                if level not in LEVELS or isinstance(level, bool):
                    c.fail(f"{ipath}.level", _("must be a whole number from 1 (initial) to 5 "
                                               "(optimized)"))
                    level = 1
                indicator["level"] = level
                scale = raw_i.get("scale")
                if not isinstance(scale, str) or scale not in raw_scales:
                    c.fail(f"{ipath}.scale", _("unknown scale %(value)r; define it under scales")
                           % {"value": scale})
                indicator["scale"] = scale
                sectors_i = raw_i.get("sectors", "all")
                if sectors_i == "all":
                    sectors_i = list(spec["sectors"])
                elif not isinstance(sectors_i, list) or not sectors_i:
                    c.fail(f"{ipath}.sectors", _("must be “all” or a non-empty list of sectors"))
                    sectors_i = []
                else:
                    for s_i, s in enumerate(sectors_i):
                        if s not in spec["sectors"]:
                            c.fail(f"{ipath}.sectors[{s_i}]",
                                   _("%(value)r is not one of the instrument's sectors")
                                   % {"value": s})
                indicator["sectors"] = sectors_i
                evidence = raw_i.get("evidence", False)
                if not isinstance(evidence, bool):
                    c.fail(f"{ipath}.evidence", _("must be true or false"))
                indicator["evidence"] = bool(evidence)
                component["indicators"].append(indicator)
    if c.errors:
        raise InstrumentError(c.errors)
    return spec


def indicators(spec: dict):
    """Yield (pillar, component, indicator) in file order."""
    for pillar in spec["pillars"]:
        for component in pillar["components"]:
            for indicator in component["indicators"]:
                yield pillar, component, indicator


def indicator_map(spec: dict) -> dict:
    return {i["key"]: i for _p, _c, i in indicators(spec)}


def applies(indicator: dict, sector: str | None) -> bool:
    return sector is None or sector in indicator["sectors"]


def answer_score(spec: dict, indicator: dict, value) -> float | str | None:
    """Map a raw answer to a 0–1 score, or "na"/"dk"; None when empty.

    Raises ValueError with a translated message when the value is not on the scale.
    """
    if value is None:
        return None
    value = str(value).strip()
    if value == "":
        return None
    if value.lower() in RESERVED_VALUES:
        return value.lower()
    scale = spec["scales"][indicator["scale"]]
    if scale["type"] == "number":
        try:
            number = float(value.replace(",", "."))
        except ValueError:
            raise ValueError(_("must be a number between %(min)s and %(max)s")
                             % {"min": scale["min"], "max": scale["max"]}) from None
        if not (scale["min"] <= number <= scale["max"]):
            raise ValueError(_("must be a number between %(min)s and %(max)s")
                             % {"min": scale["min"], "max": scale["max"]})
        return (number - scale["min"]) / (scale["max"] - scale["min"])
    for option in scale["options"]:
        if option["value"] == value:
            return option["score"]
    raise ValueError(_("%(value)r is not an option of this question (%(choices)s)") % {
        "value": value,
        "choices": ", ".join(o["value"] for o in scale["options"]) + ", na, dk"})
