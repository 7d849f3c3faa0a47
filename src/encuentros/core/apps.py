from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

PUBLIC_DATA_APPS = {"ecosystem", "encounters", "opendata", "openness", "collaboration",
                    "evaluation"}


class CoreConfig(AppConfig):
    name = "encuentros.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self):
        from django.apps import apps
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from . import pagecache, sitemaps

        sitemaps.autodiscover()
        # Any change to the platform's own data makes the cached public responses stale.
        for model in apps.get_models():
            if model._meta.app_label in PUBLIC_DATA_APPS:
                uid = f"pagecache-{model._meta.label}"
                post_save.connect(pagecache.bump, sender=model, dispatch_uid=uid + "-save")
                post_delete.connect(pagecache.bump, sender=model, dispatch_uid=uid + "-delete")
        m2m_changed.connect(pagecache.bump, dispatch_uid="pagecache-m2m")
