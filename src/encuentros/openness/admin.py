from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from . import services
from .models import Answer, Assessment, Instrument


@admin.register(Instrument)
class InstrumentAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "version", "is_active", "loaded_at"]
    list_filter = ["is_active", "slug"]
    search_fields = ["title", "slug", "description"]
    readonly_fields = ["slug", "version", "spec", "source_text", "loaded_at"]
    fields = ["title", "slug", "version", "description", "source", "sectors", "is_active",
              "source_text", "spec", "loaded_at"]

    def has_add_permission(self, request):
        return False  # instruments come from YAML files: `encuentros load_instrument FILE`


class AnswerInline(admin.TabularInline):
    model = Answer
    extra = 0
    fields = ["indicator", "value", "score", "evidence_url"]
    readonly_fields = ["score"]


@admin.action(description=_("Reopen selected assessments as drafts"))
def reopen_assessments(modeladmin, request, queryset):
    for assessment in queryset:
        services.reopen(assessment)


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    list_display = ["organization", "instrument", "sector", "perspective", "period", "status",
                    "overall", "submitted_at"]
    list_filter = ["status", "perspective", "sector", "period", "instrument"]
    search_fields = ["organization__name", "organization__acronym", "period"]
    list_select_related = ["organization", "instrument"]
    autocomplete_fields = ["organization", "encounter"]
    raw_id_fields = ["created_by"]
    readonly_fields = ["overall", "results", "submitted_at"]
    inlines = [AnswerInline]
    actions = [reopen_assessments]


@admin.register(Answer)
class AnswerAdmin(admin.ModelAdmin):
    list_display = ["assessment", "indicator", "value", "score", "evidence_url"]
    list_filter = ["assessment__instrument", "assessment__period", "value"]
    search_fields = ["indicator", "assessment__organization__name", "evidence_url"]
    list_select_related = ["assessment__organization", "assessment__instrument"]
    raw_id_fields = ["assessment"]
