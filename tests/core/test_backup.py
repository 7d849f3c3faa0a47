"""`encuentros backup` / `encuentros restore`: a round trip loses nothing, and a bad archive, a
different migration state or a database with data are refused before anything changes."""

import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.auth import authenticate
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.core.management.sql import emit_post_migrate_signal
from django.utils import timezone, translation

from encuentros.collaboration import services as collaboration
from encuentros.collaboration.models import Agreement, ChangeRecord, Commitment, Follow
from encuentros.core import backup
from encuentros.core.roles import make_organizer
from encuentros.core.sectors import Sector
from encuentros.ecosystem.models import Organization, Person
from encuentros.encounters.models import Registration

PDF = b"%PDF-1.4\n% firmado \xe2\x9c\x8d\n" + bytes(range(256)) + b"\n%%EOF\n"
UNICODE = "Ñandú Cívico — 東京 🚲 «comillas» \u200b"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def sample(fast_passwords, media, user, admin_user, organizer, encounter, topics, agency):
    """A small database touching every kind of data the archive must carry."""
    make_organizer(organizer)  # a group with permissions (natural keys on restore)
    user.user_permissions.add(Permission.objects.get(codename="view_dataset"))
    org = Organization.objects.create(name=UNICODE, sector=Sector.CIVIL_SOCIETY)
    org.topics.set(topics[:2])
    person = Person.objects.create(full_name="José Ñúñez", email="jose@example.org",
                                   sector=Sector.CIVIL_SOCIETY, organization=org, user=user,
                                   bio="Línea 1\nLínea 2 — ✓")
    registration = Registration.objects.create(
        encounter=encounter, person=person, sector=Sector.CIVIL_SOCIETY, organization=org,
        accessibility_needs="Intérprete de LSM",
        checked_in_at=timezone.now().replace(microsecond=123456), checked_in_by=organizer)
    registration.topics.set(topics)
    agreement = Agreement.objects.create(title="Convenio de datos abiertos", encounter=encounter,
                                         signed_on=dt.date(2017, 12, 8), text=UNICODE)
    agreement.signatories.set([agency, org])
    agreement.document.save("convenio-firmado.pdf", ContentFile(PDF))
    commitment = Commitment.objects.create(title="Publicar el catálogo", agreement=agreement,
                                           responsible=agency)
    collaboration.record(commitment, organizer, "updated",
                         {"status": ("not_started", "in_progress")}, note=UNICODE)
    collaboration.follow(user, commitment)
    LogEntry.objects.create(user=admin_user, content_type=ContentType.objects.get_for_model(org),
                            object_id=str(org.pk), object_repr=str(org), action_flag=ADDITION)
    (media / "otros").mkdir(parents=True)
    (media / "otros" / "nota ñ.txt").write_text(UNICODE, encoding="utf-8")
    return {"agreement": agreement, "commitment": commitment, "registration": registration}


def snapshot() -> dict:
    """Every archived model's rows, all fields, by primary key; content types and permissions
    (whose ids belong to each database) by natural key."""
    types = {ct.pk: (ct.app_label, ct.model) for ct in ContentType.objects.all()}
    perms = {p.pk: (p.codename, *types[p.content_type_id]) for p in Permission.objects.all()}
    data = {"contenttypes.contenttype": sorted(types.values()),
            "auth.permission": sorted((p.name, perms[p.pk]) for p in Permission.objects.all())}
    for model in backup.archived_models():
        label = model._meta.label_lower
        if label in data:
            continue
        fields = model._meta.local_concrete_fields
        natural = [types if f.related_model is ContentType
                   else perms if f.related_model is Permission else None for f in fields]
        rows = model._base_manager.order_by("pk").values_list(*[f.attname for f in fields])
        data[label] = [tuple(v if n is None else n.get(v) for n, v in zip(natural, row,
                                                                          strict=True))
                       for row in rows]
    return data


def media_files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file()}


def rewrite(path: Path, replace: dict[str, bytes]) -> None:
    """Rebuild the ZIP with some members' contents replaced (a valid ZIP, altered data)."""
    with zipfile.ZipFile(path) as zf:
        members = {name: zf.read(name) for name in zf.namelist()}
    members.update(replace)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)


def manifest_of(path: Path) -> dict:
    with zipfile.ZipFile(path) as zf:
        return json.loads(zf.read("manifest.json"))


def restore_error(path, **kwargs) -> str:
    with translation.override("en"), pytest.raises(backup.BackupError) as info:
        backup.restore(path, **kwargs)
    return str(info.value)


def scramble_content_types() -> None:
    """Recreate content types and permissions with new ids, as another database would have."""
    ContentType.objects.all().delete()
    ContentType.objects.clear_cache()
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")


