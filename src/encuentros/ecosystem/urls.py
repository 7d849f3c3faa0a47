from django.urls import path

from . import views

app_name = "ecosystem"

urlpatterns = [
    path("atlas/", views.atlas_page, name="atlas"),
    path("atlas/nodes.csv", views.atlas_nodes_csv, name="atlas_nodes_csv"),
    path("atlas/edges.csv", views.atlas_edges_csv, name="atlas_edges_csv"),
    path("organizations/", views.organization_list, name="organizations"),
    path("organizations/<slug:slug>/", views.organization_detail, name="organization"),
    path("people/", views.people_list, name="people"),
]
