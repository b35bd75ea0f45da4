"""Health means ready, and a seed is one step (docs/decisions.md S7): a client that acts as soon as a served
simulator answers meets a seeded world, and two seeds at once leave exactly one."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import threading
import time

import requests

import komet_sim
from simkit.server import ServerThread


def _companies(client) -> int:
    return len(client.get("/__sim/state").get_json()["tables"]["companies"])


def test_two_seeds_at_once_leave_exactly_one_world():
    app = komet_sim.create_app({"seed": 7})
    start = threading.Barrier(4)

    def seed(n: int) -> None:
        client = app.test_client()
        start.wait()
        for _ in range(5):
            reply = client.post("/__sim/seed", json={"seed": n, "posPerDay": 1, "shipDays": 1})
            assert reply.status_code == 200, reply.get_data(as_text=True)

    threads = [threading.Thread(target=seed, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert _companies(app.test_client()) == 1


def test_health_says_not_ready_while_a_seed_is_being_made():
    app = komet_sim.create_app({"seed": 7})
    world = app.extensions["kasim.world"]
    started, release = threading.Event(), threading.Event()
    real = world.seed_world

    def slow_seed(params):
        started.set()
        release.wait(30)
        return real(params)

    world.seed_world = slow_seed
    seeding = threading.Thread(target=lambda: app.test_client().post("/__sim/seed", json={"seed": 7}))
    seeding.start()
    assert started.wait(30)
    client = app.test_client()
    assert client.get("/__sim/health").get_json()["ready"] is False
    release.set()
    seeding.join()
    assert client.get("/__sim/health").get_json()["ready"] is True


def test_a_server_bound_but_never_serving_stops():
    server = ServerThread(komet_sim.create_app({"seed": 7})).bind()
    server.stop()
    with socket.socket() as s:
        assert s.connect_ex(("127.0.0.1", server.port)) != 0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_kasim_serve_answers_only_once_seeded_and_its_token_works(tmp_path):
    """A CI job polls health and acts at once: it must find the seeded world, and the printed token must work.
    (`kasim serve` is a child process of this test, stopped by its pid.)"""
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "harness.cli", "serve", "komet", "--komet-port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "COLUMNS": "200", "NO_COLOR": "1"},
        cwd=tmp_path,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        health = _first_answer(f"{url}/__sim/health", proc)
        # What the CI job sees the moment the server first answers: a seeded world, ready.
        state = requests.get(f"{url}/__sim/state", timeout=30).json()
        assert len(state["tables"]["companies"]) == 2  # the importer and its partner (K24)
        assert health["ready"] is True
        out = _read_until(proc, "Ctrl+C")
        token = re.search(r"token\s+([a-z0-9]{26})", out).group(1)
        day = state["tables"]["purchase_orders"][0]["ship_date"]
        reply = requests.get(
            f"{url}/api/purchase.order.list", params={"authenticationToken": token, "date": day}, timeout=30
        )
        assert reply.json()["status"] == "1", reply.text
        # The CI job then seeds its own world: one world, and the server lives on.
        assert requests.post(f"{url}/__sim/seed", json={"seed": 3}, timeout=60).status_code == 200
        assert len(requests.get(f"{url}/__sim/state", timeout=30).json()["tables"]["companies"]) == 1
        assert proc.poll() is None
    finally:
        proc.terminate()
        rest = proc.communicate(timeout=30)[0]
    assert "Traceback" not in rest


def _first_answer(url: str, proc: subprocess.Popen) -> dict:
    """Polls until the server answers at all (the port is taken before the world is seeded: a connection made
    meanwhile waits for its answer)."""
    assert proc.stdout is not None
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        assert proc.poll() is None, proc.stdout.read()
        try:
            return requests.get(url, timeout=60).json()
        except requests.ConnectionError:
            time.sleep(0.05)  # not bound yet: the child is still importing
    raise AssertionError("kasim serve never answered")


def _read_until(proc: subprocess.Popen, marker: str) -> str:
    assert proc.stdout is not None
    lines = []
    for line in proc.stdout:
        lines.append(line)
        if marker in line:
            break
    return "".join(lines)
