"""Survey answers in a person's data download; open answers are deleted on erasure."""

from encuentros.ecosystem.privacy import on_erase, personal_data
from encuentros.encounters.models import Registration

from . import services
from .models import Answer, Response


def _responses(person):
    keys = {services.respondent_key(r): r for r in Registration.objects.filter(person=person)}
    return Response.objects.filter(respondent__in=keys).select_related("survey__encounter")


@personal_data
def survey_answers(person):
    out = []
    for response in _responses(person).prefetch_related("answers__question"):
        out.append({"encounter": response.survey.encounter.number,
                    "survey": response.survey.moment,
                    "answers": {a.question.key: a.value if a.value is not None else a.text
                                for a in response.answers.all()}})
    return "survey_answers", out


@on_erase
def forget_open_answers(person):
    Answer.objects.filter(response__in=_responses(person)).exclude(text="").delete()
