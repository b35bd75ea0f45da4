"""A served Komet simulator and a recording proxy in front of it, on real sockets."""

from __future__ import annotations

from datetime import datetime

import pytest

import komet_sim
from harness.recording import format as fmt
from harness.recording.proxy import RecordingProxy
from simkit.clock import VirtualClock
from simkit.server import ServerThread

START = datetime(2026, 3, 2, 8, 0, 0)


@pytest.fixture
def komet():
    """komet_sim served as `kasim serve komet` serves it, its clock frozen (replays are then exact)."""
    app = komet_sim.create_app({"seed": 7, "clock": VirtualClock(START, running=False)})
    with ServerThread(app) as server:
        yield server


@pytest.fixture
def recorder(komet, tmp_path):
    """(proxy server, proxy app, recording path) in front of `komet`."""
    out = tmp_path / "recording.jsonl"
    writer = fmt.Writer(out, fmt.header(komet.url, "2026-03-02T08:00:00Z", "tests"))
    proxy = RecordingProxy(komet.url, writer)
    with ServerThread(proxy) as server:
        yield server, proxy, out
    writer.close()
