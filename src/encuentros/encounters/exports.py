"""Public renderings of an encounter: iCalendar agenda, attendance chart (SVG), badges (PDF)."""

import datetime as dt
from functools import lru_cache

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from .models import Encounter, Registration


def agenda_ical(encounter: Encounter, base_url: str) -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//Encuentros//Agenda//ES")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", str(encounter))
    url = base_url + encounter.get_absolute_url()
    location = encounter.venue_names
    items = list(encounter.agenda.all())
    if not items:  # the encounter itself as all-day event(s)
        event = Event()
        event.add("uid", f"encounter-{encounter.number}@encuentros")
        event.add("summary", str(encounter))
        event.add("dtstart", encounter.start_date)
        event.add("dtend", encounter.end_date + dt.timedelta(days=1))
        event.add("dtstamp", encounter.updated_at)
        if location:
            event.add("location", location)
        event.add("url", url)
        cal.add_component(event)
    for item in items:
        event = Event()
        event.add("uid", f"agenda-{item.pk}-encounter-{encounter.number}@encuentros")
        event.add("summary", item.title)
        event.add("dtstart", item.starts_at)
        event.add("dtend", item.ends_at or item.starts_at + dt.timedelta(hours=1))
        event.add("dtstamp", encounter.updated_at)
        event.add("categories", [str(item.get_kind_display())])
        if item.description:
            event.add("description", item.description)
        event.add("location", ", ".join(p for p in (item.room, location) if p))
        event.add("url", url)
        cal.add_component(event)
    return cal.to_ical()


def attendance_chart_svg(rows, title: str = "") -> str:
    """Horizontal bars of people and organizations by sector, rendered server-side (Vega-Lite)."""
    values = []
    for row in rows:
        if row.people is not None:
            values.append({"sector": row.sector_label, "measure": _("People"), "n": row.people})
        if row.organizations is not None:
            values.append({"sector": row.sector_label, "measure": _("Organizations"),
                           "n": row.organizations})
    if not values:
        return ""
    return _render_bars(tuple(tuple(sorted(v.items())) for v in values), title)


@lru_cache(maxsize=256)
def _render_bars(values: tuple, title: str) -> str:
    import altair as alt
    import vl_convert as vlc

    data = [dict(v) for v in values]
    chart = (
        alt.Chart(alt.Data(values=data), title=title or alt.Undefined)
        .mark_bar()
        .encode(
            y=alt.Y("sector:N", title=None, sort=None),
            x=alt.X("n:Q", title=None),
            yOffset=alt.YOffset("measure:N"),
            color=alt.Color("measure:N", title=None,
                            scale=alt.Scale(range=["#0b5d53", "#c4622d"]),
                            legend=alt.Legend(orient="bottom")),
            tooltip=["sector:N", "measure:N", "n:Q"],
        )
        .properties(width=460, height=alt.Step(16),
                    padding={"left": 40, "top": 5, "right": 5, "bottom": 5})
        .configure_view(stroke=None)
        .configure_axis(labelFontSize=12, labelLimit=220)
    )
    return vlc.vegalite_to_svg(chart.to_json())


def qr_svg(data: str, scale: int = 3) -> str:
    return segno.make(data, error="m").svg_inline(scale=scale, omitsize=False)


def checkin_url(encounter: Encounter, registration: Registration, base_url: str) -> str:
    from django.urls import reverse

    return base_url + reverse("encounters:checkin_code",
                              args=[encounter.number, registration.badge_token])


def badges_pdf(encounter: Encounter, registrations, base_url: str, per_page: int | None = None
               ) -> bytes:
    """A printable sheet of badges with QR codes, ``per_page`` badges per A4 page."""
    from weasyprint import HTML

    per_page = per_page or settings.BADGES_PER_PAGE
    per_page = max(1, min(per_page, 12))
    badges = [
        {
            "registration": reg,
            "qr": qr_svg(checkin_url(encounter, reg, base_url)),
        }
        for reg in registrations
    ]
    pages = [badges[i:i + per_page] for i in range(0, len(badges), per_page)]
    columns = 1 if per_page <= 3 else 2
    rows = -(-per_page // columns)
    html = render_to_string("encounters/badges.html", {
        "encounter": encounter, "pages": pages, "columns": columns, "rows": rows,
        "generated": timezone.now(),
    })
    return HTML(string=html, base_url=base_url).write_pdf()
