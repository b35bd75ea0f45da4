"""What `kasim serve` leaves unimported: Werkzeug's development server.

Werkzeug's package imports `werkzeug.serving` for `run_simple`, and Flask imports it for
`is_running_from_reloader`; with it come `http.server`, `http.client`, `ssl`, `socketserver` and `html`, a good
part of a start's imports, for a server kasim never runs (simkit.server is its own). Before Werkzeug is first
imported, `defer_werkzeug_serving` puts a stand-in in its place: those two names are functions that load the
real module when called, and any other name loads it and is read from it. A process that has already imported
Werkzeug (a test run) is left as it is.
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import Any

SERVING = "werkzeug.serving"
# The names Werkzeug and Flask import from it at their own import (werkzeug/__init__.py, flask/app.py, flask/cli.py)
_IMPORTED_AT_START = ("run_simple", "is_running_from_reloader")


class _Deferred(types.ModuleType):
    """werkzeug.serving until something needs it: then the real module, read through this one."""

    def __getattr__(self, name: str) -> Any:
        if name.startswith(
            "__"
        ):  # the import system asking what this is (__path__, __spec__…): not a package
            raise AttributeError(name)
        return getattr(_real(), name)


def _real() -> types.ModuleType:
    """The real werkzeug.serving, imported now if it was not (and put where the stand-in was)."""
    module = sys.modules.get(SERVING)
    if module is None or isinstance(module, _Deferred):
        sys.modules.pop(SERVING, None)
        module = importlib.import_module(SERVING)
    return module


def _forward(name: str) -> Any:
    def call(*args: Any, **kwargs: Any) -> Any:
        return getattr(_real(), name)(*args, **kwargs)

    call.__name__ = call.__qualname__ = name
    return call


def defer_werkzeug_serving() -> bool:
    """Put the stand-in in place; False (and nothing changed) when Werkzeug is already imported."""
    if "werkzeug" in sys.modules or SERVING in sys.modules:
        return False
    stand_in = _Deferred(SERVING, "werkzeug.serving, imported when first used (harness/serve_imports.py)")
    for name in _IMPORTED_AT_START:
        setattr(stand_in, name, _forward(name))
    sys.modules[SERVING] = stand_in
    import werkzeug  # imported here (it uses the stand-in) to hang the stand-in on it: werkzeug.serving.X works

    werkzeug.serving = stand_in
    return True


def deferred() -> bool:
    """Whether werkzeug.serving is still the stand-in."""
    return isinstance(sys.modules.get(SERVING), _Deferred)
