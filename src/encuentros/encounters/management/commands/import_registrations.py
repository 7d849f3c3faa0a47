from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from rich.progress import Progress

from encuentros.core.uploads import max_upload_bytes
from encuentros.encounters import imports
from encuentros.encounters.models import Encounter


def _read(path):
    """At most one byte over the upload cap: a bigger file is refused without reading it all."""
    with path.open("rb") as fh:
        return fh.read(max_upload_bytes() + 1)


class Command(BaseCommand):
    help = ("Import registrations for an encounter from a CSV or XLSX file. All rows are "
            "imported or none; every problem is listed with its row and column.")

    def add_arguments(self, parser):
        parser.add_argument("encounter", type=int, help="Encounter number")
        parser.add_argument("file", type=Path)

    def handle(self, encounter, file, **options):
        target = Encounter.objects.filter(number=encounter).first()
        if target is None:
            raise CommandError(f"No encounter number {encounter}.")
        if not file.exists():
            raise CommandError(f"{file} does not exist.")
        raw = _read(file)
        try:
            with Progress(transient=True) as progress:
                task = progress.add_task(f"Importing {file.name}", total=None)
                result = imports.import_registrations(
                    target, raw, file.name, progress=lambda row: progress.advance(task))
        except imports.ImportError_ as exc:
            for row, column, message in exc.errors:
                self.stderr.write(f"row {row}, column {column}: {message}")
            raise CommandError(f"Nothing imported: {len(exc.errors)} problem(s).") from exc
        self.stdout.write(self.style.SUCCESS(
            f"Imported {result.rows} rows: {result.registered} registered, "
            f"{result.waitlisted} waitlisted, {result.new_organizations} new organizations, "
            f"{result.new_people} new people."))
