"""Errors the plumbing raises for bad input; each names the field at fault. One table says which HTTP status
each kind of refusal answers, for every JSON route and page of both simulators."""

from typing import Any

# A refusal's code → its HTTP status. "refused" is a rule of the domain saying no (a shipped line cannot be
# confirmed): the request was understood, the state does not allow it, as with "conflict".
HTTP_STATUS = {"invalid": 400, "not_found": 404, "conflict": 409, "refused": 409}


def http_status(code: str) -> int:
    return HTTP_STATUS.get(code, 400)


class BadInput(ValueError):
    """A request we refuse: `field` says where, `message` says what is wrong."""

    def __init__(self, field: str | None, message: str, code: str = "invalid"):
        super().__init__(f"{field}: {message}" if field else message)
        self.field = field
        self.message = message
        self.code = code

    @property
    def http_status(self) -> int:
        return http_status(self.code)

    def to_json(self) -> dict[str, Any]:
        return {"error": {"code": self.code, "message": self.message, "field": self.field}}


class DropConnection(ConnectionError):
    """Raised by the fault layer: the server resets the connection instead of answering."""


class SimulatedTimeout(DropConnection):
    """The request is held until the client gives up."""
