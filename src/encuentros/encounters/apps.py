from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EncountersConfig(AppConfig):
    name = "encuentros.encounters"
    label = "encounters"
    verbose_name = _("Encounters")

    def ready(self):
        from . import hooks

        hooks.autodiscover()
