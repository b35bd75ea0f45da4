"""The Komet Sales simulator: the documented API, the importer's portal, and the /__sim control plane."""

from .app import build_world, create_app

__all__ = ["build_world", "create_app"]
