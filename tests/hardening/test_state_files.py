"""--state files hold tokens and passwords (docs/decisions.md S4): readable by their owner only, and served by one
process at a time."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import komet_sim
from harness.clients import KometSimClient


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_state_files_are_readable_by_their_owner_only(tmp_path: Path):
    state = tmp_path / "state"
    app = komet_sim.create_app({"seed": 7, "state_dir": state, "seed_world": {"seed": 7}})
    KometSimClient("http://komet.test", app=app).create_token(type="Company", methods="all")
    files = sorted(state.glob("komet.sqlite3*"))
    assert {p.name for p in files} >= {"komet.sqlite3", "komet.sqlite3-wal", "komet.sqlite3-shm"}
    assert {p.name: _mode(p) for p in files} == {p.name: 0o600 for p in files}
    assert _mode(state) == 0o700
    app.extensions["kasim.world"].store.close()


def test_a_state_file_an_older_kasim_left_readable_is_made_private(tmp_path: Path):
    old = tmp_path / "komet.sqlite3"
    old.touch(mode=0o644)
    os.chmod(old, 0o644)
    komet_sim.create_app({"seed": 7, "state_dir": tmp_path}).extensions["kasim.world"].store.close()
    assert _mode(old) == 0o600


def _serve(state: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "harness.cli", "serve", "komet", "--state", str(state), "--komet-port", "0"],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "COLUMNS": "200", "NO_COLOR": "1"},
    )


def test_a_second_server_on_the_same_state_refuses_to_start_with_a_clear_message(tmp_path: Path):
    world = komet_sim.create_app({"seed": 7, "state_dir": tmp_path}).extensions["kasim.world"]
    try:
        done = _serve(tmp_path)
    finally:
        world.store.close()
    out = done.stdout + done.stderr
    assert done.returncode == 2, out
    assert "in use by another kasim server" in out and f"pid {os.getpid()}" in out, out
    assert "Traceback" not in out


def test_the_state_is_free_again_once_its_server_stops(tmp_path: Path):
    komet_sim.create_app({"seed": 7, "state_dir": tmp_path}).extensions["kasim.world"].store.close()
    code = (
        "import sys, komet_sim; "
        "komet_sim.create_app({'state_dir': sys.argv[1]}).extensions['kasim.world'].store.close(); print('ok')"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True, timeout=60
    )
    assert done.stdout.strip() == "ok", done.stderr


def test_the_same_process_may_open_its_state_again(tmp_path: Path):
    """A restart inside one process (the harness, tests) is not a second server."""
    first = komet_sim.create_app({"seed": 7, "state_dir": tmp_path, "seed_world": {"seed": 7}})
    again = komet_sim.create_app({"state_dir": tmp_path})
    assert again.extensions["kasim.world"].namespaces() == first.extensions["kasim.world"].namespaces()
