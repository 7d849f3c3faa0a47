from django import forms
from django.utils.translation import gettext_lazy as _

from encuentros.ecosystem.models import Organization
from encuentros.encounters.models import Encounter

from .models import (
    Agreement,
    Challenge,
    CollaborativeTable,
    Commitment,
    Proposal,
    Review,
    TableMember,
)


class ProposalForm(forms.ModelForm):
    class Meta:
        model = Proposal
        fields = ["title", "summary", "challenge", "encounter", "team"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["challenge"].queryset = Challenge.objects.order_by("title")
        self.fields["encounter"].queryset = Encounter.objects.filter(is_published=True)
        data_request_model = _data_request_model()
        if data_request_model is not None:
            self.fields["data_requests"] = forms.ModelMultipleChoiceField(
                label=_("Data needed (existing data requests)"), required=False,
                queryset=data_request_model.objects.all(),
                initial=(self.instance.data_requests.all() if self.instance.pk else None),
                help_text=_("Demand is counted once: pick the requests that already describe "
                            "the data you need."))
            self.fields["new_data_request"] = forms.CharField(
                label=_("Data needed that nobody has requested yet"), required=False,
                max_length=200,
                help_text=_("A new data request is created and linked to this proposal."))


def _data_request_model():
    from django.apps import apps

    try:
        model = apps.get_model("opendata", "DataRequest")
    except LookupError:
        return None
    return model if hasattr(Proposal, "data_requests") else None


class TransitionForm(forms.Form):
    to = forms.ChoiceField(label=_("New state"), choices=Proposal.Status.choices)
    reason = forms.CharField(label=_("Public reason"), required=False,
                             widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=_("Required when the proposal is not selected."))

    def __init__(self, *args, allowed=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].choices = [(s, Proposal.Status(s).label) for s in allowed]


class ReviewForm(forms.Form):
    comment = forms.CharField(label=_("Comment"), required=False,
                              widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(str(i), str(i)) for i in range(1, 6)]
        for key, label in Review.CRITERIA.items():
            self.fields[key] = forms.TypedChoiceField(label=label, choices=choices, coerce=int)
        self.order_fields([*Review.CRITERIA, "comment"])

    def scores(self) -> dict:
        return {k: self.cleaned_data[k] for k in Review.CRITERIA}


class CommitmentUpdateForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Commitment.Status.choices)
    progress = forms.IntegerField(label=_("Progress (%)"), min_value=0, max_value=100,
                                  required=False)
    reason = forms.CharField(label=_("Public reason"), required=False,
                             widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=_("Required when delayed or cancelled."))


class MilestoneDoneForm(forms.Form):
    evidence_url = forms.URLField(label=_("Evidence link"), required=False)


class TableForm(forms.ModelForm):
    class Meta:
        model = CollaborativeTable
        fields = ["name", "challenge", "description", "status"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, encounter=None, **kwargs):
        super().__init__(*args, **kwargs)
        if encounter is not None:
            self.fields["challenge"].queryset = Challenge.objects.filter(encounter=encounter)


class AgreementForm(forms.ModelForm):
    class Meta:
        model = Agreement
        fields = ["kind", "title", "text", "document", "signatories", "signatories_note",
                  "signed_on", "table"]
        widgets = {"text": forms.Textarea(attrs={"rows": 4}),
                   "signed_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, encounter=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["signatories"].queryset = Organization.objects.order_by("name")
        if encounter is not None:
            self.fields["table"].queryset = CollaborativeTable.objects.filter(
                encounter=encounter)


class CommitmentForm(forms.ModelForm):
    class Meta:
        model = Commitment
        fields = ["title", "description", "agreement", "table", "responsible", "due_date"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3}),
                   "due_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, encounter=None, **kwargs):
        super().__init__(*args, **kwargs)
        if encounter is not None:
            self.fields["agreement"].queryset = Agreement.objects.filter(encounter=encounter)
            self.fields["table"].queryset = CollaborativeTable.objects.filter(
                encounter=encounter)
        self.fields["responsible"].queryset = Organization.objects.order_by("name")


class MilestoneForm(forms.Form):
    title = forms.CharField(label=_("Milestone"), max_length=250)
    due_date = forms.DateField(label=_("Due date"), required=False,
                               widget=forms.DateInput(attrs={"type": "date"}))


class MemberForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=TableMember.Role.choices)
    organization = forms.ModelChoiceField(label=_("Organization"),
                                          queryset=Organization.objects.order_by("name"))


class LinkProposalForm(forms.Form):
    proposal = forms.ModelChoiceField(label=_("Selected proposal"),
                                      queryset=Proposal.objects.none())

    def __init__(self, *args, table=None, **kwargs):
        super().__init__(*args, **kwargs)
        qs = Proposal.objects.filter(status=Proposal.Status.SELECTED)
        if table is not None and table.encounter_id:
            qs = qs.filter(encounter=table.encounter)
        self.fields["proposal"].queryset = qs
