from django.core.management.base import BaseCommand, CommandError

from encuentros.encounters import seating
from encuentros.encounters.models import Encounter, SeatingPlan


class Command(BaseCommand):
    help = ("Generate a seating plan (tables × rounds) for an encounter, or re-optimise one "
            "with --plan, and print its quality.")

    def add_arguments(self, parser):
        parser.add_argument("encounter", type=int, help="Encounter number")
        parser.add_argument("--size", type=int, default=6, help="People per table")
        parser.add_argument("--rounds", type=int, default=3)
        parser.add_argument("--source", choices=SeatingPlan.Source.values,
                            default=SeatingPlan.Source.REGISTERED)
        parser.add_argument("--title", default="")
        parser.add_argument("--topics", action="store_true",
                            help="Seat people with shared topics together where possible")
        parser.add_argument("--seconds", type=float, default=2.0)
        parser.add_argument("--plan", type=int, help="Re-optimise this plan instead")
        parser.add_argument("--held", type=int, help="With --plan: rounds already held")

    def handle(self, *args, **o):
        encounter = Encounter.objects.filter(number=o["encounter"]).first()
        if encounter is None:
            raise CommandError(f"No encounter number {o['encounter']}.")
        try:
            if o["plan"]:
                plan = encounter.seating_plans.filter(pk=o["plan"]).first()
                if plan is None:
                    raise CommandError(f"No plan {o['plan']} in encounter {encounter.number}.")
                if o["held"] is not None:
                    plan.rounds_held = min(max(o["held"], 0), plan.rounds)
                    plan.save(update_fields=["rounds_held"])
                seating.reoptimise(plan, seconds=o["seconds"])
            else:
                plan = seating.generate(
                    encounter, table_size=o["size"], rounds=o["rounds"], source=o["source"],
                    title=o["title"], prefer_shared_topics=o["topics"], seconds=o["seconds"])
        except seating.SeatingError as exc:
            raise CommandError(exc.message) from exc
        q = seating.quality(plan)
        self.stdout.write(self.style.SUCCESS(
            f"Plan {plan.pk}: {q.people} people, {q.tables} tables × {plan.rounds} rounds, "
            f"{q.repeated_pairs} repeated pairs, cross-sector contacts per person "
            f"min {q.contacts_min} / mean {q.contacts_mean} / max {q.contacts_max}, "
            f"{q.unbalanced_tables} unbalanced tables, method {plan.method}, {plan.seconds} s."))
