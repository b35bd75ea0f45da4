"""kasim explore --jobs: the runs shared among processes. The outcome depends on the seed, the counts and the
number of jobs only (never on how the machine scheduled them): the jobs together are their shares run one after
another, and the failure reported is the lowest job's."""

from __future__ import annotations

import multiprocessing
import os
import re
import signal
import subprocess
import sys
import time
from itertools import product
from pathlib import Path

import pytest
import yaml

from harness import exploration, start_cache
from harness.cli import main
from harness.engine import run_scenario
from harness.exploration import MAX_JOBS, Share, explore, explore_share, shares
from harness.plants import world_for
from harness.properties import WORLD_OFFSETS, make_machine
from harness.runner import Options, topology_factory
from harness.scenario import load_file

ROOT = Path(__file__).resolve().parents[2]
PLANT = world_for("confirm-adds")  # seed 0 misses it in 5 runs × 12 steps; seeds 10 and 20 find it


@pytest.mark.parametrize(("examples", "jobs"), list(product([1, 2, 5, 40, 41], [1, 2, 3, 8, 50])))
def test_the_examples_are_shared_as_evenly_as_they_go_and_none_is_lost(examples, jobs):
    parts = shares(7, examples, 25, None, jobs)
    counts = [p.examples for p in parts]
    assert sum(counts) == examples
    assert len(parts) == min(jobs, examples) and min(counts) >= 1 and max(counts) - min(counts) <= 1
    assert [p.seed for p in parts] == [7 + k * WORLD_OFFSETS for k in range(len(parts))]
    assert {(p.steps, p.plant) for p in parts} == {(25, None)}


def test_a_job_explores_worlds_no_other_job_does(monkeypatch):
    seen: list[int] = []
    start = start_cache.start

    def recording(seed, world, plant):
        seen.append(seed)
        return start(seed, world, plant)

    monkeypatch.setattr(start_cache, "start", recording)
    explore_share(Share(WORLD_OFFSETS, 6, 1, None))
    assert seen and all(WORLD_OFFSETS <= s < 2 * WORLD_OFFSETS for s in seen)


def test_the_steps_reported_are_the_rules_hypothesis_ran(monkeypatch):
    counted = {"checks": 0, "examples": 0}

    def counting(base_seed=0, plant=None):
        machine = make_machine(base_seed, plant)
        check, teardown = machine.check_invariants, machine.teardown

        def check_invariants(self, *args, **kwargs):  # Hypothesis's: after the start and after every rule
            counted["checks"] += 1
            return check(self, *args, **kwargs)

        def ended(self):
            counted["examples"] += 1
            return teardown(self)

        machine.check_invariants, machine.teardown = check_invariants, ended
        return machine

    monkeypatch.setattr(exploration, "make_machine", counting)
    found = explore(2, 3, 6, None, jobs=1)
    assert found.failure is None and found.examples == 3
    assert found.steps == counted["checks"] - counted["examples"] > 0


@pytest.mark.parametrize(
    "threads", [1, 2]
)  # forked from this process; from a fork server (a threaded caller)
def test_the_jobs_together_are_their_shares_run_one_after_another(monkeypatch, threads):
    monkeypatch.setattr(exploration.threading, "active_count", lambda: threads)
    together = explore(0, 10, 12, PLANT, jobs=2)
    first, second = (explore_share(s) for s in shares(0, 10, 12, PLANT, 2))
    assert first.failure is None and second.failure is not None  # only the second job finds it
    assert (together.seed, together.failure, together.regression) == (
        WORLD_OFFSETS,
        second.failure,
        second.regression,
    )
    assert together.steps == first.steps + second.steps and together.examples == 10


def test_when_several_jobs_find_a_failure_the_lowest_one_is_reported():
    found = explore(WORLD_OFFSETS, 10, 12, PLANT, jobs=2)
    first, later = (explore_share(s) for s in shares(WORLD_OFFSETS, 10, 12, PLANT, 2))
    assert later.failure is not None  # the second job finds one too
    assert (found.seed, found.regression) == (WORLD_OFFSETS, first.regression)
    assert found.steps == first.steps  # the second was stopped, not waited for


@pytest.mark.parametrize(("threads", "method"), [(1, "fork"), (2, "forkserver")])
def test_jobs_are_forked_only_from_a_process_of_one_thread(monkeypatch, threads, method):
    monkeypatch.setattr(exploration.threading, "active_count", lambda: threads)
    assert exploration._context().get_start_method() == method


@pytest.mark.parametrize(
    ("option", "value", "says"),
    [
        ("--jobs", "0", "argument --jobs: 0 is less than 1"),
        ("--jobs", str(MAX_JOBS + 1), f"argument --jobs: {MAX_JOBS + 1} is more than {MAX_JOBS}"),
        ("--jobs", "two", "argument --jobs: 'two' is not a whole number"),
        ("--examples", "0", "argument --examples: 0 is less than 1"),
        ("--steps", "-3", "argument --steps: -3 is less than 1"),
    ],
)
def test_a_count_below_one_is_refused_by_name(capsys, option, value, says):
    with pytest.raises(SystemExit) as exit_:
        main(["explore", option, value])
    err = capsys.readouterr().err
    assert exit_.value.code == 2 and says in err and "Traceback" not in err


