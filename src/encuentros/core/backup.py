"""Portable backups: the whole database and the uploaded files in one ZIP archive.

An archive holds
  manifest.json      format version, app and Django versions, the database vendor it came from,
                     when it was made, every model with its row count (in dependency order), the
                     migrations applied per app, and the SHA-256 of every other member;
  data/NNN-<app>.<model>.jsonl
                     one file per model (auto-created many-to-many tables included), Django's
                     JSON Lines serialization, rows by primary key; primary keys are kept, and
                     references to content types and permissions (which ``migrate`` recreates
                     with ids of its own) are written as natural keys;
  media/...          every file under MEDIA_ROOT (e.g. signed agreements).

Content types and permissions are merged by natural key on restore; every other table is
emptied and reloaded in one transaction. Nothing depends on the database vendor, so an archive
made on PostgreSQL restores into SQLite and the other way round.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import secrets
import shutil
import sys
import time
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path, PurePosixPath

import django
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.cache import cache
from django.core.management.color import no_style
from django.core.serializers.base import DeserializationError
from django.core.serializers.json import DjangoJSONEncoder
from django.core.serializers.jsonl import Serializer as JSONLSerializer
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, router, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.translation import gettext as _

FORMAT = "encuentros-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATA_DIR = "data/"
MEDIA_DIR = "media/"
# Rebuilt by `migrate` with ids of their own: merged by natural key, referenced by natural key.
NATURAL_MODELS = (ContentType, Permission)
CHUNK = 1 << 16
BATCH = 500  # rows per INSERT on restore
STAGING_PREFIX = ".restore-"

Advance = Callable[[int], None]


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message is translated, for the user."""


@dataclass
class Result:
    path: Path
    rows: int = 0
    files: int = 0
    models: list[dict] = field(default_factory=list)


# --- Models and their order ------------------------------------------------------------------

def archived_models(using: str = DEFAULT_DB_ALIAS) -> list[type]:
    """Every concrete model whose rows live in this database (auto-created many-to-many tables
    included), parents before the models that reference them."""
    models = [
        m for m in apps.get_models(include_auto_created=True)
        if m._meta.managed and not m._meta.proxy and router.allow_migrate_model(using, m)
    ]
    return _dependency_order(models)


def _dependency_order(models: list[type]) -> list[type]:
    present = set(models)
    deps = {
        m: {f.remote_field.model._meta.concrete_model for f in m._meta.concrete_fields
            if f.is_relation and f.remote_field.model._meta.concrete_model in present
            and f.remote_field.model._meta.concrete_model is not m}
        for m in models
    }
    ordered: list[type] = []
    done: set[type] = set()
    pending = list(models)
    while pending:
        ready = [m for m in pending if deps[m] <= done]
        if not ready:  # a cycle of foreign keys: keep the registry's order for the rest
            ready = pending[:1]
        for m in ready:
            ordered.append(m)
            done.add(m)
        pending = [m for m in pending if m not in done]
    return ordered


def _label(model) -> str:
    return model._meta.label_lower


# --- Serialization ---------------------------------------------------------------------------

class _Encoder(DjangoJSONEncoder):
    """Django's encoder cuts datetimes and times to milliseconds; a backup keeps microseconds."""

    def default(self, o):
        if isinstance(o, dt.datetime | dt.time):
            return o.isoformat()
        return super().default(o)


class _Serializer(JSONLSerializer):
    """JSON Lines with primary keys kept. Foreign keys to content types and permissions are
    natural keys (ids differ between databases); many-to-many fields are left out because their
    tables are archived as models of their own."""

    def __init__(self, natural: dict[type, dict]):
        super().__init__()
        self._natural = natural

    def handle_fk_field(self, obj, field):
        target = self._natural.get(field.remote_field.model)
        if target is None:
            return super().handle_fk_field(obj, field)
        value = getattr(obj, field.attname)
        self._current[field.name] = None if value is None else list(target[value])

    def handle_m2m_field(self, obj, field):
        pass


