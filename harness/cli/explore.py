"""kasim explore: property-based exploration; failures become YAML regressions."""

from __future__ import annotations

import argparse

import yaml
from rich.console import Console

from ..exploration import MAX_JOBS, JobLost, explore, minimise, shares, write_regression
from ..plants import registry, world_for
from ..properties import WORLD_OFFSETS

NAME = "explore"
HELP = "property-based exploration; failures become YAML regressions"


def at_least_one(text: str) -> int:
    """A count the explorer needs one of at least (Hypothesis's own refusal would be a traceback)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} is less than 1")
    return value


def job_count(text: str) -> int:
    value = at_least_one(text)
    if value > MAX_JOBS:
        raise argparse.ArgumentTypeError(f"{value} is more than {MAX_JOBS}")
    return value


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--examples", type=at_least_one, default=40, help="runs of the machine (default 40)")
    p.add_argument(
        "--steps", type=at_least_one, default=25, help="at most this many steps per run (default 25)"
    )
    p.add_argument("--seed", type=int, default=0)
    p.add_argument(
        "--jobs",
        type=job_count,
        default=1,
        help=f"processes to share the runs among, one per core you can spare (default 1, at most {MAX_JOBS}); "
        f"job K explores as --seed SEED+{WORLD_OFFSETS}K with its share of the runs would, so a seed, the "
        "counts and --jobs decide the outcome on any machine",
    )
    p.add_argument(
        "--out",
        help="where shrunk failures are written (default scenarios/regressions; "
        "with --plant, reports/explore-planted, so a demo never joins the library)",
    )
    p.add_argument(
        "--plant",
        choices=["none", *registry()],
        default="none",
        help="plant a known bug to see the checks catch it",
    )


def run(args: argparse.Namespace, console: Console) -> int:
    plant = world_for(args.plant)
    running = len(shares(args.seed, args.examples, args.steps, plant, args.jobs))  # no more jobs than runs
    jobs = f", {running} jobs" if running > 1 else ""
    console.print(
        f"exploring: {args.examples} runs × up to {args.steps} steps, seed {args.seed}{jobs}"
        + (f", planted bug {args.plant}" if plant else "")
    )
    try:
        found = explore(args.seed, args.examples, args.steps, plant, args.jobs)
    except JobLost as exc:
        console.print(f"[red]kasim explore: {exc}[/]", highlight=False)
        return 2
    rate = f"{found.steps} steps in {found.seconds:.1f} s ({found.steps / max(found.seconds, 1e-9):.0f}/s)"
    if found.failure is None or found.regression is None:
        console.print(f"[green]no property broke[/] in {args.examples} runs (seed {args.seed}): {rate}")
        return 0
    console.print(f"[red]a property broke:[/] {found.failure[:200]}", highlight=False)
    console.print((f"found by the job from seed {found.seed}; " if running > 1 else "") + rate, style="dim")
    text = minimise(found.regression, console)
    out = args.out or ("reports/explore-planted" if plant else "scenarios/regressions")
    path = write_regression(text, out)
    steps = len(yaml.safe_load(text)["steps"]) - 1
    console.print(f"shrunk to {steps} step(s), written to {path}")
    console.print(f"replay: kasim run {path}")
    return 1
