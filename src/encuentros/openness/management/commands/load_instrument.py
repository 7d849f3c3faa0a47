from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from encuentros.openness import schema, services
from encuentros.openness.schema import InstrumentError


class Command(BaseCommand):
    help = ("Load openness instruments from YAML files (idempotent by slug + version). "
            "Without FILE, loads the instruments shipped with the app.")

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="*", type=Path, metavar="FILE")

    def handle(self, files, **options):
        paths = files or sorted(services.INSTRUMENTS_DIR.glob("*.yaml"))
        problems = 0
        for path in paths:
            if not path.exists():
                raise CommandError(f"{path} does not exist.")
            try:
                text = schema.decode(path.read_bytes())  # an error names the line
                instrument, outcome = services.load_instrument(text)
            except InstrumentError as exc:
                problems += 1
                for error in exc.errors:
                    self.stderr.write(f"{path}: {error}")
                continue
            self.stdout.write(f"{path.name}: {instrument.slug} v{instrument.version} {outcome} "
                              f"({instrument.indicator_count} indicators)")
        if problems:
            raise CommandError(f"{problems} file(s) not loaded.")
