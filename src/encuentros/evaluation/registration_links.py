from django.urls import reverse
from django.utils.translation import gettext as _

from encuentros.encounters.hooks import encounter_link, registration_link

from . import services
from .models import Survey


@registration_link
def open_surveys(registration):
    links = []
    for survey in Survey.objects.filter(encounter_id=registration.encounter_id, is_open=True):
        done = services.existing_response(survey, registration) is not None
        label = _("Change my answers: %(title)s") if done else _("Answer the survey: %(title)s")
        links.append((label % {"title": survey.title},
                      reverse("evaluation:answer",
                              args=[registration.encounter.number, survey.moment])))
    return links


@encounter_link
def encounter_report(encounter):
    return [(_("Encounter report (web and PDF)"),
             reverse("evaluation:report", args=[encounter.number]))]


@encounter_link
def survey_results(encounter):
    if not Survey.objects.filter(encounter=encounter).exists():
        return []
    return [(_("Survey results: before and after"),
             reverse("evaluation:results", args=[encounter.number]))]
