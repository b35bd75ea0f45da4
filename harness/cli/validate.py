"""kasim validate: check scenario files (and fragments) without running them."""

from __future__ import annotations

import argparse

from rich.console import Console

from .. import runner

NAME = "validate"
HELP = "check scenario files without running them"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", nargs="+", metavar="PATH")


def run(args: argparse.Namespace, console: Console) -> int:
    scenarios, problems = runner.collect(args.paths, fragments=True)
    for p in problems:
        console.print(str(p), style="red", highlight=False, markup=False)
    if problems:
        return 2
    console.print(f"{len(scenarios)} scenario(s) valid", style="green")
    return 0
