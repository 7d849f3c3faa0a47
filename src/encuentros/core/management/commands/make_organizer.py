from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from encuentros.core.roles import make_organizer
from encuentros.encounters.models import Encounter


class Command(BaseCommand):
    help = "Give an account the organizer role, optionally for specific encounters."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--encounter", type=int, action="append", default=[],
                            help="Encounter number this person organizes (repeatable).")

    def handle(self, username, encounter, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No account named {username!r}.")
        make_organizer(user)
        for number in encounter:
            e = Encounter.objects.filter(number=number).first()
            if e is None:
                raise CommandError(f"No encounter number {number}.")
            e.organizers.add(user)
        self.stdout.write(self.style.SUCCESS(f"{username} is now an organizer."))
