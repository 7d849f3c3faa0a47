"""List overdue commitments; with --notify, email their followers once per due date.

Meant for a daily cron: `encuentros overdue_commitments --notify`.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from encuentros.collaboration import services


class Command(BaseCommand):
    help = "List commitments past their due date that are neither completed nor cancelled."

    def add_arguments(self, parser):
        parser.add_argument("--notify", action="store_true",
                            help="Email the followers of each overdue commitment (once per "
                                 "due date; recorded in its public history).")

    def handle(self, *args, notify=False, **options):
        overdue = services.dashboard()["overdue"]
        sent = 0
        for c in overdue:
            who = c.responsible.name if c.responsible_id else "—"
            self.stdout.write(f"{c.pk}\t{c.due_date}\t{c.progress}%\t{c.status}\t{who}\t{c.title}")
            if notify:
                with transaction.atomic():
                    sent += services.notify_overdue(c)
        if notify:
            self.stdout.write(self.style.SUCCESS(f"{len(overdue)} overdue, {sent} emails"))
