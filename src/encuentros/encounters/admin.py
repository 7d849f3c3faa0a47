from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from encuentros.core.admin import OrganizerScopedAdmin

from . import services
from .models import (
    AgendaItem,
    Encounter,
    Registration,
    ReportedAttendance,
    Seat,
    SeatingPlan,
    Venue,
)


@admin.register(Venue)
class VenueAdmin(admin.ModelAdmin):
    list_display = ["name", "city", "address"]
    search_fields = ["name", "address", "city"]


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    extra = 0
    fields = ["starts_at", "ends_at", "kind", "title", "room"]


class ReportedAttendanceInline(admin.TabularInline):
    model = ReportedAttendance
    extra = 0


@admin.register(Encounter)
class EncounterAdmin(OrganizerScopedAdmin):
    encounter_path = ""
    list_display = ["number", "title", "theme", "start_date", "venue", "capacity",
                    "registration_open", "is_published"]
    list_display_links = ["number", "title"]
    list_filter = ["registration_open", "is_published", "start_date"]
    search_fields = ["title", "theme", "objective"]
    autocomplete_fields = ["venue", "organizers"]
    filter_horizontal = ["topics", "other_venues"]
    inlines = [AgendaItemInline, ReportedAttendanceInline]
    date_hierarchy = "start_date"

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change and not request.user.is_superuser:
            obj.organizers.add(request.user)  # whoever creates an encounter organizes it


@admin.register(AgendaItem)
class AgendaItemAdmin(OrganizerScopedAdmin):
    list_display = ["title", "encounter", "kind", "starts_at", "room"]
    list_filter = ["encounter", "kind"]
    search_fields = ["title", "description"]
    autocomplete_fields = ["speakers", "speaker_organizations"]
    list_select_related = ["encounter"]


@admin.action(description=_("Cancel selected registrations (promotes the waitlist)"))
def cancel_registrations(modeladmin, request, queryset):
    for registration in queryset:
        services.cancel(registration)


@admin.action(description=_("Check in selected registrations"))
def check_in_registrations(modeladmin, request, queryset):
    for registration in queryset.select_related("encounter"):
        try:
            services.check_in(registration.encounter, registration.badge_token, by=request.user)
        except services.CheckInError as exc:
            modeladmin.message_user(request, f"{registration}: {exc.message}", level="warning")


@admin.register(Registration)
class RegistrationAdmin(OrganizerScopedAdmin):
    list_display = ["person", "encounter", "sector", "organization", "status", "checked_in_at",
                    "created_at"]
    list_filter = ["encounter", "status", "sector", ("checked_in_at", admin.EmptyFieldListFilter)]
    search_fields = ["person__full_name", "person__email", "organization__name", "badge_token"]
    autocomplete_fields = ["person", "organization"]
    readonly_fields = ["badge_token", "checked_in_by", "created_at", "updated_at"]
    filter_horizontal = ["topics"]
    list_select_related = ["person", "encounter", "organization"]
    actions = [cancel_registrations, check_in_registrations]


@admin.register(ReportedAttendance)
class ReportedAttendanceAdmin(OrganizerScopedAdmin):
    list_display = ["encounter", "sector", "people", "organizations", "note"]
    list_filter = ["encounter", "sector"]
    search_fields = ["note", "source"]
    list_select_related = ["encounter"]


class SeatInline(admin.TabularInline):
    model = Seat
    extra = 0
    fields = ["round", "table", "registration", "locked"]
    autocomplete_fields = ["registration"]


@admin.register(SeatingPlan)
class SeatingPlanAdmin(OrganizerScopedAdmin):
    list_display = ["title", "encounter", "table_size", "rounds", "rounds_held", "source",
                    "repeated_pairs", "created_at"]
    list_filter = ["encounter", "source"]
    search_fields = ["title"]
    readonly_fields = ["method", "repeated_pairs", "seconds", "created_at", "updated_at"]
    list_select_related = ["encounter"]
    inlines = [SeatInline]


@admin.register(Seat)
class SeatAdmin(OrganizerScopedAdmin):
    encounter_path = "plan__encounter"
    list_display = ["registration", "plan", "round", "table", "locked"]
    list_filter = ["plan__encounter", "round", "locked"]
    search_fields = ["registration__person__full_name", "plan__title"]
    autocomplete_fields = ["registration"]
    list_select_related = ["registration__person", "plan"]
