"""Plumbing both simulators share: clock, seeded ids, SQLite store, journal, faults,
the /__sim control plane and a threaded server runner. Knows nothing of Komet or ASINFO."""

__version__ = "0.1.0"
