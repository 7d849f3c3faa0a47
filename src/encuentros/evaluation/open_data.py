from django.utils.translation import gettext_lazy as _

from encuentros.encounters.models import Encounter
from encuentros.opendata.publication import resource

from . import services
from .models import Survey


@resource("survey-results", _("Survey results before and after"),
          _("Aggregates per item and group; groups under 5 answers are suppressed."), [
    ("encounter", "integer", ""), ("group", "string", "all or a sector"),
    ("item", "string", ""), ("suppressed", "boolean", ""), ("n_pre", "integer", ""),
    ("n_post", "integer", ""), ("n_paired", "integer", ""), ("mean_pre", "number", ""),
    ("mean_post", "number", ""), ("change", "number", ""), ("ci_low", "number", ""),
    ("ci_high", "number", ""), ("p_value", "number", "Wilcoxon signed-rank"),
    ("rank_biserial", "number", "effect size")])
def survey_results():
    numbers = Survey.objects.values_list("encounter_id", flat=True).distinct()
    for encounter in Encounter.objects.filter(pk__in=numbers, is_published=True) \
            .order_by("number"):
        for group, items in services.results(encounter).groups.items():
            for i in items:
                yield {"encounter": encounter.number, "group": group, "item": i.key,
                       "suppressed": i.suppressed, "n_pre": i.n_pre, "n_post": i.n_post,
                       "n_paired": i.n_paired, "mean_pre": i.mean_pre,
                       "mean_post": i.mean_post, "change": i.change, "ci_low": i.ci_low,
                       "ci_high": i.ci_high, "p_value": i.p_value,
                       "rank_biserial": i.rank_biserial}