def _natural_keys() -> dict[type, dict]:
    types = {ct.pk: ct.natural_key() for ct in ContentType.objects.order_by()}
    perms = {
        pk: (codename, *types[ct_id])
        for pk, codename, ct_id in Permission.objects.order_by()
        .values_list("pk", "codename", "content_type_id")
    }
    return {ContentType: types, Permission: perms}


class _HashingWriter(io.RawIOBase):
    def __init__(self, raw):
        self.raw = raw
        self.sha = hashlib.sha256()

    def writable(self):
        return True

    def write(self, data):
        self.sha.update(data)
        self.raw.write(data)
        return len(data)

    def close(self):
        if not self.closed:
            self.raw.close()
        super().close()


@contextmanager
def _member_writer(zf: zipfile.ZipFile, name: str, checksums: dict[str, str]):
    info = zipfile.ZipInfo(name, date_time=time.localtime()[:6])
    info.compress_type = zipfile.ZIP_DEFLATED
    hasher = _HashingWriter(zf.open(info, "w", force_zip64=True))
    buffered = io.BufferedWriter(hasher, buffer_size=CHUNK)
    try:
        yield buffered
    finally:
        buffered.close()
        checksums[name] = hasher.sha.hexdigest()


# --- Migrations ------------------------------------------------------------------------------

def _applied_migrations(connection) -> dict[str, list[str]]:
    state: dict[str, list[str]] = {}
    for app_label, name in MigrationRecorder(connection).applied_migrations():
        state.setdefault(app_label, []).append(name)
    return {app: sorted(names) for app, names in sorted(state.items())}


def _require_migrated(connection) -> None:
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        migration = plan[0][0]
        raise BackupError(
            _("The database has migrations that are not applied yet (app “%(app)s”, "
              "%(migration)s). Run “encuentros migrate” first.")
            % {"app": migration.app_label, "migration": migration.name})


def _compare_migrations(archive: dict[str, list[str]], database: dict[str, list[str]]) -> None:
    for app in sorted(set(archive) | set(database)):
        ours, theirs = set(database.get(app, [])), set(archive.get(app, []))
        if ours == theirs:
            continue
        values = {"app": app,
                  "archive": max(theirs) if theirs else _("none"),
                  "database": max(ours) if ours else _("none")}
        if theirs > ours:
            raise BackupError(
                _("The archive was made by a newer version: in app “%(app)s” it is at migration "
                  "%(archive)s and this database at %(database)s. Upgrade Encuentros, run "
                  "“encuentros migrate” and restore again.") % values)
        if ours > theirs:
            raise BackupError(
                _("The archive was made by an older version: in app “%(app)s” it is at migration "
                  "%(archive)s and this database at %(database)s. Restore it with the version "
                  "that made it, then upgrade.") % values)
        raise BackupError(
            _("The archive and this database have different migrations in app “%(app)s” "
              "(archive at %(archive)s, database at %(database)s).") % values)


# --- Progress --------------------------------------------------------------------------------

@contextmanager
def progress_bar(description: str, total: int, enabled: bool) -> Iterator[Advance]:
    """A rich progress bar on stderr when enabled and stderr is a terminal; else a no-op."""
    if not enabled or not sys.stderr.isatty():
        yield lambda n=1: None
        return
    from rich import progress as rp
    from rich.console import Console

    with rp.Progress(rp.TextColumn("{task.description}"), rp.BarColumn(),
                     rp.MofNCompleteColumn(), rp.TimeElapsedColumn(),
                     console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(description, total=total)
        yield lambda n=1: bar.advance(task, n)


def _counted(rows: Iterable, advance: Advance, counter: list[int]) -> Iterator:
    step = 0
    for row in rows:
        counter[0] += 1
        step += 1
        if step == 500:
            advance(step)
            step = 0
        yield row
    advance(step)


# --- Backup ----------------------------------------------------------------------------------

def default_path() -> Path:
    stamp = timezone.now().astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    return Path(settings.VAR_DIR) / "backups" / f"encuentros-{stamp}.zip"


def _app_version() -> str:
    try:
        return metadata.version("encuentros")
    except metadata.PackageNotFoundError:
        return "unknown"


def _media_files(root: Path, skip: set[Path]) -> list[tuple[Path, str]]:
    if not root.is_dir():
        return []
    found = []
    for directory, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(STAGING_PREFIX))
        for name in sorted(filenames):
            path = Path(directory) / name
            if path.is_file() and path.resolve() not in skip:  # not the archive itself
                found.append((path, path.relative_to(root).as_posix()))
    return found


