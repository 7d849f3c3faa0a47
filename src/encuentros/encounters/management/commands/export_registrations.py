import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from encuentros.encounters import imports
from encuentros.encounters.models import Encounter


class Command(BaseCommand):
    help = ("Export an encounter's registrations (contains personal data: for organizers). "
            "Cells that a spreadsheet would run as formulas are neutralised.")

    def add_arguments(self, parser):
        parser.add_argument("encounter", type=int)
        parser.add_argument("--output", "-o", type=Path, help="File (.csv or .xlsx); "
                            "default: CSV to standard output")

    def handle(self, encounter, output=None, **options):
        target = Encounter.objects.filter(number=encounter).first()
        if target is None:
            raise CommandError(f"No encounter number {encounter}.")
        dataset = imports.export_dataset(target)
        if output and output.suffix.lower() == ".xlsx":
            output.write_bytes(dataset.export("xlsx"))
        elif output:
            output.write_text(dataset.export("csv"), encoding="utf-8-sig")
        else:
            sys.stdout.write(dataset.export("csv"))
