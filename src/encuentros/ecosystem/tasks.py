"""Background tasks of the ecosystem app (run by `encuentros worker`, see core/tasks.py)."""

from django.tasks import task
from django.urls import reverse

from encuentros.core.tasks import report_progress, start

from . import atlas


@task(takes_context=True)
def warm_atlas(context, level="organization", encounter=None, sector=None, topic=None):
    """Graph analytics and layout of one view of the atlas, into the shared cache."""
    atlas.warm(level, encounter, sector, topic,
               progress=lambda done, total, message: report_progress(context, done, total,
                                                                     message))
    url = reverse("ecosystem:atlas")
    return {"url": url + ("?level=person" if level == "person" else "")}


def ensure(level="organization", encounter=None, sector=None, topic=None, graph=True):
    """None when the atlas can answer now; else the (possibly just started) task computing it."""
    if atlas.ready(level, encounter, sector, topic, graph=graph):
        return None
    from django.utils.translation import gettext as _

    record = start(warm_atlas, level, encounter, sector, topic, public=True,
                   label=_("Ecosystem atlas analytics"),
                   subject=f"atlas:{atlas._version()}:{level}:{encounter}:{sector}:{topic}")
    return None if record.status == record.Status.SUCCESSFUL else record
