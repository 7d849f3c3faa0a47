"""Background tasks of the evaluation app (run by `encuentros worker`, see core/tasks.py)."""

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.tasks import task
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from encuentros.core.tasks import report_progress
from encuentros.encounters.models import Encounter

from . import report


@task(takes_context=True)
def render_report_pdf(context, encounter_id, language, base_url):
    """The encounter report as PDF, kept in the media storage for the page to serve."""
    encounter = Encounter.objects.get(pk=encounter_id)
    report_progress(context, 0, 1, _("Writing the PDF"))
    with translation.override(language):
        content = report.pdf(encounter, base_url)
    name = default_storage.save(
        f"reports/encuentro-{encounter.number}-{language}-{context.task_result.id}.pdf",
        ContentFile(content))
    url = reverse("evaluation:report_pdf", kwargs={"number": encounter.number})
    return {"url": f"{url}?task={context.task_result.id}", "file": name}
