"""Public JSON API of the collaboration app (mounted under /api/v1/ by encuentros/api.py)."""

from ninja import Router

router = Router(tags=["collaboration"])
