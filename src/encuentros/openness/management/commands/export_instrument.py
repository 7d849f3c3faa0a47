from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from encuentros.openness import exports, services


class Command(BaseCommand):
    help = "Export an openness instrument as an XLSForm (for ODK / KoboToolbox) or its YAML."

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("output", type=Path, help="FILE.xlsx (XLSForm) or FILE.yaml")
        parser.add_argument("--instrument-version", dest="instrument_version", default=None)

    def handle(self, slug, output, instrument_version, **options):
        instrument = services.get_instrument(slug, instrument_version)
        if instrument is None:
            raise CommandError(f"No instrument {slug!r}"
                               + (f" version {instrument_version!r}." if instrument_version
                                  else "."))
        if output.suffix.lower() in (".yaml", ".yml"):
            output.write_text(instrument.source_text, encoding="utf-8")
        elif output.suffix.lower() == ".xlsx":
            output.write_bytes(exports.xlsform(instrument))
        else:
            raise CommandError("The output must end in .xlsx (XLSForm) or .yaml.")
        self.stdout.write(self.style.SUCCESS(f"Wrote {output}"))
