from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from encuentros.core.uploads import max_upload_bytes
from encuentros.openness import exports, services


def _read(path):
    """At most one byte over the upload cap: a bigger file is refused without reading it all."""
    with path.open("rb") as fh:
        return fh.read(max_upload_bytes() + 1)


class Command(BaseCommand):
    help = ("Import openness answers collected with the instrument's XLSForm (ODK / "
            "KoboToolbox export, XLSX or CSV). Each row becomes a submitted assessment. All "
            "rows are imported or none; every problem is listed with its row and column.")

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("file", type=Path)
        parser.add_argument("--instrument-version", dest="instrument_version", default=None)

    def handle(self, slug, file, instrument_version, **options):
        instrument = services.get_instrument(slug, instrument_version)
        if instrument is None:
            raise CommandError(f"No instrument {slug!r}.")
        if not file.exists():
            raise CommandError(f"{file} does not exist.")
        try:
            result = exports.import_answers(instrument, _read(file), file.name)
        except exports.ImportError_ as exc:
            for row, column, message in exc.errors:
                self.stderr.write(f"row {row}, column {column}: {message}")
            raise CommandError(f"Nothing imported: {len(exc.errors)} problem(s).") from exc
        self.stdout.write(self.style.SUCCESS(
            f"Imported {result.rows} assessments ({result.created} new)."))
