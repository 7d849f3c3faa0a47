"""`encuentros worker`: run background tasks from the database (see core/tasks.py)."""

import signal

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from encuentros.core import tasks


class Command(BaseCommand):
    help = _("Run background tasks (catalog imports, seating plans, analytics, reports).")

    def add_arguments(self, parser):
        parser.add_argument("--queue", action="append", dest="queues",
                            help=_("Only this queue (repeatable; default: all)."))
        parser.add_argument("--once", action="store_true",
                            help=_("Run what is due now, then stop."))
        parser.add_argument("--max-tasks", type=int, default=None,
                            help=_("Stop after this many tasks."))
        parser.add_argument("--sleep", type=float, default=1.0,
                            help=_("Seconds to wait when there is nothing to do."))
        parser.add_argument("--requeue-stale", type=int, default=6 * 3600, metavar="SECONDS",
                            help=_("At start, put back tasks left running longer than this by "
                                   "a worker that died (0: never)."))

    def handle(self, *args, queues=None, once=False, max_tasks=None, sleep=1.0,
               requeue_stale=0, **options):
        stopping = {"now": False}

        def stop(signum, frame):
            stopping["now"] = True
            self.stderr.write(_("Stopping after the current task…"))

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        if requeue_stale:
            requeued = tasks.requeue_stale(requeue_stale)
            if requeued:
                self.stdout.write(_("%(n)s stale task(s) put back in the queue.") % {"n": requeued})
        verbosity = options.get("verbosity", 1)
        if verbosity:
            self.stdout.write(_("Worker %(id)s waiting for tasks.") % {"id": tasks.worker_id()})

        def report(event, task_id):
            if verbosity:
                self.stdout.write(f"{task_id} {event}")

        ran = tasks.run_worker(queues=queues, once=once, max_tasks=max_tasks, sleep=sleep,
                               stop=lambda: stopping["now"], on_task=report)
        if verbosity:
            self.stdout.write(_("%(n)s task(s) run.") % {"n": ran})
