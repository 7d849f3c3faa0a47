"""Charts of the demand diagnosis (server-side SVG)."""

import json
from functools import lru_cache


def bars(rows, title: str) -> str:
    values = [{"label": str(r["label"])[:50], "total": r["total"]} for r in rows[:15]]
    return _bars(json.dumps(values), title) if values else ""


def months(rows) -> str:
    return _months(json.dumps(rows)) if rows else ""


@lru_cache(maxsize=32)
def _bars(values: str, title: str) -> str:
    import altair as alt
    import vl_convert as vlc

    chart = (alt.Chart(alt.Data(values=json.loads(values))).mark_bar(color="#0b5d53")
             .encode(y=alt.Y("label:N", sort="-x", title=None), x=alt.X("total:Q", title=title))
             .properties(width=420, height=alt.Step(18),
                         padding={"left": 40, "top": 5, "right": 5, "bottom": 5})
             .configure_view(stroke=None).configure_axis(labelLimit=260))
    return vlc.vegalite_to_svg(chart.to_json())


@lru_cache(maxsize=32)
def _months(values: str) -> str:
    import altair as alt
    import vl_convert as vlc

    chart = (alt.Chart(alt.Data(values=json.loads(values))).mark_line(point=True,
                                                                       color="#c4622d")
             .encode(x=alt.X("month:O", title=None), y=alt.Y("total:Q", title=None))
             .properties(width=420, height=160).configure_view(stroke=None))
    return vlc.vegalite_to_svg(chart.to_json())
