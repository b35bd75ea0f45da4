"""The ASINFO grower portal simulator: a Komet API client, the grower's portal, its JSON API, /__sim."""

from .app import build_world, create_app

__all__ = ["build_world", "create_app"]
