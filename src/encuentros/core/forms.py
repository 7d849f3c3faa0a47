from django import forms
from django.contrib.auth.forms import UserCreationForm
from django.contrib.auth.models import User
from django.utils.translation import gettext_lazy as _


class SignUpForm(UserCreationForm):
    email = forms.EmailField(label=_("Email"), help_text=_("Never shown publicly."))
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "first_name", "last_name", "email")

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(_("An account with this email already exists. "
                                          "Log in or reset your password."))
        return email


class PersonForm(forms.ModelForm):
    """Rectification: a person corrects what the platform holds about them."""

    organization_name = forms.CharField(
        label=_("Organization or agency"), required=False, max_length=255,
        help_text=_("Leave empty if you take part on your own."))

    class Meta:
        from encuentros.ecosystem.models import Person

        model = Person
        fields = ("full_name", "phone", "sector", "position", "topics", "bio", "public_profile")
        widgets = {"topics": forms.CheckboxSelectMultiple, "bio": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance and self.instance.organization_id:
            self.fields["organization_name"].initial = self.instance.organization.name

    def save(self, commit=True):
        from encuentros.ecosystem.services import get_or_create_organization

        person = super().save(commit=False)
        name = self.cleaned_data.get("organization_name", "").strip()
        person.organization = get_or_create_organization(name, person.sector)[0] if name else None
        if commit:
            person.save()
            self.save_m2m()
        return person


class EraseForm(forms.Form):
    password = forms.CharField(label=_("Your password"), widget=forms.PasswordInput,
                               help_text=_("To confirm that it is you."))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        if not self.user.check_password(self.cleaned_data["password"]):
            raise forms.ValidationError(_("The password is not correct."))
        return self.cleaned_data["password"]
