from django import forms
from django.utils.translation import gettext_lazy as _

from encuentros.core.uploads import validate_spreadsheet

from .models import Question

SCALE = [(1, _("1 · strongly disagree")), (2, _("2 · disagree")), (3, _("3 · neither")),
         (4, _("4 · agree")), (5, _("5 · strongly agree"))]


class SurveyForm(forms.Form):
    """One field per question: Likert as radio buttons (required), open as a text area."""

    def __init__(self, *args, survey=None, **kwargs):
        super().__init__(*args, **kwargs)
        for q in survey.questions.all():
            if q.kind == Question.Kind.LIKERT:
                self.fields[q.key] = forms.TypedChoiceField(
                    label=q.text, choices=SCALE, coerce=int, widget=forms.RadioSelect)
            else:
                self.fields[q.key] = forms.CharField(
                    label=q.text, required=False, max_length=4000,
                    widget=forms.Textarea(attrs={"rows": 3}),
                    help_text=_("Optional. Only the organizers read it; do not write "
                                "names or contact details."))


class ImportAnswersForm(forms.Form):
    file = forms.FileField(label=_("Spreadsheet (CSV or XLSX)"),
                           validators=[validate_spreadsheet])
