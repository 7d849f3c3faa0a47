from django.utils.translation import gettext_lazy as _

from encuentros.opendata.publication import resource

from . import services


@resource("openness-scores", _("Openness scores"),
          _("Overall score of every submitted assessment (0–1), by organization and period."), [
    ("organization_id", "integer", ""), ("organization", "string", ""),
    ("sector", "string", ""), ("instrument", "string", ""), ("version", "string", ""),
    ("period", "string", ""), ("perspective", "string", "self or external"),
    ("overall", "number", "0–1"), ("coverage", "number", "share of questions answered")])
def scores():
    for instrument in services.latest_instruments(active_only=False):
        for perspective in ("self", "external"):
            yield from services.score_rows(instrument.slug, perspective=perspective)
