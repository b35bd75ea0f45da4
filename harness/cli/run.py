"""kasim run: run scenarios (in process, or against live servers) and report."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from rich.console import Console

from .. import runner
from ..plants import registry

NAME = "run"
HELP = "run scenarios (default: scenarios/)"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="scenario files or directories, or FILE::NAME (default: the project's scenarios/, looked for here "
        "and in the directories above)",
    )
    p.add_argument("--seed", type=int, help="override every scenario's seed")
    p.add_argument("-k", dest="keyword", metavar="EXPR", help="only scenarios matching (id, tags, file)")
    p.add_argument("--komet-url", help="a live Komet (ours from kasim serve, or a real sandbox)")
    p.add_argument("--asinfo-url", help="a live ASINFO (needs --komet-url)")
    p.add_argument(
        "--grower",
        default="asinfo",
        metavar="ADAPTER",
        help="the grower system under test: asinfo (our simulator, the default), package.module:Class, or a "
        "kasim.growers entry point; scenarios it cannot run are skipped with the reason",
    )
    p.add_argument("--junit-xml", metavar="FILE", help="write JUnit XML")
    p.add_argument(
        "--report", metavar="DIR", help="write an HTML report (sequence diagrams, timings, labels)"
    )
    p.add_argument("-x", "--fail-fast", action="store_true", help="stop at the first failure")
    p.add_argument("--workers", type=int, default=1, help="scenarios in parallel (each in its own namespace)")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.add_argument(
        "--plant",
        metavar="NAME",
        choices=list(registry()),
        help="run every scenario with this known bug planted (kasim plants lists them); they should fail",
    )


def run(args: argparse.Namespace, console: Console) -> int:
    if args.asinfo_url and not args.komet_url:
        console.print(
            "kasim run: --asinfo-url needs --komet-url (the ASINFO server must reach that Komet)",
            style="red",
            markup=False,
        )
        return 2
    if args.plant and (args.komet_url or args.grower != "asinfo"):
        console.print(
            "kasim run: --plant needs the in-process simulators (drop --komet-url and --grower)", style="red"
        )
        return 2
    if args.grower != "asinfo" and args.asinfo_url:
        console.print("kasim run: --asinfo-url and --grower name two growers; give one", style="red")
        return 2
    from ..grower import AdapterNotFound, load_grower

    try:
        load_grower(args.grower)
    except AdapterNotFound as exc:
        console.print(f"kasim run: {exc}", style="red", markup=False)
        return 2
    if args.workers < 1:
        console.print("kasim run: --workers must be 1 or more", style="red")
        return 2
    if not args.paths:
        found = find_library(Path.cwd())
        if found is None:
            console.print(
                f"kasim run: no scenarios/ directory in {Path.cwd()} or any directory above it; give the "
                "scenarios to run (kasim run path/to/scenarios or a file), or run from a kasim project",
                style="red",
                markup=False,
            )
            return 2
        args.paths = [os.path.relpath(found)]
    collected, problems = runner.collect(args.paths, grower=args.grower)
    if problems:
        for p in problems:
            console.print(str(p), style="red", highlight=False, markup=False)
        console.print(f"{len(problems)} problem(s): nothing was run", style="red")
        return 2
    scenarios = runner.select(collected, args.keyword)
    if not scenarios and args.keyword:
        console.print(
            f"kasim run: -k {args.keyword!r} matches none of the {len(collected)} scenario(s) in "
            f"{' '.join(args.paths)} (it matches names, tags and file names)",
            style="yellow",
            markup=False,
        )
        return NOTHING_SELECTED
    if not scenarios:
        console.print(f"no scenario in {' '.join(args.paths)}", style="yellow", markup=False)
        return 0
    unusable = _unusable_targets(args)
    if unusable:
        console.print(f"kasim run: {unusable}: nothing was run", style="red", markup=False)
        return 2
    opts = runner.Options(
        paths=args.paths,
        seed=args.seed,
        keyword=args.keyword,
        komet_url=args.komet_url,
        asinfo_url=args.asinfo_url,
        grower=args.grower,
        report_dir=args.report,
        fail_fast=args.fail_fast,
        workers=args.workers,
        progress=not args.no_progress and console.is_terminal,
        plant=args.plant,
    )
    interrupted = False
    try:
        results, seconds = runner.run_all(scenarios, opts, console)
    except runner.Interrupted as stop:
        results, seconds, interrupted = stop.results, stop.seconds, True
        console.print(
            f"interrupted: {len(results)} of {len(scenarios)} scenario(s) ran", style="yellow", markup=False
        )
    from ..report import console as out

    for r in results:
        if r.failure and not r.ok:
            out.failure(console, r)
    if args.junit_xml:
        from ..report import junit

        junit.write(args.junit_xml, results, seconds)
    if args.report:
        from ..report import html

        index = html.write(args.report, results, seconds)
        console.print(f"report: {index}", style="dim")
    out.summary(console, results, seconds, args.seed)
    if interrupted:
        return INTERRUPTED
    return 0 if all(r.ok for r in results) else 1


NOTHING_SELECTED = 5  # as pytest: -k matched nothing
INTERRUPTED = 130  # 128 + SIGINT, as shells report Ctrl-C


def find_library(start: Path) -> Path | None:
    """The project's scenarios/: here or in the nearest directory above that has one."""
    for directory in (start, *start.parents):
        if (directory / "scenarios").is_dir():
            return directory / "scenarios"
    return None


def _unusable_targets(args) -> str | None:
    """Checked before anything runs: the live servers answer, and the report and JUnit files can be written."""
    import requests

    from ..clients import SimClient, SimError

    for name, url, app in (
        ("--komet-url", args.komet_url, "komet"),
        ("--asinfo-url", args.asinfo_url, "asinfo"),
    ):
        if not url:
            continue
        try:
            health = SimClient(url, timeout=5).health()
        except (
            SimError
        ):  # it answers, but is not our simulator (a real Komet sandbox): usable for grower steps
            if app == "asinfo":
                return f"{name} {url} is not a kasim ASINFO simulator (no /__sim/health)"
            continue
        except (requests.RequestException, ValueError) as exc:
            return f"{name} {url} does not answer ({type(exc).__name__}: is the server running?)"
        if health.get("app") != app:
            return f"{name} {url} is the {health.get('app')!r} simulator, not {app!r}"
    for name, path, is_dir in (("--report", args.report, True), ("--junit-xml", args.junit_xml, False)):
        if path:
            target = Path(path) if is_dir else Path(path).parent
            try:
                target.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                return f"{name} {path}: {exc.strerror or exc}"
            if not is_dir and Path(path).is_dir():
                return f"{name} {path} is a directory; give a file name"
            if not os.access(target, os.W_OK):
                return f"{name} {path}: not writable"
    return None
