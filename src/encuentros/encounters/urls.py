from django.urls import path

from . import seating_views, views

app_name = "encounters"

urlpatterns = [
    path("", views.encounter_list, name="list"),
    path("new/", views.encounter_create, name="create"),
    path("<int:number>/", views.encounter_detail, name="detail"),
    path("<int:number>/edit/", views.encounter_edit, name="edit"),
    path("<int:number>/agenda.ics", views.agenda_ics, name="agenda_ics"),
    path("<int:number>/attendance.svg", views.attendance_svg, name="attendance_svg"),
    path("<int:number>/register/", views.register, name="register"),
    path("<int:number>/my-registration/", views.my_registration, name="my_registration"),
    path("<int:number>/my-registration/cancel/", views.cancel_my_registration,
         name="cancel_my_registration"),
    path("<int:number>/agenda/", views.agenda_manage, name="agenda_manage"),
    path("<int:number>/agenda/<int:item_id>/", views.agenda_manage, name="agenda_item_edit"),
    path("<int:number>/agenda/<int:item_id>/delete/", views.agenda_item_delete,
         name="agenda_item_delete"),
    path("<int:number>/registrations/", views.registrations, name="registrations"),
    path("<int:number>/registrations/export/", views.registrations_export,
         name="registrations_export"),
    path("<int:number>/registrations/<int:registration_id>/cancel/", views.registration_cancel,
         name="registration_cancel"),
    path("<int:number>/badges.pdf", views.badges_pdf, name="badges_pdf"),
    path("<int:number>/check-in/", views.checkin, name="checkin"),
    path("<int:number>/check-in/<str:token>/", views.checkin_code, name="checkin_code"),
    path("<int:number>/seating/", seating_views.plan_list, name="seating_list"),
    path("<int:number>/seating/<int:plan_id>/", seating_views.plan_detail,
         name="seating_detail"),
    path("<int:number>/seating/<int:plan_id>/reoptimise/", seating_views.plan_reoptimise,
         name="seating_reoptimise"),
    path("<int:number>/seating/<int:plan_id>/unlock/", seating_views.plan_unlock,
         name="seating_unlock"),
    path("<int:number>/seating/<int:plan_id>/delete/", seating_views.plan_delete,
         name="seating_delete"),
    path("<int:number>/seating/<int:plan_id>/plan.pdf", seating_views.plan_pdf,
         name="seating_pdf"),
    path("<int:number>/seating/<int:plan_id>/cards.pdf", seating_views.plan_cards,
         name="seating_cards"),
]
