from django.core.management.base import BaseCommand, CommandError
from rich.progress import Progress

from encuentros.opendata.catalogs import CatalogError, import_catalog, read_source


class Command(BaseCommand):
    help = ("Import a dataset catalog (CKAN package_search/package_show JSON, DCAT JSON-LD or "
            "RDF/XML, or a data.json) from a file or a URL. Re-importing updates, never "
            "duplicates; any error imports nothing.")

    def add_arguments(self, parser):
        parser.add_argument("source", help="File path or http(s) URL")
        parser.add_argument("--catalog", help="Name of the source catalog (default: the source)")

    def handle(self, source, catalog=None, **options):
        try:
            data = read_source(source)
            with Progress(disable=options["verbosity"] == 0) as progress:
                task = progress.add_task("Importando", total=None)

                def step(done, total):
                    progress.update(task, completed=done, total=total)

                result = import_catalog(data, catalog or source, progress=step)
        except CatalogError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"{result.format}: {result.created} created, {result.updated} "
                          f"updated, {result.publishers_created} new publishers")
