from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from encuentros.core.sectors import Sector
from encuentros.core.uploads import validate_spreadsheet
from encuentros.ecosystem.models import Person, Topic

from .models import AgendaItem, Encounter, Registration, SeatingPlan


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class EncounterForm(forms.ModelForm):
    class Meta:
        model = Encounter
        fields = ["number", "title", "theme", "objective", "scope", "start_date", "end_date",
                  "venue", "other_venues", "capacity", "registration_open", "is_published",
                  "topics"]
        widgets = {
            "start_date": DateInput(), "end_date": DateInput(),
            "objective": forms.Textarea(attrs={"rows": 3}),
            "scope": forms.Textarea(attrs={"rows": 4}),
            "topics": forms.CheckboxSelectMultiple, "other_venues": forms.CheckboxSelectMultiple,
        }

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end date cannot be before the start date."))
        return data


class AgendaItemForm(forms.ModelForm):
    class Meta:
        model = AgendaItem
        fields = ["kind", "title", "description", "starts_at", "ends_at", "room", "speakers",
                  "speaker_organizations"]
        widgets = {
            "starts_at": DateTimeInput(), "ends_at": DateTimeInput(),
            "description": forms.Textarea(attrs={"rows": 2}),
            "speakers": forms.SelectMultiple(attrs={"size": 6}),
            "speaker_organizations": forms.SelectMultiple(attrs={"size": 6}),
        }

    def __init__(self, *args, encounter=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.encounter = encounter
        # Organizers choose among people they may see: public profiles, people registered for
        # this encounter and the item's current speakers (never the whole private directory).
        people = Person.objects.select_related("organization")
        if encounter is not None:
            visible = Q(public_profile=True) | Q(registrations__encounter=encounter)
            if self.instance.pk:
                visible |= Q(agenda_items=self.instance)
            people = people.filter(visible).distinct()
        self.fields["speakers"].queryset = people
        self.fields["speakers"].required = False
        self.fields["speaker_organizations"].required = False

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("The end must be after the start."))
        if starts and self.encounter:
            day = starts.date()
            if not (self.encounter.start_date <= day <= self.encounter.end_date):
                self.add_error("starts_at", _("The item must fall within the encounter's dates "
                                              "(%(start)s – %(end)s).")
                               % {"start": self.encounter.start_date,
                                  "end": self.encounter.end_date})
        return data


SECTOR_CHOICES = [("", _("Choose your sector"))] + list(Sector.choices)


class RegistrationForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    email = forms.EmailField(label=_("Email"), help_text=_("We use it only to contact you about "
                                                           "this encounter. It is never public."))
    no_organization = forms.BooleanField(label=_("I do not belong to an organization"),
                                         required=False)
    organization_name = forms.CharField(
        label=_("Organization or agency"), max_length=255, required=False,
        help_text=_("If it is already registered on the platform, we link you to it."))
    sector = forms.ChoiceField(label=_("Sector"), choices=SECTOR_CHOICES)
    topics = forms.ModelMultipleChoiceField(
        label=_("Topics of interest"), queryset=Topic.objects.all(), required=False,
        widget=forms.CheckboxSelectMultiple)
    accessibility_needs = forms.CharField(
        label=_("Accessibility needs"), required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Tell us what you need to take part fully (sign language, ramp, "
                    "large print…). Only organizers see it."))
    public_profile = forms.BooleanField(
        label=_("I agree that my name, organization and topics appear in the public directory "
                "of the ecosystem."), required=False,
        help_text=_("Optional. Your email and phone are never published. You can withdraw "
                    "this consent at any time."))

    def clean(self):
        data = super().clean()
        org = (data.get("organization_name") or "").strip()
        if data.get("no_organization"):
            data["organization_name"] = ""
        elif not org:
            self.add_error("organization_name",
                           _("Write your organization, or tick “I do not belong to an "
                             "organization”."))
        if data.get("no_organization") and data.get("sector") not in (None, "", Sector.CITIZEN,
                                                                       Sector.ACADEMIA,
                                                                       Sector.PRIVATE,
                                                                       Sector.CIVIL_SOCIETY):
            self.add_error("sector", _("A public servant registers with their agency."))
        return data


class ImportForm(forms.Form):
    # Size, extension and content (a CSV must be text, an XLSX a real workbook).
    file = forms.FileField(label=_("Spreadsheet (CSV or XLSX)"),
                           validators=[validate_spreadsheet])


class CheckInForm(forms.Form):
    code = forms.CharField(label=_("Badge code"), max_length=300,
                           widget=forms.TextInput(attrs={"autofocus": True,
                                                         "autocomplete": "off",
                                                         "autocapitalize": "off",
                                                         "spellcheck": "false"}))


class SeatingPlanForm(forms.Form):
    agenda_item = forms.ModelChoiceField(label=_("Table dynamic"),
                                         queryset=AgendaItem.objects.none(), required=False)
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    table_size = forms.IntegerField(label=_("People per table"), min_value=2, max_value=50,
                                    initial=6)
    rounds = forms.IntegerField(label=_("Rounds"), min_value=1, max_value=30, initial=3)
    source = forms.ChoiceField(label=_("Who is seated"), choices=SeatingPlan.Source.choices,
                               initial=SeatingPlan.Source.CHECKED_IN)
    prefer_shared_topics = forms.BooleanField(
        label=_("Seat people with shared topics together where possible"), required=False)

    def __init__(self, *args, encounter=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agenda_item"].queryset = encounter.agenda.filter(
            kind=AgendaItem.Kind.TABLE_DYNAMIC) if encounter else AgendaItem.objects.none()


class MoveSeatForm(forms.Form):
    registration = forms.ModelChoiceField(label=_("Person"), queryset=Registration.objects.none())
    round = forms.IntegerField(label=_("Round"), min_value=1)
    table = forms.IntegerField(label=_("Table"), min_value=1)

    def __init__(self, *args, plan=None, **kwargs):
        super().__init__(*args, **kwargs)
        if plan is not None:
            self.fields["registration"].queryset = (
                Registration.objects.filter(seats__plan=plan).distinct()
                .select_related("person").order_by("person__full_name"))
            self.fields["registration"].label_from_instance = lambda r: r.person.full_name
            self.fields["round"].max_value = plan.rounds


class RoundsHeldForm(forms.Form):
    rounds_held = forms.IntegerField(label=_("Rounds already held"), min_value=0)
