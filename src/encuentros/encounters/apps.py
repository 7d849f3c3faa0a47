from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EncountersConfig(AppConfig):
    name = "encuentros.encounters"
    label = "encounters"
    verbose_name = _("Encounters")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from . import hooks
        from .models import Registration, ReportedAttendance

        hooks.autodiscover()
        for model in (Registration, ReportedAttendance):
            post_save.connect(_attendance_changed, sender=model,
                              dispatch_uid=f"attendance-save-{model.__name__}")
            post_delete.connect(_attendance_changed, sender=model,
                                dispatch_uid=f"attendance-delete-{model.__name__}")


def _attendance_changed(sender, instance, **kwargs):
    from .services import attendance_changed

    attendance_changed(instance.encounter_id)
