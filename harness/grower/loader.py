"""Which grower adapter a run uses: `asinfo` (built in, the default), `package.module:Class`, or the name of
an entry point in the `kasim.growers` group (so a package can ship its adapter)."""

from __future__ import annotations

import importlib
import os
import sys
from importlib.metadata import entry_points

from .interface import Grower

BUILT_IN = "asinfo"
GROUP = "kasim.growers"


class AdapterNotFound(ValueError):
    """--grower names nothing usable: the message says what was tried."""


def load_grower(spec: str) -> type[Grower] | None:
    """The adapter class named by spec; None for the built-in ASINFO simulator (the topology wires it)."""
    if spec == BUILT_IN:
        return None
    if ":" in spec:
        module_name, _, attr = spec.partition(":")
        if os.getcwd() not in sys.path:  # an adapter next to the user's files, as `python -m` would find it
            sys.path.insert(0, os.getcwd())
        try:
            module = importlib.import_module(module_name)
        except ImportError as exc:
            raise AdapterNotFound(f"--grower {spec}: cannot import {module_name} ({exc})") from None
        found = getattr(module, attr, None)
        if found is None:
            raise AdapterNotFound(f"--grower {spec}: {module_name} has no {attr}")
    else:
        named = [ep for ep in entry_points(group=GROUP) if ep.name == spec]
        if not named:
            known = sorted({BUILT_IN, *(ep.name for ep in entry_points(group=GROUP))})
            raise AdapterNotFound(
                f"--grower {spec}: no such adapter (known: {', '.join(known)}; or give package.module:Class)"
            )
        found = named[0].load()
    if not (isinstance(found, type) and issubclass(found, Grower)):
        raise AdapterNotFound(f"--grower {spec}: {found!r} is not a harness.grower.Grower subclass")
    return found
