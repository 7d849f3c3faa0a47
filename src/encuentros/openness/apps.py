from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpennessConfig(AppConfig):
    name = "encuentros.openness"
    label = "openness"
    verbose_name = _("Openness")
