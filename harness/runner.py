"""Collect, validate and run scenario files; the part `kasim run` and `kasim validate` share."""

from __future__ import annotations

import re
import shlex
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from .keywords import compile_expr, haystack
from .report import console as out
from .scenario import ProblemList, Scenario, discover, is_fragment, load_file, load_fragment
from .scenario_checks import grower_results
from .source import Problem

if TYPE_CHECKING:
    from .engine import ScenarioResult


class LabelArchive:
    """Where one scenario's printed labels go (under --report DIR), so the report can link them."""

    def __init__(self, directory: Path | None):
        self.directory = directory
        self.files: list[str] = []

    def save(self, document: bytes, fmt: str) -> str | None:
        if self.directory is None:
            return None
        self.directory.mkdir(parents=True, exist_ok=True)
        path = self.directory / f"labels-{len(self.files) + 1:02d}.{fmt}"
        path.write_bytes(document)
        self.files.append(str(path))
        return str(path)


@dataclass
class Options:
    paths: list[str] = field(default_factory=lambda: ["scenarios"])
    seed: int | None = None
    keyword: str | None = None
    komet_url: str | None = None
    asinfo_url: str | None = None
    grower: str = "asinfo"  # the grower adapter: asinfo, package.module:Class, or a kasim.growers entry point
    report_dir: str | None = None
    fail_fast: bool = False
    workers: int = 1
    progress: bool = True
    plant: str | None = None  # a planted bug for every scenario (kasim run --plant NAME)


def collect(
    paths: list[str], keyword: str | None = None, fragments: bool = False, grower: str = "asinfo"
) -> tuple[list[Scenario], list[Problem]]:
    """Scenarios to run, and every problem. Fragments are checked on their own when named, or with fragments=True
    (kasim validate); they are never run."""
    problems: list[Problem] = []
    scenarios: list[Scenario] = []
    # FILE::ID selects one scenario (one case) of a file by its exact id, as pytest node ids do.
    exact = dict(p.split("::", 1) for p in paths if "::" in p)
    try:
        files = discover([p.split("::", 1)[0] for p in paths], fragments)
    except Problem as exc:
        return [], [exc]
    for f in files:
        if is_fragment(f):
            problems += load_fragment(f)
            continue
        try:
            with grower_results(grower):
                found = load_file(f)
        except ProblemList as exc:
            problems += exc.problems
            continue
        wanted_id = exact.get(str(f))
        if wanted_id is not None:
            found = [s for s in found if s.id == wanted_id]
            if not found:
                problems.append(Problem(str(f), None, f"no scenario {wanted_id!r} in this file"))
        scenarios += found
    # a fragment's problem, once however many files include it
    problems = list({(p.file, p.line, p.message): p for p in problems}.values())
    return select(scenarios, keyword), problems


def topology_factory(opts: Options):
    """seed, plant -> Topology. Planted bugs (world: plant:) exist only in simulators this process builds."""
    from .grower import load_grower
    from .plants import world_for
    from .topology import Topology  # the simulators load only when something runs

    forced = world_for(opts.plant)

    def live_only(plant):
        if plant:
            raise ValueError(
                "world.plant needs the in-process simulators (run without --komet-url and --grower)"
            )

    grower_class = load_grower(opts.grower)
    if grower_class is not None:  # the user's grower system, against our Komet on a socket or a live one

        def komet_only(seed: int, plant: dict | None = None) -> Topology:
            live_only(forced or plant)
            return Topology.komet_only(grower_class, seed, komet_url=opts.komet_url)

        return komet_only

    komet_url, asinfo_url = opts.komet_url, opts.asinfo_url
    if komet_url and asinfo_url:

        def live(seed: int, plant: dict | None = None) -> Topology:
            live_only(forced or plant)
            return Topology.live(komet_url, asinfo_url)

        return live
    if komet_url:  # a live Komet (ours or a real sandbox), ASINFO in process talking to it over HTTP

        def mixed(seed: int, plant: dict | None = None) -> Topology:
            live_only(forced or plant)
            return Topology.mixed(komet_url, seed)

        return mixed

    def in_process(seed: int, plant: dict | None = None) -> Topology:
        plant = forced or plant or {}
        return Topology.in_process(
            seed,
            komet_config={"plant": plant.get("komet")},
            asinfo_config={"plant": plant.get("asinfo")},
            reuse_apps=True,
        )

    return in_process


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60]


def replay_command(opts: Options) -> str:
    """The replay line a failure prints: the same targets (live URLs included), this scenario, this seed."""
    urls = "".join(
        f" --{name}-url {shlex.quote(url)}"
        for name, url in (("komet", opts.komet_url), ("asinfo", opts.asinfo_url))
        if url
    )
    grower = f" --grower {shlex.quote(opts.grower)}" if opts.grower != "asinfo" else ""
    return "kasim run {target}" + urls + grower + " --seed {seed}"


class Interrupted(KeyboardInterrupt):
    """Ctrl-C during a run: what finished before it, and how long the run took."""

    def __init__(self, results: list[ScenarioResult], seconds: float) -> None:
        super().__init__()
        self.results = results
        self.seconds = seconds


def select(scenarios: list[Scenario], keyword: str | None) -> list[Scenario]:
    """The scenarios a -k expression matches (by id, tags and file)."""
    if not keyword:
        return scenarios
    wanted = compile_expr(keyword)
    return [s for s in scenarios if wanted(haystack(s))]


def run_all(scenarios: list[Scenario], opts: Options, console: Console) -> tuple[list, float]:
    """Run the scenarios; Ctrl-C raises Interrupted with the results so far (scenarios that started finish)."""
    from .engine import run_scenario

    factory = topology_factory(opts)
    report = Path(opts.report_dir) if opts.report_dir else None
    command = replay_command(opts)
    started = time.perf_counter()
    results: list = []

    def one(index: int, sc: Scenario):
        # Labels of each scenario in their own folder (numbered: two scenarios may share a name prefix).
        labels = LabelArchive(report / "labels" / f"{index + 1:03d}-{slug(sc.id)}" if report else None)
        return run_scenario(sc, factory, opts.seed, labels, command)

    def done(r) -> bool:
        results.append(r)
        out.line(console, r)
        return opts.fail_fast and not r.ok

    progress = Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        disable=not opts.progress,
    )
    try:
        _run(scenarios, opts, progress, one, done)
    except KeyboardInterrupt:
        raise Interrupted(results, time.perf_counter() - started) from None
    return results, time.perf_counter() - started


def _run(
    scenarios: list[Scenario],
    opts: Options,
    progress: Progress,
    one: Callable[[int, Scenario], ScenarioResult],
    done: Callable[[ScenarioResult], bool],
) -> None:
    from concurrent.futures import FIRST_COMPLETED, wait

    with progress:
        task = progress.add_task("scenarios", total=len(scenarios))
        if opts.workers > 1:
            pool = ThreadPoolExecutor(opts.workers)
            try:
                pending = {pool.submit(one, i, sc) for i, sc in enumerate(scenarios)}
                stop = False
                while pending and not stop:
                    finished, pending = wait(pending, return_when=FIRST_COMPLETED)
                    for future in finished:
                        stop = done(future.result()) or stop
                        progress.advance(task)
            finally:  # -x or Ctrl-C: what has not started is not run
                pool.shutdown(wait=False, cancel_futures=True)
        else:
            for i, sc in enumerate(scenarios):
                progress.update(task, description=sc.id[:50])
                stop = done(one(i, sc))
                progress.advance(task)
                if stop:
                    break
