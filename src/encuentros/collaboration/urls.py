from django.urls import path

from . import views

app_name = "collaboration"

urlpatterns = [
    path("", views.index, name="index"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("encounters/<int:number>/", views.encounter_followup, name="encounter"),
    path("proposals/", views.proposal_list, name="proposals"),
    path("proposals/new/", views.proposal_create, name="proposal_create"),
    path("proposals/<int:pk>/", views.proposal_detail, name="proposal"),
    path("proposals/<int:pk>/edit/", views.proposal_edit, name="proposal_edit"),
    path("proposals/<int:pk>/state/", views.proposal_transition, name="proposal_transition"),
    path("proposals/<int:pk>/support/", views.proposal_support, name="proposal_support"),
    path("proposals/<int:pk>/review/", views.proposal_review, name="proposal_review"),
    path("tables/", views.table_list, name="tables"),
    path("tables/<int:pk>/", views.table_detail, name="table"),
    path("agreements/", views.agreement_list, name="agreements"),
    path("agreements/<int:pk>/", views.agreement_detail, name="agreement"),
    path("commitments/", views.commitment_list, name="commitments"),
    path("commitments/<int:pk>/", views.commitment_detail, name="commitment"),
    path("commitments/<int:pk>/update/", views.commitment_update, name="commitment_update"),
    path("milestones/<int:pk>/done/", views.milestone_done, name="milestone_done"),
    path("encounters/<int:number>/new/<slug:kind>/", views.manage_new, name="manage_new"),
    path("tables/<int:pk>/members/", views.table_add_member, name="table_add_member"),
    path("tables/<int:pk>/proposals/", views.table_link_proposal, name="table_link_proposal"),
    path("commitments/<int:pk>/milestones/", views.commitment_add_milestone,
         name="commitment_add_milestone"),
    path("initiatives/", views.initiative_list, name="initiatives"),
    path("history/<slug:kind>/<int:pk>/", views.history, name="history"),
    path("follow/<slug:kind>/<int:pk>/", views.toggle_follow, name="follow"),
]
