"""The Komet Sales simulator: the documented API, the importer's portal, and the /__sim control plane."""

from .app import create_app

__all__ = ["create_app"]
