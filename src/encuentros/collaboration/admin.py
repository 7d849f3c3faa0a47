from django.contrib import admin

from . import services
from .models import (
    Agreement,
    Challenge,
    ChangeRecord,
    CollaborativeTable,
    Commitment,
    Follow,
    Initiative,
    Milestone,
    Proposal,
    Review,
    Support,
    TableMember,
    TableSession,
)


class HistoryAdminMixin:
    """Changes made in the admin are recorded in the public history too."""

    def save_model(self, request, obj, form, change):
        old = type(obj).objects.filter(pk=obj.pk).first() if change else None
        super().save_model(request, obj, form, change)
        fields = [f for f in form.changed_data if f in {x.name for x in obj._meta.fields}]
        changes = {f: (getattr(old, f, None) if old else None, getattr(obj, f)) for f in fields}
        if change and not changes:
            return
        services.record(obj, request.user, "edited_in_admin" if change else "created", changes)


@admin.register(Challenge)
class ChallengeAdmin(admin.ModelAdmin):
    list_display = ["title", "topic", "encounter"]
    search_fields = ["title", "description"]
    list_filter = ["topic", "encounter"]
    filter_horizontal = ["agencies"]


class SupportInline(admin.TabularInline):
    model = Support
    extra = 0
    raw_id_fields = ["user"]


class ReviewInline(admin.TabularInline):
    model = Review
    extra = 0
    raw_id_fields = ["reviewer"]


@admin.register(Proposal)
class ProposalAdmin(HistoryAdminMixin, admin.ModelAdmin):
    list_display = ["title", "status", "encounter", "challenge", "support_count", "created_at"]
    search_fields = ["title", "summary", "team"]
    list_filter = ["status", "encounter", "challenge"]
    raw_id_fields = ["author", "author_organization"]
    inlines = [ReviewInline, SupportInline]
    readonly_fields = ["support_count", "submitted_at"]


@admin.register(Support)
class SupportAdmin(admin.ModelAdmin):
    list_display = ["proposal", "user", "created_at"]
    search_fields = ["proposal__title", "user__username"]
    list_filter = ["created_at"]
    raw_id_fields = ["proposal", "user"]


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    list_display = ["proposal", "reviewer", "total", "created_at"]
    search_fields = ["proposal__title", "comment"]
    list_filter = ["created_at"]
    raw_id_fields = ["proposal", "reviewer"]


class TableMemberInline(admin.TabularInline):
    model = TableMember
    extra = 0
    raw_id_fields = ["person", "organization"]


class TableSessionInline(admin.StackedInline):
    model = TableSession
    extra = 0


@admin.register(CollaborativeTable)
class CollaborativeTableAdmin(HistoryAdminMixin, admin.ModelAdmin):
    list_display = ["name", "encounter", "challenge", "status"]
    search_fields = ["name", "description"]
    list_filter = ["status", "encounter"]
    filter_horizontal = ["proposals"]
    inlines = [TableMemberInline, TableSessionInline]


@admin.register(TableMember)
class TableMemberAdmin(admin.ModelAdmin):
    list_display = ["table", "role", "organization", "sector"]
    search_fields = ["table__name", "organization__name"]
    list_filter = ["role", "sector"]
    raw_id_fields = ["person", "organization", "table"]


@admin.register(TableSession)
class TableSessionAdmin(admin.ModelAdmin):
    list_display = ["table", "date", "title"]
    search_fields = ["table__name", "title", "minutes"]
    list_filter = ["date"]


class CommitmentInline(admin.TabularInline):
    model = Commitment
    fk_name = "agreement"
    extra = 0
    fields = ["title", "responsible", "due_date", "status", "progress"]
    raw_id_fields = ["responsible"]
    show_change_link = True


@admin.register(Agreement)
class AgreementAdmin(HistoryAdminMixin, admin.ModelAdmin):
    list_display = ["title", "kind", "encounter", "signed_on"]
    search_fields = ["title", "text", "signatories__name"]
    list_filter = ["kind", "encounter"]
    filter_horizontal = ["signatories"]
    inlines = [CommitmentInline]


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0


@admin.register(Commitment)
class CommitmentAdmin(HistoryAdminMixin, admin.ModelAdmin):
    list_display = ["title", "responsible", "due_date", "status", "progress"]
    search_fields = ["title", "description", "responsible__name"]
    list_filter = ["status", "responsible__sector"]
    raw_id_fields = ["agreement", "table", "responsible"]
    inlines = [MilestoneInline]


@admin.register(Milestone)
class MilestoneAdmin(admin.ModelAdmin):
    list_display = ["title", "commitment", "due_date", "done", "done_on"]
    search_fields = ["title", "commitment__title"]
    list_filter = ["done"]
    raw_id_fields = ["commitment"]


@admin.register(Initiative)
class InitiativeAdmin(HistoryAdminMixin, admin.ModelAdmin):
    list_display = ["name", "encounter", "status", "order"]
    search_fields = ["name", "description"]
    list_filter = ["status", "encounter"]
    filter_horizontal = ["proposals", "tables"]
    prepopulated_fields = {"key": ["name"]}


@admin.register(ChangeRecord)
class ChangeRecordAdmin(admin.ModelAdmin):
    """Read-only: history is never edited."""

    list_display = ["created_at", "content_type", "object_id", "action", "actor_role",
                    "actor_label"]
    search_fields = ["note", "actor_label", "action"]
    list_filter = ["content_type", "action", "actor_role"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(Follow)
class FollowAdmin(admin.ModelAdmin):
    list_display = ["user", "content_type", "object_id", "created_at"]
    search_fields = ["user__username"]
    list_filter = ["content_type"]
    raw_id_fields = ["user"]
