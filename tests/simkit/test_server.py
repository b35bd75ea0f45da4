"""simkit.server: a threaded server on a real socket, and faults as a real client sees them."""

from __future__ import annotations

import socket
import time
from types import SimpleNamespace

import pytest
import requests

from simkit import fault_kinds
from simkit.server import ServerThread

from .toykit import notes


def test_port_zero_picks_a_free_port_and_serves_at_once(toy_app):
    with ServerThread(toy_app, port=0) as server:
        assert server.port > 0 and server.url == f"http://127.0.0.1:{server.port}"
        assert requests.get(f"{server.url}/__sim/health", timeout=5).json()["app"] == "toy"


def test_stop_releases_the_port(toy_app):
    server = ServerThread(toy_app).start()
    port = server.port
    server.stop()
    with socket.socket() as s:
        assert s.connect_ex(("127.0.0.1", port)) != 0
    server.stop()  # stopping twice is harmless


def test_stop_is_prompt(toy_app):
    server = ServerThread(toy_app).start()
    started = time.perf_counter()
    server.stop()
    assert time.perf_counter() - started < 1.0


def test_a_reset_fault_is_a_connection_error_and_nothing_is_processed(toy_served, toy_world):
    toy_served.add_fault(kind="reset", route="/api/note", times=1)
    before = notes(toy_world)
    with pytest.raises(requests.exceptions.ConnectionError):
        toy_served.request("POST", "/api/note", json={"text": "lost"})
    assert notes(toy_world) == before
    assert toy_served.request("POST", "/api/note", json={"text": "ok"}).status_code == 200


def test_a_lost_response_is_a_connection_error_after_the_work_is_done(toy_served, toy_world):
    toy_served.add_fault(kind="lost_response", route="/api/note", times=1)
    before = notes(toy_world)
    with pytest.raises(requests.exceptions.ConnectionError):
        toy_served.request("POST", "/api/note", json={"text": "processed"})
    assert notes(toy_world) == before + 1


def test_a_timeout_fault_is_a_read_timeout_over_a_socket(toy_served, toy_world):
    toy_served.add_fault(kind="timeout", route="/api/note", seconds="1s", times=1)
    before = notes(toy_world)
    with pytest.raises(requests.exceptions.ReadTimeout):
        toy_served.request("POST", "/api/note", json={"text": "never"}, timeout=0.2)
    assert notes(toy_world) == before


def test_an_error_fault_is_an_http_error_over_a_socket(toy_served):
    toy_served.add_fault(kind="error", route="/api/*", status=502, times=1)
    resp = toy_served.request("GET", "/api/notes")
    assert resp.status_code == 502 and resp.headers["Content-Type"].startswith("text/html")


def test_a_latency_fault_delays_the_reply(toy_served, monkeypatch):
    waited: list[float] = []
    monkeypatch.setattr(
        fault_kinds, "time", SimpleNamespace(sleep=waited.append)
    )  # the server thread's wait, recorded
    toy_served.add_fault(kind="latency", route="/api/notes", delay="200ms", times=1)
    assert toy_served.request("GET", "/api/notes").status_code == 200
    assert waited == [0.2]


def test_the_server_answers_concurrent_clients(toy_served, toy_world):
    from concurrent.futures import ThreadPoolExecutor

    def post(n):
        return requests.post(f"{toy_served.base_url}/api/note", json={"text": str(n)}, timeout=5).status_code

    with ThreadPoolExecutor(8) as pool:
        assert set(pool.map(post, range(40))) == {200}
    assert notes(toy_world) == 2 + 40
