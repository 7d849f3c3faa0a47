"""Static charts of the atlas analytics, rendered server-side to SVG (Vega-Lite)."""

import json
from functools import lru_cache

from django.utils.translation import gettext as _


def cross_sector_chart(by_encounter: list[dict]) -> str:
    values = [{"encounter": str(e["encounter"]), "ratio": e["cross_sector_ratio"]}
              for e in by_encounter if e["cross_sector_ratio"] is not None]
    if not values:
        return ""
    return _render(json.dumps(values), "ratio", _("Encounter"),
                   _("Share of ties across sectors"), True)


def growth_chart(by_encounter: list[dict]) -> str:
    values = [{"encounter": str(e["encounter"]), "ties": e["cumulative_ties"]}
              for e in by_encounter]
    if not values:
        return ""
    return _render(json.dumps(values), "ties", _("Encounter"),
                   _("Ties accumulated (organizations)"), False)


@lru_cache(maxsize=64)
def _render(values: str, field: str, x_title: str, y_title: str, percent: bool) -> str:
    import altair as alt
    import vl_convert as vlc

    y = alt.Y(f"{field}:Q", title=y_title,
              axis=alt.Axis(format="%") if percent else alt.Undefined,
              scale=alt.Scale(domain=[0, 1]) if percent else alt.Undefined)
    chart = (alt.Chart(alt.Data(values=json.loads(values)))
             .mark_line(point=True, color="#0b5d53")
             .encode(x=alt.X("encounter:O", title=x_title), y=y)
             .properties(width=420, height=200)
             .configure_view(stroke=None))
    return vlc.vegalite_to_svg(chart.to_json())