def test_kasim_explore_with_jobs_names_the_job_that_found_it_and_writes_a_replayable_scenario(
    tmp_path, capsys
):
    args = [
        "--plant",
        "confirm-adds",
        "--examples",
        "10",
        "--steps",
        "12",
        "--jobs",
        "2",
        "--out",
        str(tmp_path),
    ]
    code = main(["explore", *args])
    out = capsys.readouterr().out
    assert code == 1 and "2 jobs" in out and f"found by the job from seed {WORLD_OFFSETS}" in out
    (path,) = tmp_path.glob("*.yaml")
    assert yaml.safe_load(path.read_text())["steps"][-1] == {"check": "invariants"}
    assert run_scenario(load_file(path)[0], topology_factory(Options())).status == "failed"


def test_kasim_explore_says_how_many_jobs_run_and_runs_no_more_than_there_are_runs(capsys):
    assert main(["explore", "--examples", "1", "--steps", "1", "--jobs", "4"]) == 0
    assert "jobs" not in capsys.readouterr().out  # one run: one job, in this process


def test_kasim_explore_says_how_many_steps_it_ran(capsys):
    assert main(["explore", "--examples", "2", "--steps", "3", "--jobs", "2"]) == 0
    out = capsys.readouterr().out
    assert re.search(r"no property broke in 2 runs \(seed 0\): [1-9]\d* steps in \d+\.\d s \(\d+/s\)", out), (
        out
    )


def test_a_job_that_dies_is_named_and_the_others_are_stopped(monkeypatch, capsys):
    context = multiprocessing.get_context("fork")  # whatever threads this test process runs: the CLI's way

    class Killing:  # the jobs' processes, the one from seed 10 killed as soon as it starts
        Pipe, get_start_method = context.Pipe, context.get_start_method

        def Process(self, target, args, daemon):
            process = context.Process(target=target, args=args, daemon=daemon)
            if args[0].seed == WORLD_OFFSETS:
                start = process.start

                def start_and_kill():
                    start()
                    os.kill(process.pid, signal.SIGKILL)

                process.start = start_and_kill
            return process

    monkeypatch.setattr(exploration, "_context", Killing)
    assert main(["explore", "--examples", "3", "--steps", "2", "--jobs", "3"]) == 2
    out = capsys.readouterr().out
    assert f"the job from seed {WORLD_OFFSETS} ended without a result (exit code -9)" in out
    assert "Traceback" not in out and not multiprocessing.active_children()


def test_ctrl_c_stops_every_job_and_says_so_without_a_traceback():
    proc = subprocess.Popen(
        [sys.executable, "-m", "harness.cli", "explore", "--examples", "40", "--jobs", "2"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # a group of its own, as a terminal's Ctrl+C reaches the jobs too
    )
    assert "2 jobs" in proc.stdout.readline()
    deadline = time.monotonic() + 60
    while len(_children(proc.pid)) < 2:  # interrupt once both jobs run
        assert time.monotonic() < deadline and proc.poll() is None, (
            f"the jobs never started: {_children(proc.pid)}"
        )
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGINT)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 130 and "interrupted" in out
    assert "Traceback" not in out + err
    deadline = time.monotonic() + 60
    while _group_alive(proc.pid):  # the jobs end with it (orphans would go on exploring)
        assert time.monotonic() < deadline, "a job outlived kasim explore"
        time.sleep(0.05)


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGTERM])  # a CI job's timeout: no clean-up runs
def test_the_jobs_end_when_kasim_explore_is_killed(how):
    proc = subprocess.Popen(  # minutes of exploring: the jobs would not end on their own while this waits
        [sys.executable, "-m", "harness.cli", "explore", "--examples", "2000", "--jobs", "2"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert "2 jobs" in proc.stdout.readline()
    deadline = time.monotonic() + 60
    while len(jobs := _children(proc.pid)) < 2:
        assert time.monotonic() < deadline and proc.poll() is None, f"the jobs never started: {jobs}"
        time.sleep(0.05)
    proc.send_signal(how)
    proc.wait(timeout=60)
    proc.stdout.close()
    deadline = time.monotonic() + 60
    while alive := [j for j in jobs if _running(j)]:  # orphans would explore on for minutes
        assert time.monotonic() < deadline, f"jobs {alive} outlived kasim explore"
        time.sleep(0.05)


def _running(pid: str) -> bool:
    """Alive and not a zombie (an orphan's end is reaped by whatever adopts it, perhaps never in a container)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def _children(pid: int) -> list[str]:
    try:
        return Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:  # it has ended
        return []


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def test_the_readme_gives_the_jobs_seeds_as_the_explorer_draws_them():
    assert f"`--seed SEED+{WORLD_OFFSETS}K`" in (ROOT / "README.md").read_text(encoding="utf-8")
