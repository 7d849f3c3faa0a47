import json

from django.core.management.base import BaseCommand, CommandError

from encuentros.openness import exports, services
from encuentros.openness.models import Assessment


class Command(BaseCommand):
    help = ("Openness results of an instrument: scores (CSV or JSON), or the quality report "
            "(Cronbach's alpha per pillar, rank stability under Monte Carlo sensitivity).")

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("--format", choices=["csv", "json", "quality"], default="csv")
        parser.add_argument("--period", default=None)
        parser.add_argument("--sector", default=None)
        parser.add_argument("--perspective", choices=Assessment.Perspective.values,
                            default=Assessment.Perspective.SELF)
        parser.add_argument("--draws", type=int, default=1000)

    def handle(self, slug, format, period, sector, perspective, draws, **options):
        instrument = services.get_instrument(slug)
        if instrument is None:
            raise CommandError(f"No instrument {slug!r}.")
        if format != "quality":
            rows = services.score_rows(slug, perspective=perspective, period=period,
                                       sector=sector)
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=1) if format == "json"
                              else exports.scores_csv(instrument, rows), ending="")
            return
        self.stdout.write("Cronbach's alpha by pillar (Feldt 95% interval):")
        for a in services.reliability(instrument, perspective, period):
            value = "—" if a["alpha"] is None else (
                f"{a['alpha']:.3f} [{a['low']:.3f}, {a['high']:.3f}]")
            self.stdout.write(f"  {a['key']:<16} {value}  n={a['n']} k={a['k']}")
        periods = services.periods(slug, perspective)
        period = period or (periods[-1] if periods else None)
        if period is None:
            return
        s = services.rank_stability(instrument, period, perspective, draws=draws)
        if not s["rows"]:
            return
        self.stdout.write(f"Rank stability, {period}, {s['draws']} draws; average shift "
                          f"{s['average_shift']:.2f}")
        for r in s["rows"]:
            self.stdout.write(f"  {r['rank']:>5.1f}  median {r['median']:>5.1f}  "
                              f"90% [{r['low']:.0f}, {r['high']:.0f}]  "
                              f"shift {r['shift']:.2f}  {r['organization'].name}")
