"""Background tasks of the open-data app (run by `encuentros worker`, see core/tasks.py)."""

from django.core.files.storage import default_storage
from django.tasks import task
from django.urls import reverse
from django.utils.translation import gettext as _

from encuentros.core.tasks import UserFacingError, report_progress
from encuentros.encounters.models import Encounter

from . import services
from .catalogs import CatalogError, import_catalog, read_source

INPUT_DIR = "task-inputs"


def stash_upload(content) -> str:
    """Keep an uploaded file where every worker can read it (the media storage)."""
    return default_storage.save(f"{INPUT_DIR}/catalog.bin", content)


@task(takes_context=True)
def import_catalog_task(context, catalog_name, *, stored_name="", url=""):
    """Import a catalog from a stashed upload or from a URL; progress per dataset written."""
    try:
        report_progress(context, 0, None, _("Reading the catalog"))
        if stored_name:
            with default_storage.open(stored_name, "rb") as fh:
                data = fh.read()
        else:
            data = read_source(url)

        def step(done, total):
            report_progress(context, done, total, _("Importing datasets"))

        result = import_catalog(data, catalog_name, progress=step)
    except CatalogError as exc:
        raise UserFacingError(str(exc)) from exc
    finally:
        if stored_name:
            default_storage.delete(stored_name)
    return {"url": reverse("opendata:catalog") + f"?catalog={catalog_name}",
            "format": result.format, "created": result.created, "updated": result.updated,
            "publishers_created": result.publishers_created,
            "message": _("%(created)s datasets created, %(updated)s updated.")
            % {"created": result.created, "updated": result.updated}}


@task(takes_context=True)
def matchmaking_task(context, encounter_id, capacity):
    encounter = Encounter.objects.get(pk=encounter_id)
    report_progress(context, 0, 1, _("Matching requests with data holders"))
    plan = services.run_matchmaking(encounter, capacity=capacity)
    report_progress(context, 1, 1, _("%(n)s meetings planned.") % {"n": len(plan.matches)})
    return {"url": reverse("opendata:matchmaking", kwargs={"number": encounter.number}),
            "matches": len(plan.matches)}
