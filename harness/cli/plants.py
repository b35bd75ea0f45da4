"""kasim plants: the known bugs either simulator can be switched into, one sentence each."""

from __future__ import annotations

import argparse

from rich.console import Console

from ..plants import registry

NAME = "plants"
HELP = "list the planted bugs (kasim run --plant NAME, kasim explore --plant NAME)"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--names", action="store_true", help="names only, one per line (for scripts)")


def run(args: argparse.Namespace, console: Console) -> int:
    plants = registry()
    width = max(len(n) for n in plants)
    for plant in plants.values():
        if args.names:
            console.print(plant.name, markup=False)
        else:
            console.print(f"{plant.name:<{width}}  {plant.side:<6}  {plant.sentence}", markup=False)
    return 0
