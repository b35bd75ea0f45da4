"""The grower's portal pages (server-rendered)."""

from .routes import bp

__all__ = ["bp"]
