"""Admin helpers shared by the apps."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import TaskRecord


class OrganizerScopedAdmin(admin.ModelAdmin):
    """Organizers (staff, not superusers) see and edit only what belongs to their encounters.

    ``encounter_path`` is the lookup from the model to its Encounter ("" for Encounter itself).
    """

    encounter_path = "encounter"

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        lookup = f"{self.encounter_path}__organizers" if self.encounter_path else "organizers"
        return qs.filter(**{lookup: request.user}).distinct()

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "encounter" and not request.user.is_superuser:
            from encuentros.encounters.models import Encounter

            kwargs["queryset"] = Encounter.objects.filter(organizers=request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(TaskRecord)
class TaskRecordAdmin(admin.ModelAdmin):
    """Background tasks: read-only, for administrators; a failed task can be queued again."""

    list_display = ("__str__", "status", "progress_done", "progress_total", "owner",
                    "enqueued_at", "finished_at")
    list_filter = ("status", "queue_name")
    search_fields = ("label", "task_path", "subject", "id")
    readonly_fields = [f.name for f in TaskRecord._meta.fields]
    actions = ["requeue"]

    def has_add_permission(self, request):
        return False

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    @admin.action(description=_("Queue the selected failed tasks again"))
    def requeue(self, request, queryset):
        queryset.filter(status="FAILED").update(status="READY", started_at=None,
                                                finished_at=None)
