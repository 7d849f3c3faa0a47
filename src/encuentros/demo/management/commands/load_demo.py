from django.core.management.base import BaseCommand

from encuentros.demo.services import DEMO_ADMIN, DEMO_ORGANIZER, load_demo


class Command(BaseCommand):
    help = ("Load the five historical encounters (facts from the seed) and a synthetic current "
            "one. Idempotent: running it again updates instead of duplicating.")

    def add_arguments(self, parser):
        parser.add_argument("--no-accounts", action="store_true",
                            help="Do not create the demo organizer and admin accounts.")

    def handle(self, *args, no_accounts=False, **options):
        result = load_demo(accounts=not no_accounts)
        current = result["synthetic"]
        self.stdout.write(self.style.SUCCESS(
            f"Loaded {result['historical']} historical encounters and synthetic encounter "
            f"{current.number} ({current.registrations.count()} registrations)."))
        if not no_accounts:
            self.stdout.write(f"Demo organizer: {DEMO_ORGANIZER[0]} / {DEMO_ORGANIZER[1]}  ·  "
                              f"admin: {DEMO_ADMIN[0]} / {DEMO_ADMIN[1]}")
