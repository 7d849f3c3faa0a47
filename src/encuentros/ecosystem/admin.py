from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import Organization, Person, Topic


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "acronym", "sector", "kind", "parent", "borough"]
    list_filter = ["sector", "kind", "topics"]
    search_fields = ["name", "acronym", "description"]
    autocomplete_fields = ["parent"]
    filter_horizontal = ["topics"]
    prepopulated_fields = {"slug": ["name"]}
    list_select_related = ["parent"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["full_name", "organization", "sector", "public_profile", "has_account"]
    list_filter = ["sector", "public_profile", "topics"]
    search_fields = ["full_name", "email", "organization__name"]
    autocomplete_fields = ["organization", "user"]
    filter_horizontal = ["topics"]
    list_select_related = ["organization"]

    @admin.display(boolean=True, description=_("account"))
    def has_account(self, obj):
        return obj.user_id is not None
