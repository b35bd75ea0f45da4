"""The grower seam: every `asinfo.*` step reaches the grower system through a Grower adapter.

    from harness.grower import Grower, GrowerRefused, Labels, Setup

Subclass Grower, override the operations your system supports, and run `kasim run --grower pkg.mod:Class`
(or register it in the `kasim.growers` entry-point group)."""

from .interface import OPERATIONS, Grower, GrowerRefused, Labels, Setup, Unsupported
from .loader import BUILT_IN, AdapterNotFound, load_grower

__all__ = [
    "BUILT_IN",
    "OPERATIONS",
    "AdapterNotFound",
    "Grower",
    "GrowerRefused",
    "Labels",
    "Setup",
    "Unsupported",
    "load_grower",
]
