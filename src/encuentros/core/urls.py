from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/signup/", views.signup, name="signup"),
    path("accounts/me/", views.account, name="account"),
    path("accounts/me/data.json", views.my_data, name="my_data"),
    path("accounts/me/edit/", views.edit_profile, name="edit_profile"),
    path("accounts/me/private/", views.withdraw_public_profile, name="withdraw_public_profile"),
    path("accounts/me/delete/", views.erase_account, name="erase_account"),
    path("tasks/<str:task_id>/", views.task, name="task"),
    path("healthz", views.healthz, name="healthz"),
]
