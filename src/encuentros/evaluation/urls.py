from django.urls import path

from . import views

app_name = "evaluation"

urlpatterns = [
    path("report/<int:number>/", views.report, name="report"),
    path("report/<int:number>/report.pdf", views.report_pdf, name="report_pdf"),
    path("<int:number>/", views.results, name="results"),
    path("<int:number>/manage/", views.manage, name="manage"),
    path("<int:number>/import/", views.import_answers, name="import_answers"),
    path("<int:number>/<str:moment>/", views.answer, name="answer"),
    path("<int:number>/<str:moment>/open-answers/", views.open_answers, name="open_answers"),
]
