from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import JavaScriptCatalog, set_language

from encuentros.api import api
from encuentros.core.sitemaps import SITEMAPS

admin.site.site_header = "Encuentros"
admin.site.site_title = "Encuentros"

urlpatterns = [
    path("", include("encuentros.core.urls")),
    path("encounters/", include("encuentros.encounters.urls")),
    path("", include("encuentros.ecosystem.urls")),
    path("data/", include("encuentros.opendata.urls")),
    path("openness/", include("encuentros.openness.urls")),
    path("follow-up/", include("encuentros.collaboration.urls")),
    path("surveys/", include("encuentros.evaluation.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    # Choosing the interface language changes nothing but a cookie: no CSRF token is needed,
    # so the public pages carry no per-visitor token and can be served from the cache.
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
]

if settings.DEBUG:  # uploaded files (signed agreements); in production the web server serves them
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
