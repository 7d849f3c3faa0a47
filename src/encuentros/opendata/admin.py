from django.contrib import admin

from .models import Comment, DataRequest, Dataset, Match, StatusChange, Vote


@admin.register(Dataset)
class DatasetAdmin(admin.ModelAdmin):
    list_display = ("title", "publisher", "source_catalog", "modified")
    list_filter = ("source_catalog", "themes")
    search_fields = ("title", "description", "identifier", "publisher__name")
    autocomplete_fields = ("publisher",)


class CommentInline(admin.TabularInline):
    model = Comment
    extra = 0


class StatusChangeInline(admin.TabularInline):
    model = StatusChange
    extra = 0
    readonly_fields = ("old", "new", "reason", "by_role", "at")


@admin.register(DataRequest)
class DataRequestAdmin(admin.ModelAdmin):
    list_display = ("title", "status", "topic", "agency", "encounter", "votes_count")
    list_filter = ("status", "topic", "encounter")
    search_fields = ("title", "problem", "agency__name")
    autocomplete_fields = ("agency", "requester")
    filter_horizontal = ("datasets",)
    inlines = [StatusChangeInline, CommentInline]


@admin.register(Match)
class MatchAdmin(admin.ModelAdmin):
    list_display = ("request", "organization", "encounter", "score", "slot", "table", "edited")
    list_filter = ("encounter", "edited")
    search_fields = ("request__title", "organization__name")


@admin.register(Vote)
class VoteAdmin(admin.ModelAdmin):
    list_display = ("request", "created_at")
    search_fields = ("request__title",)


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ("request", "created_at")
    search_fields = ("body", "request__title")
