"""simkit.server: a threaded server on a real socket, and faults as a real client sees them."""

from __future__ import annotations

import logging
import socket
import threading
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


def test_running_until_interrupted_stops_the_server_on_ctrl_c(toy_app, monkeypatch):
    server = ServerThread(toy_app).start()
    port, thread = server.port, server._thread
    assert thread is not None

    join, pressed = thread.join, []

    def interrupted(timeout=None):
        if not pressed:  # Ctrl+C during the wait; stop()'s own join then runs as usual
            pressed.append(True)
            raise KeyboardInterrupt
        return join(timeout)

    monkeypatch.setattr(thread, "join", interrupted)
    server.run_until_interrupted()  # returns: Ctrl+C ends the wait, not the caller
    assert pressed and not server.alive
    with socket.socket() as s:
        assert s.connect_ex(("127.0.0.1", port)) != 0


def test_running_until_interrupted_returns_when_the_server_stops(toy_app):
    """Another thread stops the server: the wait ends, and its own stop() after that one is harmless."""
    server = ServerThread(toy_app).start()
    failed: list[BaseException] = []

    def stop() -> None:
        try:
            server.stop()
        except BaseException as exc:  # any failure of the other thread's stop is the finding
            failed.append(exc)

    stopper = threading.Thread(target=stop)
    stopper.start()
    server.run_until_interrupted()
    stopper.join()
    assert failed == [] and not server.alive


def test_a_stop_from_another_thread_waits_for_the_one_under_way(toy_app, monkeypatch):
    """Two stops at once (Ctrl+C's and a caller's): the second waits for the first, then finds nothing to do."""
    server = ServerThread(toy_app).start()

    class Watched:
        """The server's stop lock, telling when a second stop has to wait for it."""

        def __init__(self, lock: threading.Lock) -> None:
            self.lock, self.waiting = lock, threading.Event()

        def __enter__(self) -> None:
            if not self.lock.acquire(blocking=False):
                self.waiting.set()
                self.lock.acquire()

        def __exit__(self, *exc: object) -> None:
            self.lock.release()

    watched = Watched(server._stop_lock)
    monkeypatch.setattr(server, "_stop_lock", watched)
    inner = server._server
    assert inner is not None
    shutdown, failed = inner.shutdown, []

    def stop_again() -> None:
        try:
            server.stop()
        except BaseException as exc:  # any failure of the second stop is the finding
            failed.append(exc)

    other = threading.Thread(target=stop_again)

    def shutdown_while_another_stops() -> None:
        shutdown()
        other.start()
        assert watched.waiting.wait(10), "the second stop did not wait for the first"

    monkeypatch.setattr(inner, "shutdown", shutdown_while_another_stops)
    server.stop()
    other.join()
    assert failed == [] and not server.alive


def test_stop_is_prompt(toy_app):
    server = ServerThread(toy_app).start()
    started = time.perf_counter()
    server.stop()
    assert time.perf_counter() - started < 1.0


def test_stop_returns_once_the_last_answered_request_is_logged(toy_app):
    """--verbose writes a request's line after its reply: a caller stopping the server right after that reply
    (a test reading the log) still gets the line. A slow log handler makes the gap wide enough to see."""
    lines: list[str] = []

    class Slow(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            threading.Event().wait(0.2)  # a log written to a slow disk
            lines.append(record.getMessage())

    logger = logging.getLogger("kasim.server")
    handler, level = Slow(), logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        server = ServerThread(toy_app, verbose=True).start()
        requests.get(f"{server.url}/api/notes", timeout=5)
        server.stop()
        assert any("/api/notes" in line for line in lines)
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)


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
