"""The engine of kasim explore: run the property machine; a failure is minimised (replaying the recorded steps, dropping
each that is not needed) and written as a YAML scenario under scenarios/regressions/ (replay it with kasim
run; keep it as a regression test)."""

from __future__ import annotations

import ctypes
import gc
import hashlib
import multiprocessing
import os
import re
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date
from multiprocessing.connection import Connection
from multiprocessing.context import ForkContext, ForkServerContext, SpawnContext
from pathlib import Path

import yaml
from hypothesis import HealthCheck, Phase, seed, settings
from hypothesis.stateful import run_state_machine_as_test
from rich.console import Console

from .properties import WORLD_OFFSETS, make_machine, rule_steps


@contextmanager
def own_draws_only() -> Iterator[None]:
    """Hypothesis (6.1xx) now and then draws a literal it found in the source of any local module loaded,
    kasim's own included: an edit anywhere in the tree would change what a seed explores (and which planted
    bug a CI budget finds). While the explorer runs, it draws from its strategies only. Private API, so
    guarded: where Hypothesis differs, it is left as it is."""
    try:
        from hypothesis.internal import constants_ast
        from hypothesis.internal.conjecture import providers

        get, cache, empty = (
            providers._get_local_constants,
            providers.CONSTANTS_CACHE,
            constants_ast.Constants(),
        )
        cache.cache.clear()
    except (ImportError, AttributeError):
        yield
        return
    providers._get_local_constants = lambda: empty
    try:
        yield
    finally:
        providers._get_local_constants = get
        cache.cache.clear()


def explore_once(base_seed: int, examples: int, steps: int, plant: dict | None):
    """(machine class, failure or None). Deterministic for a given seed, sizes and rules: Hypothesis draws from
    the seed given, not from a digest of the machine's source (an edited comment would change the search)."""
    machine = seed(base_seed)(make_machine(base_seed, plant))
    # Hypothesis's own shrinking of a stateful run is slow when every step is an HTTP exchange with two apps
    # (minutes); minimise() below does it on the recorded scenario instead, in seconds, by replaying it.
    config = settings(
        max_examples=examples,
        stateful_step_count=steps,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
        print_blob=False,
        phases=[Phase.explicit, Phase.generate],
    )
    try:
        with own_draws_only(), _young_heap_only():
            run_state_machine_as_test(machine, settings=config)
    except Exception as exc:  # any failure (a broken property, a crash) is a finding
        return machine, exc
    return machine, None


@contextmanager
def _young_heap_only() -> Iterator[None]:
    """While the machine runs, the garbage collector leaves alone what existed before it (the imported modules,
    the apps): Hypothesis collects the whole heap once per process (register_random), and the full collections a
    run provokes would walk it again and again (~4 % of a short exploration). Everything is handed back after."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


@dataclass(frozen=True)
class Share:
    """One job's part of an exploration: it runs as `kasim explore --seed SEED --examples EXAMPLES` would."""

    seed: int
    examples: int
    steps: int
    plant: dict | None


@dataclass(frozen=True)
class Explored:
    """What an exploration (or one job of it) did; a failure as text, so it crosses from a worker process."""

    examples: int
    steps: int  # rule steps run, over all examples
    seconds: float
    failure: str | None = None  # its first line
    regression: str | None = None  # the failing run as a scenario, before minimise()
    seed: int | None = None  # the base seed of the job that found it


# Each job is a process with its world, and two file descriptors here: more than this is a typo, not a plan.
MAX_JOBS = 64


def shares(seed: int, examples: int, steps: int, plant: dict | None, jobs: int) -> list[Share]:
    """The examples split as evenly as they go over at most `jobs` jobs (none gets zero). Job k starts from
    seed + k × WORLD_OFFSETS, so no two jobs share a world; job 0 runs from the seed itself, so --jobs 1 is
    the exploration as it always was. The split depends on the arguments only, never on the machine."""
    jobs = max(1, min(jobs, examples))
    base, extra = divmod(examples, jobs)
    return [Share(seed + k * WORLD_OFFSETS, base + (k < extra), steps, plant) for k in range(jobs)]


def explore_share(share: Share) -> Explored:
    """Runs one share in this process."""
    start = time.perf_counter()
    machine, failure = explore_once(share.seed, share.examples, share.steps, share.plant)
    done = Explored(share.examples, rule_steps(machine), time.perf_counter() - start)
    if failure is None:
        return done
    return replace(
        done, failure=_first_line(failure), regression=regression_yaml(machine, failure), seed=share.seed
    )


def explore(seed: int, examples: int, steps: int, plant: dict | None, jobs: int = 1) -> Explored:
    """The exploration over `jobs` processes (shares()). The failure reported is the lowest job's that found
    one, so the outcome is the same on any machine however the jobs were scheduled; once that job and every
    job before it are done, the later ones are stopped (the steps counted are those of the jobs that ended)."""
    parts = shares(seed, examples, steps, plant, jobs)
    start = time.perf_counter()
    results = [explore_share(parts[0])] if len(parts) == 1 else _run_jobs(parts)
    total = Explored(
        sum(r.examples for r in results), sum(r.steps for r in results), time.perf_counter() - start
    )
    found = next((r for r in results if r.failure is not None), None)
    if found is None:
        return total
    return replace(total, failure=found.failure, regression=found.regression, seed=found.seed)


class JobLost(RuntimeError):
    """A job's process ended before it sent its result (killed, out of memory)."""


