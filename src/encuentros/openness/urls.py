from django.urls import path

from . import views

app_name = "openness"

urlpatterns = [
    path("", views.index, name="index"),
    path("instruments/<slug:slug>/", views.instrument_detail, name="instrument"),
    path("instruments/<slug:slug>/results/", views.results, name="results"),
    path("instruments/<slug:slug>/quality/", views.instrument_quality, name="quality"),
    path("instruments/<slug:slug>/instrument.yaml", views.instrument_yaml, name="yaml"),
    path("instruments/<slug:slug>/xlsform.xlsx", views.instrument_xlsform, name="xlsform"),
    path("instruments/<slug:slug>/scores.csv", views.scores_export, {"fmt": "csv"},
         name="scores_csv"),
    path("instruments/<slug:slug>/scores.json", views.scores_export, {"fmt": "json"},
         name="scores_json"),
    path("instruments/<slug:slug>/import/", views.import_answers, name="import"),
    path("organizations/<slug:slug>/", views.organization, name="organization"),
    path("organizations/<slug:slug>/assess/", views.start, name="start"),
    path("assessments/<int:pk>/", views.assessment, name="assessment"),
]
