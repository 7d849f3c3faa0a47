"""Charts of openness results, rendered server-side: a hand-built radar (inline SVG geometry)
and Vega-Lite charts converted to SVG with vl-convert (no pandas)."""

import json
import math
import textwrap
from functools import lru_cache

from django.utils.translation import gettext as _

SIZE = 320
MARGIN = 150  # room for the axis labels on the left and right
CENTER = SIZE / 2
RADIUS = 110


def _point(i: int, n: int, value: float, radius: float = RADIUS) -> tuple[float, float]:
    angle = -math.pi / 2 + 2 * math.pi * i / n
    return (round(CENTER + radius * value * math.cos(angle), 2),
            round(CENTER + radius * value * math.sin(angle), 2))


def radar(axes: list[dict]) -> dict | None:
    """Geometry for templates/openness/_radar.svg.html.

    ``axes``: [{"title", "score", "previous"}] with scores in 0–1 (None = unknown, drawn at 0).
    Returns polygons as SVG ``points`` strings, the grid rings and the axis labels.
    """
    n = len(axes)
    if n < 3:
        return None

    def polygon(values):
        return " ".join(f"{x},{y}" for x, y in (_point(i, n, v or 0.0)
                                                for i, v in enumerate(values)))

    labels = []
    for i, axis in enumerate(axes):
        x, y = _point(i, n, 1.0, RADIUS + 18)
        anchor = "middle" if abs(x - CENTER) < 5 else ("start" if x > CENTER else "end")
        lines = textwrap.wrap(axis["title"], 20) or [""]
        # Labels above the center grow upwards, those below grow downwards.
        top = y + 4 - (14 * (len(lines) - 1) if y < CENTER - 5 else 0)
        if abs(y - CENTER) <= 5:
            top = y + 4 - 7 * (len(lines) - 1)
        labels.append({"x": x, "y": round(top, 2), "anchor": anchor, "lines": lines})
    has_previous = any(a.get("previous") is not None for a in axes)
    return {
        "size": SIZE, "margin": MARGIN, "view_width": SIZE + 2 * MARGIN,
        "current": polygon([a.get("score") for a in axes]),
        "previous": polygon([a.get("previous") for a in axes]) if has_previous else "",
        "rings": [polygon([r] * n) for r in (0.25, 0.5, 0.75, 1.0)],
        "spokes": [_point(i, n, 1.0) for i in range(n)],
        "center": CENTER,
        "labels": labels,
        "dots": [_point(i, n, a.get("score") or 0.0) for i, a in enumerate(axes)],
    }


def over_time_svg(series: list[dict]) -> str:
    """Lines of the ecosystem score and each sector's score by period.

    ``series``: [{"period", "group", "score"}].
    """
    values = [s for s in series if s["score"] is not None]
    if not values:
        return ""
    return _render_lines(json.dumps(values, sort_keys=True), _("Period"), _("Score (0–1)"))


@lru_cache(maxsize=128)
def _render_lines(values_json: str, x_title: str, y_title: str) -> str:
    import altair as alt
    import vl_convert as vlc

    chart = (
        alt.Chart(alt.Data(values=json.loads(values_json)))
        .mark_line(point=True)
        .encode(
            x=alt.X("period:O", title=x_title, axis=alt.Axis(labelAngle=0)),
            y=alt.Y("score:Q", title=y_title, scale=alt.Scale(domain=[0, 1])),
            color=alt.Color("group:N", title=None, legend=alt.Legend(orient="bottom",
                                                                     columns=3)),
            strokeDash=alt.StrokeDash("dashed:N", legend=None),
            tooltip=["period:O", "group:N", alt.Tooltip("score:Q", format=".2f")],
        )
        .properties(width=460, height=220)
        .configure_view(stroke=None)
        .configure_axis(labelFontSize=12)
    )
    return vlc.vegalite_to_svg(chart.to_json())


def sectors_svg(rows: list[dict]) -> str:
    """Grouped bars: each pillar's score by sector. ``rows``: [{"sector", "pillar", "score"}]."""
    values = [r for r in rows if r["score"] is not None]
    if not values:
        return ""
    return _render_bars(json.dumps(values, sort_keys=True), _("Score (0–1)"))


@lru_cache(maxsize=128)
def _render_bars(values_json: str, x_title: str) -> str:
    import altair as alt
    import vl_convert as vlc

    chart = (
        alt.Chart(alt.Data(values=json.loads(values_json)))
        .mark_bar()
        .encode(
            y=alt.Y("pillar:N", title=None, sort=None),
            x=alt.X("score:Q", title=x_title, scale=alt.Scale(domain=[0, 1])),
            yOffset=alt.YOffset("sector:N", sort=None),
            color=alt.Color("sector:N", title=None, sort=None,
                            scale=alt.Scale(range=["#0b5d53", "#c4622d", "#5b4a9b",
                                                   "#b08a00"]),
                            legend=alt.Legend(orient="bottom", columns=2)),
            tooltip=["pillar:N", "sector:N", alt.Tooltip("score:Q", format=".2f")],
        )
        .properties(width=420, height=alt.Step(12))
        .configure_view(stroke=None)
        .configure_axis(labelFontSize=12, labelLimit=220)
    )
    return vlc.vegalite_to_svg(chart.to_json())