def _run_jobs(parts: list[Share]) -> list[Explored]:
    """Each share in a process of its own, its result read back in the jobs' order, up to the first failure.
    One process and one pipe per job, not a pool: a pool's workers share its queues' locks, and a worker
    stopped while holding one (Ctrl+C, or stopping the jobs after a failure) leaves the pool unable to end."""
    context = _context()
    # A fork server's jobs are its children, not this process's (it ends when this process does, and so they)
    parent = None if context.get_start_method() == "forkserver" else os.getpid()
    jobs: list[tuple[multiprocessing.process.BaseProcess, Connection]] = []
    results: list[Explored] = []
    try:
        # Ctrl+C is for the parent to handle (it stops every job and says so once). A job that took it would
        # print multiprocessing's traceback: each starts with SIGINT blocked, and ignores it before unblocking.
        held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        try:
            for share in parts:
                receive, send = context.Pipe(duplex=False)
                process = context.Process(target=_job, args=(share, send, parent), daemon=True)
                process.start()
                send.close()  # the job holds the writing end: reading sees the end of the pipe if it dies
                jobs.append((process, receive))
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, held)  # an interrupt that came meanwhile lands here
        for share, (job, receive) in zip(parts, jobs, strict=True):
            try:
                result = receive.recv()
            except EOFError:
                job.join()
                raise JobLost(
                    f"the job from seed {share.seed} ended without a result (exit code {job.exitcode})"
                ) from None
            results.append(result)
            if result.failure is not None:
                break  # the lowest job's failure is the one reported: the later jobs are stopped below
    finally:
        for job, receive in jobs:
            if job.is_alive():
                job.terminate()
            job.join()
            receive.close()
    return results


def _job(share: Share, send: Connection, parent: int | None) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    _end_with_the_parent(parent)
    with send:
        send.send(explore_share(share))


def _end_with_the_parent(parent: int | None) -> None:
    """A parent killed outright (SIGKILL, a CI job's timeout) runs no clean-up: on Linux the kernel then sends
    the job SIGTERM, so no job explores on for minutes as an orphan. Elsewhere, nothing is set."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):
        return
    if parent is not None and os.getppid() != parent:  # it died before the request was made
        os._exit(1)


_PR_SET_PDEATHSIG = 1  # linux/prctl.h


def _context() -> ForkContext | ForkServerContext | SpawnContext:
    """Forking copies this process with everything imported (a job starts at once); it is safe only while
    this process runs one thread (a lock another thread holds at the fork stays held in the child), so a
    threaded caller (a test worker, say) gets a fork server: one fresh process that imports the explorer
    once and forks the jobs from there."""
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    if "forkserver" in methods:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload([__name__])
        return context
    return multiprocessing.get_context("spawn")


def regression_yaml(machine, failure: Exception) -> str:
    last = machine.last
    first_line = _first_line(failure)
    doc = {
        "name": f"Regression: {first_line[:90]}",
        "description": (
            f"Found by kasim explore (seed {last.seed}) and shrunk to the fewest steps that still fail. "
            f"What broke: {first_line}"
        ),
        "tags": ["regression", "explore"],
        "seed": last.seed,
        "world": last.world,
        "steps": [*last.steps, {"check": "invariants"}],
    }
    return yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=110)


def _first_line(failure: Exception) -> str:
    text = str(failure).strip()
    return text.splitlines()[0] if text else type(failure).__name__


def minimise(text: str, console: Console | None = None) -> str:
    """Drops every step whose removal keeps the same failure (Hypothesis found the run; its own shrinking is
    off, see explore_once), replaying
    each candidate through the scenario engine (so the file kept is exactly what reproduces)."""
    doc = yaml.safe_load(text)
    target = _failure_kind(doc)
    if target is None:
        return text  # the engine does not reproduce it: keep the run as Hypothesis found it
    steps = doc["steps"]
    changed = True
    while changed:  # greedy, from the end, until no single step can go
        changed = False
        i = len(steps) - 2  # never drop the final check
        while i >= 0:
            candidate = {**doc, "steps": steps[:i] + steps[i + 1 :]}
            if _failure_kind(candidate) == target:
                steps, changed = candidate["steps"], True
                if console:
                    console.print(f"  dropped a step; {len(steps) - 1} left", style="dim")
            i -= 1
    doc["steps"] = steps
    return yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=110)


def _failure_kind(doc: dict) -> str | None:
    """How the replay of `doc` fails, digits left out (None: it passes). Replayed as the explorer ran it: its
    checks, not Komet's verdict on the grower's traffic (the explorer's own "Sync now" presses can poll more
    often than the verdict allows, which would hide the finding and have the shrinking chase that instead)."""
    import tempfile

    from .engine import run_scenario
    from .runner import Options, topology_factory
    from .scenario import ProblemList, load_file

    with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False) as fh:
        yaml.safe_dump(doc, fh, sort_keys=False)
    try:
        scenario = load_file(fh.name)[0]
    except ProblemList:
        return None
    finally:
        Path(fh.name).unlink(missing_ok=True)
    build = topology_factory(Options())

    def unjudged(seed: int, plant: dict | None = None):
        topo = build(seed, plant)
        topo.judges = False
        return topo

    result = run_scenario(scenario, unjudged)
    if result.status != "failed" or not result.failure:
        return None
    details = result.failure["details"][0] if result.failure["details"] else ""
    return result.failure["message"] + " | " + re.sub(r"\d+", "N", details)[:60]


def write_regression(text: str, out_dir: str | Path) -> Path:
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256(text.encode()).hexdigest()[:8]
    from .runner import slug

    name = slug(yaml.safe_load(text)["name"].removeprefix("Regression: "))[:50].strip("-")
    path = out / f"{date.today().isoformat()}-{name}-{digest}.yaml"
    path.write_text(text, encoding="utf-8")
    return path
