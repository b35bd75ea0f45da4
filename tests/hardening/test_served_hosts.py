"""A served simulator answers only to its own names (docs/decisions.md S2), and `kasim serve --host 0.0.0.0`
says where it is reachable and that the control plane is open."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

import asinfo_sim
import komet_sim
from simkit.server import ServerThread, machine_addresses, served_names


@pytest.fixture(scope="module")
def servers():
    komet = ServerThread(komet_sim.create_app({"seed": 7})).start()
    asinfo = ServerThread(asinfo_sim.create_app({"seed": 7})).start()
    try:
        yield komet, asinfo
    finally:
        komet.stop()
        asinfo.stop()


def _get(server: ServerThread, path: str, host: str) -> requests.Response:
    return requests.get(f"{server.url}{path}", headers={"Host": host}, timeout=5)


@pytest.mark.parametrize(
    ("which", "path", "shape"),
    [
        (0, "/api/purchase.order.list", "envelope"),
        (0, "/__sim/health", "error"),
        (1, "/api/account", "error"),
        (0, "/login", "page"),
        (1, "/orders", "page"),
    ],
)
def test_a_request_for_another_host_name_is_refused_in_the_routes_shape(servers, which, path, shape):
    """DNS rebinding: attacker.example now resolves to 127.0.0.1, and the browser sends Host: attacker.example."""
    server = servers[which]
    reply = _get(server, path, f"attacker.example:{server.port}")
    assert reply.status_code == 400
    if shape == "envelope":
        assert reply.json()["status"] == "0"
    elif shape == "error":
        assert "attacker.example" in reply.json()["error"]["message"]
    else:
        assert reply.headers["Content-Type"].startswith("text/html") and "--allow-host" in reply.text


@pytest.mark.parametrize("name", ["127.0.0.1", "localhost", "LOCALHOST", "[::1]"])
def test_loopback_names_are_answered(servers, name):
    server = servers[0]
    assert _get(server, "/__sim/health", f"{name}:{server.port}").status_code == 200


def test_an_allowed_extra_name_is_answered():
    with ServerThread(komet_sim.create_app({"seed": 7}), allow_hosts=["komet.internal"]) as server:
        assert _get(server, "/__sim/health", f"komet.internal:{server.port}").status_code == 200
        assert _get(server, "/__sim/health", f"komet.elsewhere:{server.port}").status_code == 400


def test_every_interface_answers_to_the_machines_names_and_addresses():
    names = served_names("0.0.0.0")  # noqa: S104 (a name, not a bind)
    assert {"127.0.0.1", "localhost", *machine_addresses()} <= names
    assert "attacker.example" not in names


def test_in_process_there_is_no_host_to_check():
    client = komet_sim.create_app({"seed": 7}).test_client()
    assert client.get("/__sim/health", headers={"Host": "komet.kasim.test"}).status_code == 200


def test_serve_on_every_interface_prints_the_real_addresses_and_warns(tmp_path: Path):
    """The output of `kasim serve --host 0.0.0.0` (a child process of this test, stopped by its pid)."""
    env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "harness.cli", "serve", "komet", "--host", "0.0.0.0", "--port", "0"],  # noqa: S104
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
        cwd=tmp_path,
    )
    lines: list[str] = []
    try:
        deadline = time.monotonic() + 60
        assert proc.stdout is not None
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            lines.append(line)
            if "Ctrl+C" in line:
                break
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    out = "".join(lines)
    assert "Ctrl+C" in out, out
    for address in machine_addresses():
        assert f"http://{address}:" in out, out
    assert "Warning" in out and "control plane" in out and "network" in out, out
