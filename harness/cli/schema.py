"""kasim schema: the scenario JSON Schema, for editors."""

from __future__ import annotations

import argparse
import json

from rich.console import Console

NAME = "schema"
HELP = "print the scenario JSON Schema (for editors)"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--out", metavar="FILE")


def run(args: argparse.Namespace, console: Console) -> int:
    from ..scenario_schema import scenario_schema

    text = json.dumps(scenario_schema(), indent=2)
    if args.out:
        with open(args.out, "w", encoding="utf-8") as fh:
            fh.write(text + "\n")
    else:
        print(text)
    return 0
