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


class CatalogImportForm(forms.Form):
    file = forms.FileField(label=_("Catalog file"), required=False,
                           help_text=_("CKAN API response (package_search or package_show), "
                                       "DCAT JSON-LD or RDF/XML, or a data.json."))
    url = forms.URLField(label=_("or the catalog's address"), required=False,
                         assume_scheme="https", max_length=500)
    catalog = forms.CharField(label=_("Name of the source catalog"), required=False,
                              max_length=200,
                              help_text=_("Re-importing under the same name updates, never "
                                          "duplicates. Default: the file name or address."))

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload is None:
            return None
        from .catalogs import MAX_BYTES

        if upload.size > MAX_BYTES:
            raise forms.ValidationError(_("The catalog is larger than %(mb)s MB.")
                                        % {"mb": MAX_BYTES >> 20})
        head = upload.read(512).lstrip(b"\xef\xbb\xbf \t\r\n")
        upload.seek(0)
        if not head.startswith((b"{", b"[", b"<")):
            raise forms.ValidationError(_("This is not a JSON or XML file."))
        return upload

    def clean(self):
        data = super().clean()
        if not self.errors and bool(data.get("file")) == bool(data.get("url")):
            raise forms.ValidationError(_("Give either a file or an address, not both."))
        return data
