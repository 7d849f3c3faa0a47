"""The JSON API under /api/v1/: each app contributes a ninja Router."""

from ninja import NinjaAPI

from encuentros.encounters.api import router as encounters_router

api = NinjaAPI(
    title="Encuentros API",
    version="1",
    description="Open data of the Encuentros de Gobierno Abierto platform. Aggregates and "
    "public content only: no personal data is exposed.",
    urls_namespace="api-v1",
    docs_url="/docs",
    openapi_url="/openapi.json",
)
api.add_router("/", encounters_router)
