"""Komet's portal pages (server-rendered): the importer's and the vendor's."""

from .routes import bp

__all__ = ["bp"]