@contextmanager
def _snapshot(connection):
    """One consistent view of the database for the whole backup (on SQLite the transaction
    holds the write lock meanwhile: writers wait)."""
    outermost = not connection.in_atomic_block
    with transaction.atomic(using=connection.alias):
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield


def backup(path: Path | str | None = None, *, using: str = DEFAULT_DB_ALIAS,
           progress: bool = False) -> Result:
    """Write the database and MEDIA_ROOT to a ZIP archive (default: var/backups/…)."""
    path = Path(path) if path else default_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".part")
    connection = connections[using]
    _require_migrated(connection)
    media_root = Path(settings.MEDIA_ROOT)
    result = Result(path=path)
    checksums: dict[str, str] = {}
    try:
        with _snapshot(connection), zipfile.ZipFile(
                partial, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6,
                allowZip64=True) as zf:
            models = archived_models(using)
            counts = {m: m._base_manager.using(using).count() for m in models}
            media = _media_files(media_root, {path.resolve(), partial.resolve()})
            natural = _natural_keys()
            migrations = _applied_migrations(connection)
            with progress_bar(_("Backing up"), sum(counts.values()) + len(media),
                              progress) as advance:
                for number, model in enumerate(models, start=1):
                    name = f"{DATA_DIR}{number:03d}-{_label(model)}.jsonl"
                    rows = (model._base_manager.using(using).order_by("pk")
                            .iterator(chunk_size=2000))
                    counter = [0]
                    with _member_writer(zf, name, checksums) as raw:
                        text = io.TextIOWrapper(raw, encoding="utf-8", newline="\n")
                        _Serializer(natural).serialize(
                            _counted(rows, advance, counter), stream=text, cls=_Encoder,
                            use_natural_primary_keys=model in NATURAL_MODELS)
                        text.flush()
                        text.detach()
                    result.models.append(
                        {"model": _label(model), "file": name, "rows": counter[0]})
                    result.rows += counter[0]
                for source, relative in media:
                    name = MEDIA_DIR + relative
                    with _member_writer(zf, name, checksums) as out, source.open("rb") as f:
                        shutil.copyfileobj(f, out, CHUNK)
                    result.files += 1
                    advance(1)
            manifest = {
                "format": FORMAT,
                "format_version": FORMAT_VERSION,
                "app_version": _app_version(),
                "django_version": django.get_version(),
                "vendor": connection.vendor,
                "created_at": timezone.now().astimezone(dt.UTC).isoformat(),
                "models": result.models,
                "rows": result.rows,
                "media_files": result.files,
                "migrations": migrations,
                "latest_migrations": {app: names[-1] for app, names in migrations.items()},
                "checksums": checksums,
            }
            zf.writestr(MANIFEST, json.dumps(manifest, indent=2, ensure_ascii=False))
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return result


# --- Restore ---------------------------------------------------------------------------------

def _damaged(detail: object) -> BackupError:
    return BackupError(_("The archive is damaged or is not an Encuentros backup (%(detail)s).")
                       % {"detail": detail})


