from django.urls import path

from . import views

app_name = "opendata"

urlpatterns = [
    path("", views.catalog, name="catalog"),
    path("import/", views.catalog_import, name="catalog_import"),
    path("datasets/<int:pk>/", views.dataset, name="dataset"),
    path("requests/", views.request_list, name="requests"),
    path("requests/new/", views.request_create, name="request_create"),
    path("requests/<int:pk>/", views.request_detail, name="request"),
    path("requests/<int:pk>/support/", views.request_vote, name="request_vote"),
    path("requests/<int:pk>/comment/", views.request_comment, name="request_comment"),
    path("demand/", views.demand, name="demand"),
    path("demand.csv", views.demand_csv, name="demand_csv"),
    path("matchmaking/<int:number>/", views.matchmaking, name="matchmaking"),
    path("open/", views.open_data_index, name="open_data"),
    path("open/datapackage.json", views.open_data_package, name="datapackage"),
    path("open/catalog.jsonld", views.open_data_dcat, name="dcat"),
    path("open/encuentros-datos-abiertos.zip", views.open_data_zip, name="open_data_zip"),
    path("open/<slug:name>.<str:fmt>", views.open_data_file, name="open_data_file"),
]
