"""bench/speed.py's plumbing (never its timings): -n sets how many rounds the start-up section runs; servers start
under an interpreter as a user's install leaves it."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"


@pytest.fixture
def speed(monkeypatch):
    monkeypatch.syspath_prepend(str(BENCH))  # the bench imports its helpers (_common, _servers) by name
    import speed as module

    yield module
    sys.modules.pop("speed", None)


@pytest.mark.parametrize(
    ("argv", "rounds"), [([], 5), (["--quick"], 3), (["-n", "9"], 9), (["--quick", "-n", "2"], 2)]
)
def test_the_start_up_section_runs_as_many_rounds_as_asked(speed, monkeypatch, argv, rounds):
    asked: list[int] = []

    def startup(runs, tree, tmp, body, baseline=None):
        asked.append(runs)
        return {"times": {}, "cpu": {}, "notes": []}

    monkeypatch.setattr(speed, "startup", startup)
    monkeypatch.setattr(speed, "baseline_tree", lambda given, tmp: (None, False))
    monkeypatch.setattr(speed.sw, "seeded_app", lambda: (None, None, b""))
    monkeypatch.setattr(speed.tb, "summary_rows", lambda found: [])
    speed.main(["--only", "start-up", "--no-json", *argv])
    assert asked == [rounds]


def test_servers_start_under_a_python_as_a_users_install_leaves_it(monkeypatch):
    """The same packages as this interpreter, without the editable install's import hook on every start."""
    import subprocess

    monkeypatch.syspath_prepend(str(BENCH))
    import _servers

    probe = "import sys, flask, simkit; print(sorted(m for m in sys.modules if 'editable' in m))"
    env = _servers.child_env(BENCH.parent)
    theirs = subprocess.run([_servers.user_python(), "-c", probe], env=env, capture_output=True, text=True)
    assert theirs.returncode == 0, theirs.stderr
    assert theirs.stdout.strip() == "[]"


def test_the_start_up_floor_serves_the_body_at_the_route_asked(tmp_path, monkeypatch):
    monkeypatch.syspath_prepend(str(BENCH))
    import _servers

    body = b'{"status": "1", "floor": true}'
    proc, port = _servers.flask_floor(BENCH.parent, body, tmp_path)
    try:
        url = f"http://127.0.0.1:{port}{_servers.PATH}?date=x"
        _servers.wait_until(lambda: _servers.fetch(url) == body, 60, proc.proc)
    finally:
        proc.stop()


def test_the_start_up_floor_is_flask_alone_started_as_kasim_serve_starts():
    """The floor loads Flask and simkit's server, and neither kasim's apps, nor its CLI, nor Werkzeug's
    development server (which `kasim serve` leaves unimported too)."""
    import subprocess

    sys.path.insert(0, str(BENCH))
    try:
        import _servers
    finally:
        sys.path.remove(str(BENCH))
    probe = (
        "import sys; sys.path.insert(0, 'bench'); import _flask_floor, werkzeug.serving as s; "
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'flask', 'simkit', 'komet_sim', 'asinfo_sim'}), "
        "'harness.cli' in sys.modules, hasattr(s, '__file__'))"
    )
    env = _servers.child_env(BENCH.parent)
    out = subprocess.run(
        [_servers.user_python(), "-c", probe], cwd=BENCH.parent, env=env, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["['flask',", "'simkit']", "False", "False"]


@pytest.mark.parametrize(("given", "named"), [({"baseline": "abc1234"}, "abc1234"), ({}, None)])
def test_the_start_up_row_names_the_baseline_tree_it_ran(speed, given, named):
    times = {"kasim serve": [0.2], speed.tb.BASELINE_SERVE: [0.7]}
    rows = speed.tb.summary_rows({"start-up": {"times": times, "cpu": {}, **given}})
    [row] = [r for r in rows if "the baseline tree" in r[0]]
    assert row[0].endswith(f"({named or speed.tb.BASELINE_COMMIT})")


def test_a_trees_commit_is_the_one_it_has_checked_out(speed):
    root = BENCH.parent
    head = speed.subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True).stdout
    assert head.startswith(speed.tree_commit(root)) and len(speed.tree_commit(root)) >= 7
