"""Fixtures for the ASINFO tests. `pair` (tests/conftest.py) runs a test both in process and over real
sockets; `ip` is the in-process pair alone, for rules where the socket adds nothing; `wired` builds a pair
with options (a short Komet timeout) in either mode."""

from __future__ import annotations

import pytest

from ..testkit import wire


@pytest.fixture
def ip():
    topo = wire("in-process")
    try:
        yield topo
    finally:
        topo.close()


@pytest.fixture
def wired(transport):
    """A factory: wired(komet_timeout=0.5) -> a pair in this test's transport, closed afterwards."""
    made = []

    def make(**kw):
        made.append(wire(transport, **kw))
        return made[-1]

    try:
        yield make
    finally:
        for topo in made:
            topo.close()


@pytest.fixture
def portal(pair):
    """A browser-less grower on the ASINFO portal of the connected pair."""
    if pair.apps is None:
        pytest.skip("the portal tests drive the app in process")
    return pair.apps[1].test_client()