@pytest.mark.django_db(transaction=True)
def test_round_trip_keeps_every_row_and_file(sample, media, tmp_path):
    call_command("load_demo", verbosity=0)
    before, files = snapshot(), media_files(media)
    filled = {label.split(".")[0] for label, rows in before.items() if rows}
    assert filled >= {"ecosystem", "encounters", "opendata", "openness", "collaboration",
                      "evaluation", "auth", "admin", "contenttypes"}
    assert files["agreements/convenio-firmado.pdf"] == PDF
    commitment_ct = ContentType.objects.get_for_model(Commitment).pk

    archive = tmp_path / "copia.zip"
    call_command("backup", str(archive), "--quiet", verbosity=0)

    call_command("flush", interactive=False, verbosity=0)  # PostgreSQL: sequences restart at 1
    scramble_content_types()
    shutil.rmtree(media)
    assert ContentType.objects.get_for_model(Commitment).pk != commitment_ct
    assert not Registration.objects.exists() and snapshot() != before

    call_command("restore", str(archive), "--quiet", verbosity=0)  # only migrate's rows: empty

    after = snapshot()
    for label in before:
        assert after[label] == before[label], label
    assert media_files(media) == files
    agreement = Agreement.objects.get(pk=sample["agreement"].pk)
    with agreement.document.open("rb") as f:
        assert f.read() == PDF
    assert Organization.objects.get(name=UNICODE).topics.count() == 2
    assert Registration.objects.get(pk=sample["registration"].pk).checked_in_at.microsecond \
        == 123456
    record = ChangeRecord.objects.get(note=UNICODE)
    assert record.target == sample["commitment"]  # generic relation, content type remapped
    assert Follow.objects.get().target == sample["commitment"]
    assert authenticate(username="participante", password="s3cret-pass-123") is not None
    organizer = authenticate(username="organizadora", password="s3cret-pass-123")
    assert organizer.has_perm("encounters.change_encounter")  # group permissions survived
    assert authenticate(username="participante",
                        password="s3cret-pass-123").has_perm("opendata.view_dataset")

    # Sequences: new rows (and m2m rows) after the restore get fresh ids.
    new = Organization.objects.create(name="Organización nueva", sector=Sector.ACADEMIA)
    assert new.pk > max(row[0] for row in before["ecosystem.organization"])
    agreement.signatories.add(new)
    collaboration.record(agreement, None, "updated")


