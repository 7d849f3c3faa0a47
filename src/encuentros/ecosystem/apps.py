from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EcosystemConfig(AppConfig):
    name = "encuentros.ecosystem"
    label = "ecosystem"
    verbose_name = _("Ecosystem")

    def ready(self):
        from . import atlas, directory, privacy

        atlas.autodiscover()
        directory.autodiscover()
        privacy.autodiscover()
