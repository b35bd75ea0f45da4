"""Per-request context carried across layers without threading it through every call."""

from contextvars import ContextVar

# The X-Kasim-Correlation of the request being served: outbound calls made while serving it carry it on,
# so the harness can join both journals into one timeline.
CORRELATION: ContextVar[str | None] = ContextVar("kasim_correlation", default=None)
