"""The JSON API under /api/v1/: each app contributes a ninja Router."""

from ninja import NinjaAPI

from encuentros.collaboration.api import router as collaboration_router
from encuentros.ecosystem.api import router as ecosystem_router
from encuentros.encounters.api import router as encounters_router
from encuentros.evaluation.api import router as evaluation_router
from encuentros.opendata.api import router as opendata_router
from encuentros.openness.api import router as openness_router

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
api.add_router("/", opendata_router)
api.add_router("/", openness_router)
api.add_router("/", collaboration_router)
api.add_router("/", ecosystem_router)
api.add_router("/", evaluation_router)
