"""kasim actions: the scenario steps with their help."""

from __future__ import annotations

import argparse

from rich.console import Console

NAME = "actions"
HELP = "list the scenario steps with their help"


def add_arguments(p: argparse.ArgumentParser) -> None:
    pass


def run(args: argparse.Namespace, console: Console) -> int:
    from ..actions import load_all

    for name, a in sorted(load_all().items()):
        console.print(f"[bold]{name:26}[/] {a.help}")
    return 0