@pytest.mark.django_db
def test_manifest_describes_the_archive(sample, media, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    call_command("backup", "--quiet", verbosity=0)
    [archive] = (tmp_path / "backups").iterdir()
    assert re.fullmatch(r"encuentros-\d{8}T\d{6}Z\.zip", archive.name)
    manifest = manifest_of(archive)
    assert manifest["format"] == "encuentros-backup" and manifest["format_version"] == 1
    assert manifest["vendor"] in {"sqlite", "postgresql"}
    assert manifest["django_version"].startswith("6.") and manifest["app_version"]
    rows = {m["model"]: m["rows"] for m in manifest["models"]}
    assert rows["encounters.registration"] == 1
    assert rows["collaboration.agreement_signatories"] == 2
    assert rows["auth.group_permissions"] == Permission.objects.filter(group__isnull=False).count()
    assert list(rows) == [m._meta.label_lower for m in backup.archived_models()]
    order = list(rows)
    assert order.index("encounters.encounter") < order.index("encounters.registration")
    from django.db.migrations.loader import MigrationLoader

    [(_, leaf)] = MigrationLoader(None).graph.leaf_nodes("collaboration")
    assert manifest["latest_migrations"]["collaboration"] == leaf
    with zipfile.ZipFile(archive) as zf:
        assert set(zf.namelist()) == set(manifest["checksums"]) | {"manifest.json"}
        assert zf.read("media/agreements/convenio-firmado.pdf") == PDF
    assert "media/otros/nota ñ.txt" in manifest["checksums"]


@pytest.mark.django_db
def test_non_empty_database_is_refused_without_force(sample, media, tmp_path):
    archive = backup.backup(tmp_path / "a.zip").path
    before = snapshot()
    Organization.objects.create(name="Creada después", sector=Sector.PRIVATE)
    (media / "agreements" / "convenio-firmado.pdf").write_bytes(b"otro")
    changed = snapshot()

    with translation.override("en"), pytest.raises(CommandError, match="--force"):
        call_command("restore", str(archive), "--quiet", verbosity=0)
    assert snapshot() == changed
    assert (media / "agreements" / "convenio-firmado.pdf").read_bytes() == b"otro"

    result = backup.restore(archive, force=True)
    assert result.files == 2 and result.rows == sum(len(rows) for rows in before.values())
    assert snapshot() == before
    assert (media / "agreements" / "convenio-firmado.pdf").read_bytes() == PDF
    assert not [p for p in media.iterdir() if p.name.startswith(".restore-")]


def _flip_byte_inside(archive: Path, member: str) -> None:
    with zipfile.ZipFile(archive) as zf:
        info = zf.getinfo(member)
    data = bytearray(archive.read_bytes())
    header = info.header_offset
    name_len = int.from_bytes(data[header + 26:header + 28], "little")
    extra_len = int.from_bytes(data[header + 28:header + 30], "little")
    offset = header + 30 + name_len + extra_len + info.compress_size // 2
    data[offset] ^= 0x5A
    archive.write_bytes(bytes(data))


@pytest.mark.django_db
def test_damaged_or_foreign_archives_change_nothing(sample, media, tmp_path):
    archive = backup.backup(tmp_path / "a.zip").path
    Organization.objects.create(name="Solo en la base actual", sector=Sector.PRIVATE)
    current, files = snapshot(), media_files(media)

    flipped = tmp_path / "flipped.zip"
    shutil.copy(archive, flipped)
    _flip_byte_inside(flipped, next(m["file"] for m in manifest_of(archive)["models"]
                                    if m["model"] == "ecosystem.organization"))
    assert "damaged" in restore_error(flipped, force=True)

    edited = tmp_path / "edited.zip"  # a valid ZIP whose data no longer matches its checksum
    shutil.copy(archive, edited)
    entry = next(m for m in manifest_of(archive)["models"] if m["model"] == "auth.user")
    with zipfile.ZipFile(archive) as zf:
        users = zf.read(entry["file"]).replace(b'"is_superuser": false', b'"is_superuser": true')
    rewrite(edited, {entry["file"]: users})
    assert "checksum mismatch in " + entry["file"] in restore_error(edited, force=True)

    foreign = tmp_path / "foreign.zip"
    with zipfile.ZipFile(foreign, "w") as zf:
        zf.writestr("data.json", "[]")
    assert "not an Encuentros backup" in restore_error(foreign, force=True)
    not_zip = tmp_path / "not.zip"
    not_zip.write_text("hola")
    assert "damaged" in restore_error(not_zip, force=True)

    escaping = tmp_path / "escaping.zip"  # a member outside the archive's folders
    shutil.copy(archive, escaping)
    manifest = manifest_of(archive)
    manifest["checksums"]["media/../../fuera.txt"] = manifest["checksums"].pop(
        "media/otros/nota ñ.txt")
    rewrite(escaping, {"manifest.json": json.dumps(manifest).encode(),
                       "media/../../fuera.txt": UNICODE.encode()})
    assert "damaged" in restore_error(escaping, force=True)

    assert snapshot() == current
    assert media_files(media) == files
    assert not (tmp_path.parent / "fuera.txt").exists()


@pytest.mark.django_db
def test_archive_with_other_migrations_is_refused_naming_the_app(sample, media, tmp_path):
    archive = backup.backup(tmp_path / "a.zip").path
    Organization.objects.create(name="Solo en la base actual", sector=Sector.PRIVATE)
    current = snapshot()

    manifest = manifest_of(archive)
    manifest["migrations"]["collaboration"].remove("0002_proposal_data_links")
    older = tmp_path / "older.zip"
    shutil.copy(archive, older)
    rewrite(older, {"manifest.json": json.dumps(manifest).encode()})
    message = restore_error(older, force=True)
    assert "“collaboration”" in message and "older version" in message

    manifest = manifest_of(archive)
    manifest["migrations"]["encounters"].append("0099_future")
    newer = tmp_path / "newer.zip"
    shutil.copy(archive, newer)
    rewrite(newer, {"manifest.json": json.dumps(manifest).encode()})
    message = restore_error(newer, force=True)
    assert "“encounters”" in message and "0099_future" in message and "newer version" in message

    assert snapshot() == current


def _data_members(path: Path) -> dict[str, list]:
    """Each model's rows as parsed JSON (content types and permissions as sets)."""
    out = {}
    with zipfile.ZipFile(path) as zf:
        for entry in json.loads(zf.read("manifest.json"))["models"]:
            rows = [json.loads(line) for line in zf.read(entry["file"]).splitlines()]
            if entry["model"] in {"contenttypes.contenttype", "auth.permission"}:
                rows = sorted(json.dumps(r, sort_keys=True) for r in rows)
            out[entry["model"]] = rows
    return out


@pytest.mark.postgres
@pytest.mark.django_db
def test_postgresql_archive_restores_into_sqlite(sample, media, tmp_path):
    archive = backup.backup(tmp_path / "pg.zip").path
    assert manifest_of(archive)["vendor"] == "postgresql"
    var = tmp_path / "sqlite-site"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{var / 'encuentros.sqlite3'}",
           "ENCUENTROS_VAR_DIR": str(var)}
    script = ("from django.core.management import call_command as run\n"
              "run('migrate', verbosity=0)\n"
              f"run('restore', {str(archive)!r}, quiet=True, verbosity=0)\n"
              f"run('backup', {str(tmp_path / 'sqlite.zip')!r}, quiet=True, verbosity=0)\n")
    done = subprocess.run([str(Path(sys.executable).with_name("encuentros")), "shell", "-c",
                           script], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr

    assert manifest_of(tmp_path / "sqlite.zip")["vendor"] == "sqlite"
    assert _data_members(tmp_path / "sqlite.zip") == _data_members(archive)
    assert (var / "media" / "agreements" / "convenio-firmado.pdf").read_bytes() == PDF
    assert apps.get_model("collaboration", "agreement").objects.get().document.name \
        == "agreements/convenio-firmado.pdf"
