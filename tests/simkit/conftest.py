"""Fixtures for the simkit tests: the toy simulator of toykit.py, in process and over a real socket."""

from __future__ import annotations

import pytest
from flask import Flask

from harness.clients import SimClient
from simkit.server import ServerThread

from .toykit import TOY_URL, ToyWorld, make_toy


@pytest.fixture
def toy_app() -> Flask:
    return make_toy()


@pytest.fixture
def toy_world(toy_app) -> ToyWorld:
    return toy_app.extensions["kasim.world"]


@pytest.fixture
def toy(toy_app) -> SimClient:
    """The toy app in process."""
    return SimClient(TOY_URL, app=toy_app, timeout=5)


@pytest.fixture
def toy_served(toy_app):
    """The toy app over a real socket."""
    with ServerThread(toy_app) as server:
        yield SimClient(server.url, timeout=5)
