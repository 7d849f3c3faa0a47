"""Every user-facing string is translated to Spanish and the compiled catalogs are current."""

import gettext
import shutil
import subprocess
import sys
from pathlib import Path

import encuentros

PACKAGE = Path(encuentros.__file__).parent


def _entries(po_text: str):
    """Yield (msgid, msgstr, flags) of a .po file, joining continuation lines."""
    blocks = po_text.split("\n\n")
    for block in blocks:
        flags = " ".join(line for line in block.splitlines() if line.startswith("#,"))
        fields, current = {}, None
        for line in block.splitlines():
            if line.startswith("#"):
                continue
            for key in ("msgid_plural", "msgid", "msgstr[0]", "msgstr[1]", "msgstr", "msgctxt"):
                if line.startswith(key + " "):
                    current = key
                    fields[key] = line[len(key) + 1:].strip()[1:-1]
                    break
            else:
                if line.startswith('"') and current:
                    fields[current] += line.strip()[1:-1]
        if "msgid" in fields and fields["msgid"]:
            strs = [fields.get(k, "") for k in ("msgstr", "msgstr[0]", "msgstr[1]") if k in fields]
            yield fields.get("msgctxt"), fields["msgid"], strs, flags


def _catalog_dirs():
    return [PACKAGE] + [p.parent for p in PACKAGE.glob("*/locale")]


def test_catalogs_cover_every_marked_string(tmp_path):
    """Extract the strings again from a copy of the source and compare with the catalogs."""
    copy = tmp_path / "encuentros"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    apps = [p.parent.name for p in copy.glob("*/locale")]
    cmd = [sys.executable, "-m", "encuentros", "makemessages", "-l", "es_MX", "--no-obsolete",
           "--no-location", "-v0"]
    for app in apps:
        subprocess.run(cmd, cwd=copy / app, check=True, timeout=120)
    subprocess.run(cmd + [f"--ignore={a}" for a in apps + ["matching"]], cwd=copy, check=True,
                   timeout=120)
    missing = []
    for po in copy.glob("**/locale/es_MX/LC_MESSAGES/django.po"):
        for _ctxt, msgid, strs, flags in _entries(po.read_text(encoding="utf-8")):
            if not all(strs) or "fuzzy" in flags:
                missing.append(f"{po.relative_to(copy)}: {msgid!r}")
    assert not missing, "Untranslated strings (run `make messages` and fill them):\n" + "\n".join(
        missing)


def test_compiled_catalogs_match_the_sources():
    stale = []
    for base in _catalog_dirs():
        po = base / "locale/es_MX/LC_MESSAGES/django.po"
        mo = po.with_suffix(".mo")
        if not po.exists():
            continue
        assert mo.exists(), f"{mo} is missing: run `make messages`"
        with mo.open("rb") as fh:
            catalog = gettext.GNUTranslations(fh)
        for ctxt, msgid, strs, _flags in _entries(po.read_text(encoding="utf-8")):
            if ctxt or len(strs) != 1 or not strs[0]:
                continue
            expected = strs[0].encode().decode("unicode_escape").encode("latin-1").decode()
            key = msgid.encode().decode("unicode_escape").encode("latin-1").decode()
            if catalog.gettext(key) != expected:
                stale.append(f"{po}: {msgid!r}")
    assert not stale, "Compiled .mo files are out of date (run `make messages`):\n" + "\n".join(
        stale[:20])
