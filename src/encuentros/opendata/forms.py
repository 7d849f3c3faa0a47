from django import forms
from django.utils.translation import gettext_lazy as _

from encuentros.ecosystem.models import Organization, Topic

from .models import DataRequest


class DataRequestForm(forms.Form):
    title = forms.CharField(label=_("What information do you need?"), max_length=200)
    problem = forms.CharField(label=_("Why: which public problem would it help with?"),
                              widget=forms.Textarea(attrs={"rows": 4}))
    topic = forms.ModelChoiceField(label=_("Topic"), queryset=Topic.objects.all(),
                                   required=False)
    agency = forms.ModelChoiceField(
        label=_("Agency you believe holds it (optional)"), required=False,
        queryset=Organization.objects.filter(sector="government"))
    desired_format = forms.CharField(label=_("Desired format"), max_length=100, required=False,
                                     help_text=_("For example CSV, API, map."))
    frequency = forms.CharField(label=_("Desired frequency"), max_length=100, required=False,
                                help_text=_("For example monthly, real time."))


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=DataRequest.Status.choices)
    reason = forms.CharField(label=_("Public reason"), required=False,
                             widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=_("Required when declining."))
    response = forms.CharField(label=_("Agency's response (public)"), required=False,
                               widget=forms.Textarea(attrs={"rows": 3}))


class CommentForm(forms.Form):
    body = forms.CharField(label=_("Comment"), max_length=4000,
                           widget=forms.Textarea(attrs={"rows": 3}))
