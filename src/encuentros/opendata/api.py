"""Public JSON API of the opendata app (mounted under /api/v1/ by encuentros/api.py)."""

from ninja import Router

router = Router(tags=["opendata"])
