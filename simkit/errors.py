"""Errors the plumbing raises for bad input; each names the field at fault."""


class BadInput(ValueError):
    """A request we refuse: `field` says where, `message` says what is wrong."""

    def __init__(self, field: str | None, message: str, code: str = "invalid"):
        super().__init__(f"{field}: {message}" if field else message)
        self.field = field
        self.message = message
        self.code = code

    def to_json(self) -> dict:
        return {"error": {"code": self.code, "message": self.message, "field": self.field}}


class DropConnection(ConnectionError):
    """Raised by the fault layer: the server resets the connection instead of answering."""


class SimulatedTimeout(DropConnection):
    """The request is held until the client gives up."""
