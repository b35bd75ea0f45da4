"""Fixtures for the Komet API tests. Everything goes through `komet` (a KometSimClient parametrised over
transport), so each test runs once in process and once over a real socket."""

from __future__ import annotations

import pytest

from harness.clients import KometSimClient

from .kometkit import Kit


@pytest.fixture
def kit(komet, seeded) -> Kit:
    return Kit(komet, seeded)


@pytest.fixture
def vendor(seeded) -> dict:
    return seeded["vendors"][0]


@pytest.fixture
def other_vendor(seeded) -> dict:
    return seeded["vendors"][1]


@pytest.fixture
def vendor_token(kit, vendor) -> str:
    """A Vendor token of the first vendor with every method enabled (documented profile)."""
    return kit.vendor_token(vendor["id"])


@pytest.fixture
def komet_local(komet_app) -> KometSimClient:
    """In process only: for sweeps of many calls whose transport is not the point (the fast path)."""
    return KometSimClient("http://komet.test", app=komet_app)


@pytest.fixture
def kit_local(komet_local, seeded) -> Kit:
    return Kit(komet_local, seeded)


@pytest.fixture
def client(komet_app, seeded):
    """The importer's portal, signed in as its Admin (test client)."""
    from .importer_portal_kit import sign_in

    return sign_in(komet_app.test_client(), seeded)
