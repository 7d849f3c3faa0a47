from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from encuentros.core import backup


class Command(BaseCommand):
    help = ("Replace the database's data and add the uploaded files from an archive made by "
            "`encuentros backup`. The database must be migrated to the archive's version.")

    def add_arguments(self, parser):
        parser.add_argument("path", help="Archive made by `encuentros backup`.")
        parser.add_argument("--force", action="store_true",
                            help="Restore even if the database already has data (it is deleted).")
        parser.add_argument("--quiet", action="store_true", help="No progress bar.")
        parser.add_argument("--database", default="default", help="Database alias.")

    def handle(self, path, force, quiet, database, verbosity, **options):
        try:
            result = backup.restore(path, force=force, using=database,
                                    progress=not quiet and verbosity > 0)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        if verbosity > 0:
            self.stdout.write(self.style.SUCCESS(
                _("Restored %(rows)d rows and %(files)d files from %(path)s.")
                % {"path": result.path, "rows": result.rows, "files": result.files}))
