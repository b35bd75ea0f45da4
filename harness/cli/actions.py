"""kasim actions [NAME]: the scenario steps, grouped by side, or one step whole (arguments, what it returns,
what it refuses, an example that runs). The text is docs/scenarios.md's (harness/reference.py)."""

from __future__ import annotations

import argparse
import difflib

from rich.console import Console
from rich.markdown import Markdown

NAME = "actions"
HELP = "list the scenario steps, or show one whole: kasim actions asinfo.confirm"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("name", nargs="?", metavar="NAME", help="a step, e.g. asinfo.confirm")
    p.add_argument("--example", action="store_true", help="print only the step's example (a scenario file)")


def run(args: argparse.Namespace, console: Console) -> int:
    from ..actions import load_all
    from ..reference import example_file, listing, step_markdown

    actions = load_all()
    if not args.name:
        console.print(listing(), markup=False, highlight=False, end="")
        return 0
    if args.name not in actions:
        near = difflib.get_close_matches(args.name, list(actions), n=3, cutoff=0.5)
        hint = f"; did you mean {', '.join(near)}?" if near else "; kasim actions lists them"
        console.print(f"kasim actions: no step {args.name!r}{hint}", style="red", markup=False)
        return 2
    action = actions[args.name]
    if args.example:
        console.print(example_file(action), markup=False, highlight=False, end="")
        return 0
    text = step_markdown(action)
    if console.is_terminal:
        console.print(Markdown(text))
    else:
        console.print(text, markup=False, highlight=False)
    return 0
