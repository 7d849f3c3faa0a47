from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from encuentros.core.uploads import max_upload_bytes
from encuentros.encounters.models import Encounter
from encuentros.evaluation import imports


def _read(path):
    """At most one byte over the upload cap: a bigger file is refused without reading it all."""
    with path.open("rb") as fh:
        return fh.read(max_upload_bytes() + 1)


class Command(BaseCommand):
    help = ("Import survey answers collected on paper or offline (CSV or XLSX, one row per "
            "person: code, moment and one column per question key). All rows are imported or "
            "none; every problem is listed with its row and column.")

    def add_arguments(self, parser):
        parser.add_argument("encounter", type=int, help="Encounter number")
        parser.add_argument("file", type=Path)

    def handle(self, encounter, file, **options):
        target = Encounter.objects.filter(number=encounter).first()
        if target is None:
            raise CommandError(f"No encounter number {encounter}.")
        if not file.is_file():
            raise CommandError(f"{file} does not exist.")
        try:
            result = imports.import_answers(target, _read(file), file.name)
        except imports.ImportError_ as exc:
            for row, column, message in exc.errors:
                self.stderr.write(f"row {row}, column {column}: {message}")
            raise CommandError(f"Nothing imported: {len(exc.errors)} problem(s).") from exc
        self.stdout.write(self.style.SUCCESS(
            f"Imported {result.rows} responses ({result.pre} before, {result.post} after)."))
