"""kasim explore: property-based exploration; failures become YAML regressions."""

from __future__ import annotations

import argparse

import yaml
from rich.console import Console

from ..exploration import explore_once, minimise, regression_yaml, write_regression
from ..plants import registry, world_for

NAME = "explore"
HELP = "property-based exploration; failures become YAML regressions"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--examples", type=int, default=40, help="runs of the machine (default 40)")
    p.add_argument("--steps", type=int, default=25, help="at most this many steps per run (default 25)")
    p.add_argument("--seed", type=int, default=0)
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
    console.print(
        f"exploring: {args.examples} runs × up to {args.steps} steps, seed {args.seed}"
        + (f", planted bug {args.plant}" if plant else "")
    )
    machine, failure = explore_once(args.seed, args.examples, args.steps, plant)
    if failure is None:
        console.print(f"[green]no property broke[/] in {args.examples} runs (seed {args.seed})")
        return 0
    console.print(f"[red]a property broke:[/] {str(failure).splitlines()[0][:200]}", highlight=False)
    text = minimise(regression_yaml(machine, failure), console)
    out = args.out or ("reports/explore-planted" if plant else "scenarios/regressions")
    path = write_regression(text, out)
    steps = len(yaml.safe_load(text)["steps"]) - 1
    console.print(f"shrunk to {steps} step(s), written to {path}")
    console.print(f"replay: kasim run {path}")
    return 1
