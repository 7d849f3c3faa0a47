from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from encuentros.core import backup


class Command(BaseCommand):
    help = ("Write the whole database and the uploaded files to a portable ZIP archive "
            "(restore it with `encuentros restore`, on SQLite or PostgreSQL).")

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?",
                            help="Archive to write (default: var/backups/encuentros-<UTC>.zip).")
        parser.add_argument("--quiet", action="store_true", help="No progress bar.")
        parser.add_argument("--database", default="default", help="Database alias.")

    def handle(self, path, quiet, database, verbosity, **options):
        try:
            result = backup.backup(path, using=database, progress=not quiet and verbosity > 0)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        if verbosity > 0:
            self.stdout.write(self.style.SUCCESS(
                _("Backup written to %(path)s: %(rows)d rows, %(files)d files.")
                % {"path": result.path, "rows": result.rows, "files": result.files}))
