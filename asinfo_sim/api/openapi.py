"""ASINFO's OpenAPI 3.1 document, from its routes: the REST API under /api and the /__sim control plane.

Each route says what it takes and answers through `simkit.openapi.describe`; errors are always
`{"error": {"code", "message", "field"}}`.
"""

from __future__ import annotations

from typing import Any

from flask import Flask

from simkit import __version__
from simkit import openapi as oa


def build(app: Flask) -> dict[str, Any]:
    paths = oa.routes_paths(app, ("/api/",), "ASINFO API")
    paths.update(oa.routes_paths(app, ("/__sim/",), "Control plane"))
    return oa.document(
        "kasim — ASINFO grower portal simulator",
        __version__,
        "ASINFO's own REST API (connections, orders, confirmations, AWBs, labels, shipments, sync) and the "
        "/__sim control plane both simulators share. Errors name the field at fault.",
        paths,
        [
            {"name": "ASINFO API", "description": "The grower portal's JSON API"},
            {"name": "Control plane", "description": "The /__sim routes both simulators share"},
        ],
    )