def _safe_member(name: str) -> bool:
    p = PurePosixPath(name)
    return (not p.is_absolute() and ".." not in p.parts and "\\" not in name
            and name.startswith((DATA_DIR, MEDIA_DIR)) and not name.endswith("/"))


def read_manifest(zf: zipfile.ZipFile) -> dict:
    try:
        manifest = json.loads(zf.read(MANIFEST).decode("utf-8"))
    except KeyError:
        raise _damaged(_("no manifest.json")) from None
    except (ValueError, zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise _damaged(exc) from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise _damaged(_("unknown manifest"))
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(_("The archive has format version %(found)s; this version of "
                            "Encuentros reads version %(expected)s.")
                          % {"found": manifest.get("format_version"),
                             "expected": FORMAT_VERSION})
    required = {"models": list, "migrations": dict, "checksums": dict}
    for key, kind in required.items():
        if not isinstance(manifest.get(key), kind):
            raise _damaged(_("unknown manifest"))
    return manifest


def verify(zf: zipfile.ZipFile, manifest: dict) -> None:
    """Every member listed with the right SHA-256, nothing unlisted, nothing outside the
    archive's own folders."""
    checksums = manifest["checksums"]
    names = [info.filename for info in zf.infolist()]
    listed = {m.get("file") for m in manifest["models"] if isinstance(m, dict)}
    extra = set(names) - set(checksums) - {MANIFEST}
    missing = (set(checksums) | listed) - set(names)
    if extra or missing:
        raise _damaged(_("members not in the manifest: %(names)s")
                       % {"names": ", ".join(sorted(map(str, extra | missing))[:5])})
    for name in checksums:
        if not _safe_member(name):
            raise _damaged(_("unexpected member %(name)s") % {"name": name})
        sha = hashlib.sha256()
        try:
            with zf.open(name) as member:
                while chunk := member.read(CHUNK):
                    sha.update(chunk)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
            raise _damaged(f"{name}: {exc}") from exc
        if sha.hexdigest() != checksums[name]:
            raise _damaged(_("checksum mismatch in %(name)s") % {"name": name})


def _is_empty(models: list[type], using: str) -> bool:
    return not any(m._base_manager.using(using).exists() for m in models
                   if m not in NATURAL_MODELS)


def _insert(model, objs: list, using: str) -> None:
    """Insert rows as they are (raw: no auto_now, no signals), many per statement."""
    if not objs:
        return
    fields = [f for f in model._meta.local_concrete_fields if not f.generated]
    size = max(1, min(BATCH, connections[using].ops.bulk_batch_size(fields, objs) or BATCH))
    manager = model._base_manager.using(using)
    for start in range(0, len(objs), size):
        manager._insert(objs[start:start + size], fields=fields, using=using, raw=True)


def _load(zf: zipfile.ZipFile, entry: dict, model, using: str, advance: Advance) -> int:
    rows = 0
    batch: list = []
    with zf.open(entry["file"]) as member:
        stream = io.TextIOWrapper(member, encoding="utf-8", newline="\n")
        try:
            for obj in serializers.deserialize("jsonl", stream, using=using):
                if type(obj.object) is not model:
                    raise _damaged(_("a row of %(found)s in the file of %(model)s")
                                   % {"found": _label(type(obj.object)),
                                      "model": entry["model"]})
                rows += 1
                if model in NATURAL_MODELS:
                    obj.save(using=using)  # merged: updates the row with the same natural key
                    advance(1)
                    continue
                batch.append(obj.object)
                if len(batch) == BATCH:
                    _insert(model, batch, using)
                    advance(len(batch))
                    batch = []
        except (DeserializationError, UnicodeDecodeError) as exc:
            raise _damaged(f"{entry['file']}: {exc}") from exc
    _insert(model, batch, using)
    advance(len(batch))
    if rows != entry.get("rows"):
        raise _damaged(_("%(file)s has %(found)s rows, the manifest says %(expected)s")
                       % {"file": entry["file"], "found": rows, "expected": entry.get("rows")})
    return rows


def _stage_media(zf: zipfile.ZipFile, names: list[str], media_root: Path) -> Path | None:
    if not names:
        return None
    media_root.mkdir(parents=True, exist_ok=True)
    staging = media_root / f"{STAGING_PREFIX}{secrets.token_hex(6)}"
    for name in names:
        target = staging.joinpath(*PurePosixPath(name[len(MEDIA_DIR):]).parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        with zf.open(name) as src, target.open("wb") as out:
            shutil.copyfileobj(src, out, CHUNK)
    return staging


def _install_media(staging: Path, names: list[str], media_root: Path) -> None:
    for name in names:
        parts = PurePosixPath(name[len(MEDIA_DIR):]).parts
        target = media_root.joinpath(*parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(staging.joinpath(*parts), target)


def restore(path: Path | str, *, force: bool = False, using: str = DEFAULT_DB_ALIAS,
            progress: bool = False) -> Result:
    """Replace the database's rows and add the archive's files to MEDIA_ROOT.

    Checks first, changing nothing: the archive (manifest, checksums), the migrations (the
    archive's must be this database's), and that the database is empty unless ``force``. Then,
    in one transaction: delete every row, load the archive, reset sequences. Files are unpacked
    beside MEDIA_ROOT first and moved into place once the transaction has committed.
    """
    path = Path(path)
    connection = connections[using]
    result = Result(path=path)
    try:
        zf = zipfile.ZipFile(path)
    except FileNotFoundError:
        raise BackupError(_("No such file: %(path)s") % {"path": path}) from None
    except (zipfile.BadZipFile, OSError) as exc:
        raise _damaged(exc) from exc
    with zf:
        manifest = read_manifest(zf)
        verify(zf, manifest)
        _require_migrated(connection)
        _compare_migrations(manifest["migrations"], _applied_migrations(connection))
        models = archived_models(using)
        by_label = {_label(m): m for m in models}
        entries = []
        for entry in manifest["models"]:
            model = by_label.get(entry.get("model")) if isinstance(entry, dict) else None
            if model is None:
                raise _damaged(_("unknown model %(model)s") % {"model": entry})
            entries.append((entry, model))
        if not force and not _is_empty(models, using):
            raise BackupError(_("The database is not empty. Restoring replaces all of its data: "
                                "use --force to do it anyway."))
        media = sorted(n for n in manifest["checksums"] if n.startswith(MEDIA_DIR))
        media_root = Path(settings.MEDIA_ROOT)
        staging = _stage_media(zf, media, media_root)
        try:
            ContentType.objects.clear_cache()
            total = sum(int(e.get("rows") or 0) for e, _m in entries)
            with progress_bar(_("Restoring"), total, progress) as advance, \
                    transaction.atomic(using=using):
                with connection.constraint_checks_disabled():
                    with connection.cursor() as cursor:
                        for model in reversed(models):
                            if model not in NATURAL_MODELS:
                                cursor.execute("DELETE FROM "
                                               + connection.ops.quote_name(model._meta.db_table))
                    for entry, model in entries:
                        result.rows += _load(zf, entry, model, using, advance)
                        result.models.append(entry)
                try:
                    connection.check_constraints(
                        table_names=[m._meta.db_table for m in models])
                except DatabaseError as exc:
                    raise _damaged(exc) from exc
                statements = connection.ops.sequence_reset_sql(no_style(), models)
                if statements:
                    with connection.cursor() as cursor:
                        for sql in statements:
                            cursor.execute(sql)
            if staging is not None:
                _install_media(staging, media, media_root)
                result.files = len(media)
        finally:
            if staging is not None:
                shutil.rmtree(staging, ignore_errors=True)
            ContentType.objects.clear_cache()
    cache.clear()  # cached pages and the atlas describe the data that was replaced
    return result
