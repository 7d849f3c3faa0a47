"""The project's URLs plus /__ceiling__: a bare view returning a constant JSON, the framework's
ceiling on this machine (same middleware, same server, no database, no template)."""

from django.http import JsonResponse
from django.urls import path

from encuentros.urls import urlpatterns as project_urlpatterns

CONSTANT = {"ok": True, "service": "encuentros"}


def ceiling(request):
    return JsonResponse(CONSTANT)


urlpatterns = [path("__ceiling__", ceiling), *project_urlpatterns]
