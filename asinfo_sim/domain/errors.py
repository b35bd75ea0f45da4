"""Errors of the ASINFO API and portal: each names the field at fault; its code gives its HTTP status
(simkit.errors.HTTP_STATUS)."""

from __future__ import annotations

from simkit.errors import BadInput


class NotFound(BadInput):
    def __init__(self, field: str | None, message: str):
        super().__init__(field, message, "not_found")


class Conflict(BadInput):
    """The request is well-formed but the state does not allow it (shipped line, closed AWB...)."""

    def __init__(self, field: str | None, message: str):
        super().__init__(field, message, "conflict")
