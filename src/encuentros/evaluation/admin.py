from django.contrib import admin

from .models import Answer, Question, Response, Survey


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 0


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin):
    list_display = ("encounter", "moment", "title", "is_open")
    list_filter = ("moment", "is_open", "encounter")
    search_fields = ("title", "encounter__title")
    inlines = [QuestionInline]


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ("text", "key", "kind", "survey", "order")
    list_filter = ("kind", "survey__moment")
    search_fields = ("text", "key")


class AnswerInline(admin.TabularInline):
    model = Answer
    extra = 0
    readonly_fields = ("question", "value", "text")


@admin.register(Response)
class ResponseAdmin(admin.ModelAdmin):
    list_display = ("survey", "sector", "submitted_at")
    list_filter = ("survey__moment", "sector", "survey__encounter")
    search_fields = ("respondent",)
    readonly_fields = ("respondent",)
    inlines = [AnswerInline]
