"""`encuentros tasks`: list background tasks, or follow one with a progress bar."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from encuentros.core import tasks
from encuentros.core.models import TaskRecord


class Command(BaseCommand):
    help = _("List recent background tasks, or follow one until it ends.")

    def add_arguments(self, parser):
        parser.add_argument("--watch", metavar="ID", help=_("Follow this task."))
        parser.add_argument("--limit", type=int, default=20)
        parser.add_argument("--status", choices=[s.value for s in TaskRecord.Status])
        parser.add_argument("--probe", action="store_true",
                            help=_("Queue a small task and wait for a worker to run it."))

    def handle(self, *args, watch=None, limit=20, status=None, probe=False, **options):
        if probe:
            record = tasks.start(tasks.probe, 3, label=_("Worker check"))
            self.stdout.write(record.pk)
            watch = record.pk
        if watch:
            return self._watch(watch)
        qs = TaskRecord.objects.all()
        if status:
            qs = qs.filter(status=status)
        rows = list(qs[:limit])
        if not rows:
            self.stdout.write(_("No background tasks."))
            return
        for record in rows:
            done, total, message = tasks.progress_of(record)
            progress = f"{done}/{total}" if total else str(done or "")
            self.stdout.write("  ".join([
                record.pk, str(record.status_label), progress.ljust(11),
                str(record)[:60], message[:40]]))

    def _watch(self, task_id):
        from rich.progress import Progress

        try:
            record = TaskRecord.objects.get(pk=task_id)
        except TaskRecord.DoesNotExist as exc:
            raise CommandError(_("There is no task %(id)s.") % {"id": task_id}) from exc
        with Progress(transient=False) as bar:
            line = bar.add_task(str(record)[:60], total=None)
            while True:
                record.refresh_from_db()
                done, total, message = tasks.progress_of(record)
                bar.update(line, completed=done, total=total,
                           description=f"{str(record)[:40]} {message[:30]}")
                if record.is_finished:
                    break
                time.sleep(0.5)
        if record.status == TaskRecord.Status.FAILED:
            raise CommandError(record.error_message or _("The task failed."))
        self.stdout.write(_("Task finished: %(status)s.") % {"status": record.status_label})
