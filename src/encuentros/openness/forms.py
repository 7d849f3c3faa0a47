from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from encuentros.core.uploads import validate_spreadsheet
from encuentros.encounters.models import Encounter

from . import schema
from .models import Assessment

NA_LABEL = _("Not applicable")
DK_LABEL = _("Don't know")


class StartAssessmentForm(forms.Form):
    instrument = forms.ChoiceField(label=_("Instrument"))
    perspective = forms.ChoiceField(label=_("Perspective"))
    period = forms.CharField(label=_("Period"), max_length=20,
                             help_text=_("A year (2026) or a part of it (2026-S1, 2026-Q3)."))
    encounter = forms.ModelChoiceField(label=_("Encounter"), required=False,
                                       queryset=Encounter.objects.none(),
                                       help_text=_("Optional: the encounter this assessment "
                                                   "was made for."))

    def __init__(self, *args, instruments=(), perspectives=(), **kwargs):
        kwargs.setdefault("initial", {}).setdefault("period", str(timezone.localdate().year))
        super().__init__(*args, **kwargs)
        self.instruments = {str(i.pk): i for i in instruments}
        self.fields["instrument"].choices = [(str(i.pk), str(i)) for i in instruments]
        labels = dict(Assessment.Perspective.choices)
        self.fields["perspective"].choices = [(p, labels[p]) for p in perspectives]
        self.fields["encounter"].queryset = Encounter.objects.filter(is_published=True)

    def clean_instrument(self):
        return self.instruments[self.cleaned_data["instrument"]]


class AnswersForm(forms.Form):
    """One field per applicable indicator (its scale plus N/A and don't know) and its evidence."""

    def __init__(self, *args, applicable=(), spec=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.groups = []
        for pillar, component, indicator in applicable:
            key = indicator["key"]
            scale = spec["scales"][indicator["scale"]]
            if scale["type"] == "number":
                field = forms.CharField(
                    label=indicator["text"], required=False, max_length=40,
                    help_text=_("A number from %(min)s to %(max)s; “na” if not applicable, "
                                "“dk” if you don't know.") % {"min": scale["min"],
                                                              "max": scale["max"]})
            else:
                choices = [(o["value"], o["label"]) for o in scale["options"]]
                choices += [(schema.NOT_APPLICABLE, NA_LABEL), (schema.DONT_KNOW, DK_LABEL)]
                field = forms.ChoiceField(label=indicator["text"], required=False,
                                          choices=choices, widget=forms.RadioSelect,
                                          help_text=indicator["help"])
            self.fields[key] = field
            self.fields[f"{key}__evidence"] = forms.URLField(
                label=_("Evidence link"), required=False, max_length=500, assume_scheme="https",
                help_text=_("Required for this question.") if indicator["evidence"] else "")
            if not self.groups or self.groups[-1]["pillar"] is not pillar:
                self.groups.append({"pillar": pillar, "components": []})
            components = self.groups[-1]["components"]
            if not components or components[-1]["component"] is not component:
                components.append({"component": component, "items": []})
            components[-1]["items"].append({
                "indicator": indicator, "field": self[key],
                "evidence": self[f"{key}__evidence"]})

    def answers(self) -> dict:
        data = self.cleaned_data
        return {name: (data.get(name) or "", data.get(f"{name}__evidence") or "")
                for name in self.fields if not name.endswith("__evidence")}


class ImportAnswersForm(forms.Form):
    file = forms.FileField(label=_("File (XLSX or CSV exported from ODK/KoboToolbox)"),
                           validators=[validate_spreadsheet])
