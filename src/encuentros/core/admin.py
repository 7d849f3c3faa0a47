"""Admin helpers shared by the apps."""

from django.contrib import admin


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
