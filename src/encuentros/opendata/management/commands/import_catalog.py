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
        parser.add_argument("--background", action="store_true",
                            help="Queue the import for `encuentros worker` and print the task id "
                                 "(follow it with `encuentros tasks --watch ID`)")

    def handle(self, source, catalog=None, background=False, **options):
        if background:
            return self._enqueue(source, catalog or source)
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

    def _enqueue(self, source, catalog):
        from django.core.files.base import ContentFile

        from encuentros.core.tasks import start
        from encuentros.opendata import tasks

        if source.startswith(("http://", "https://")):
            record = start(tasks.import_catalog_task, catalog, url=source,
                           label=f"Catalog import: {catalog}")
        else:
            try:
                data = read_source(source)
            except CatalogError as exc:
                raise CommandError(str(exc)) from exc
            stored = tasks.stash_upload(ContentFile(data))
            record = start(tasks.import_catalog_task, catalog, stored_name=stored,
                           label=f"Catalog import: {catalog}")
        self.stdout.write(record.pk)
