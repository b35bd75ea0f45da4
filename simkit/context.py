"""Per-request context carried across layers without threading it through every call."""

from contextvars import ContextVar
from typing import Any

# The X-Kasim-Correlation of the request being served: outbound calls made while serving it carry it on,
# so the harness can join both journals into one timeline.
CORRELATION: ContextVar[str | None] = ContextVar("kasim_correlation", default=None)

# The namespace (Komet company, ASINFO grower account) the current request acts for, once known: the clock
# reads it to apply that namespace's own offset, so parallel scenario runs on one server keep their own time.
NAMESPACE: ContextVar[str | None] = ContextVar("kasim_namespace", default=None)


def act_for(environ: dict[str, Any], namespace: object) -> None:
    """The request acts for this namespace from here on: the journal files it there, and the clock applies
    that namespace's own offset. Every entry point that learns the namespace calls this."""
    environ["kasim.namespace"] = str(namespace)
    NAMESPACE.set(str(namespace))
