"""kasim: serve the simulators, run and validate scenarios, explore with property checks.

One module per command under harness/cli/, each with NAME, HELP, add_arguments(parser) and
run(args, console) -> exit code; COMMANDS lists them in the order `kasim --help` shows them.

Exit codes: 0 all passed · 1 something failed · 2 unusable input (bad YAML, unknown step, bad flag),
always with file:line: what is wrong, never a traceback."""

from __future__ import annotations

import argparse
from types import ModuleType

from rich.console import Console

from ..keywords import KeywordError
from . import (
    actions,
    contract,
    explore,
    pact,
    plants,
    proxy,
    recording,
    run,
    schema,
    serve,
    validate,
    verdict,
)

COMMANDS: tuple[ModuleType, ...] = (
    run,
    validate,
    serve,
    verdict,
    explore,
    plants,
    contract,
    pact,
    proxy,
    recording,
    actions,
    schema,
)

EXAMPLES = """examples:
  kasim run                              run the scenario library in process
  kasim run scenarios/ -k "split and not fault" --report reports/
  kasim serve                            both simulators on 127.0.0.1:5001 / :5002
  kasim run --komet-url http://127.0.0.1:5001 --asinfo-url http://127.0.0.1:5002
"""


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="kasim",
        description="Komet Sales ⇄ ASINFO integration simulator",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=EXAMPLES,
    )
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for command in COMMANDS:
        parser = sub.add_parser(command.NAME, help=command.HELP)
        command.add_arguments(parser)
        parser.set_defaults(handler=command.run)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    console = Console(stderr=False, highlight=False, soft_wrap=True)
    try:
        return int(args.handler(args, console))
    except KeywordError as exc:
        console.print(f"[red]kasim: {exc}[/]")
        return 2
    except KeyboardInterrupt:
        return 1
