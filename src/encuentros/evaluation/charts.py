"""Pre vs post chart (server-side SVG, Vega-Lite)."""

import json
from functools import lru_cache

from django.utils.translation import gettext as _


def pre_post_chart(items, texts) -> str:
    values = []
    for item in items:
        if item.suppressed:
            continue
        for moment, mean in ((_("Before"), item.mean_pre), (_("After"), item.mean_post)):
            if mean is not None:
                values.append({"item": texts.get(item.key, item.key)[:60], "moment": moment,
                               "mean": mean})
    if not values:
        return ""
    return _render(json.dumps(values), _("Mean (1–5)"))


@lru_cache(maxsize=64)
def _render(values: str, x_title: str) -> str:
    import altair as alt
    import vl_convert as vlc

    data = json.loads(values)
    base = alt.Chart(alt.Data(values=data))
    lines = base.mark_line(color="#9aa9a6").encode(
        y=alt.Y("item:N", title=None, sort=None), x=alt.X("mean:Q", title=x_title,
                                                           scale=alt.Scale(domain=[1, 5])),
        detail="item:N")
    points = base.mark_point(filled=True, size=80).encode(
        y=alt.Y("item:N", title=None, sort=None), x="mean:Q",
        color=alt.Color("moment:N", title=None, scale=alt.Scale(range=["#c4622d", "#0b5d53"]),
                        legend=alt.Legend(orient="bottom")))
    chart = (lines + points).properties(width=420, height=alt.Step(28)) \
        .configure_view(stroke=None).configure_axis(labelLimit=320)
    return vlc.vegalite_to_svg(chart.to_json())
