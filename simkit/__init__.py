"""Plumbing both simulators share: clock, seeded ids, SQLite store, journal, faults,
the /__sim control plane and a threaded server runner. Knows nothing of Komet or ASINFO."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("kasim")  # pyproject.toml is the one place the version is written
except PackageNotFoundError:  # a source tree that was never installed
    __version__ = "0+unknown"
