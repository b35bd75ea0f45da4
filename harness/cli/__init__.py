"""kasim: serve the simulators, run and validate scenarios, explore with property checks.

One module per command under harness/cli/, each with NAME, HELP, add_arguments(parser) and
run(args, console) -> exit code; COMMANDS names them in the order `kasim --help` shows them. A command's
module is imported only when that command runs (or for --help): `kasim serve` must not pay for Hypothesis.

Exit codes (docs/control-plane.md): 0 all passed · 1 something failed · 2 unusable input (bad YAML, unknown
step, bad flag), always with file:line: what is wrong, never a traceback · 5 kasim run -k selected nothing ·
130 interrupted (Ctrl-C)."""

from __future__ import annotations

import argparse
import gc
import importlib
import os
import sys
from types import ModuleType
from typing import TYPE_CHECKING, Any, cast

from ..keywords import KeywordError

if TYPE_CHECKING:
    from rich.console import Console

COMMANDS: tuple[str, ...] = (
    "run",
    "validate",
    "serve",
    "verdict",
    "explore",
    "plants",
    "contract",
    "pact",
    "proxy",
    "recording",
    "import",  # harness/cli/import.py: a keyword, so loaded by name only (`command`)
    "actions",
    "schema",
)


def command(name: str) -> ModuleType:
    """The module of command `name` (its NAME is `name`)."""
    return importlib.import_module(f"{__name__}.{name}")


EXAMPLES = """examples:
  kasim run                              run the scenario library in process
  kasim run scenarios/ -k "split and not fault" --report reports/
  kasim serve                            both simulators on 127.0.0.1:5001 / :5002
  kasim run --komet-url http://127.0.0.1:5001 --asinfo-url http://127.0.0.1:5002
"""


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("kasim")
    except PackageNotFoundError:  # run from a checkout that was never installed
        return "(not installed)"


class _VersionAction(argparse.Action):
    """--version, looked up when asked for: the package metadata is searched for it (~2 ms every command, and
    `kasim serve` is timed from spawn to ready)."""

    def __init__(self, option_strings: list[str], dest: str = argparse.SUPPRESS, **_: Any) -> None:
        super().__init__(
            option_strings, dest, nargs=0, default=argparse.SUPPRESS, help="show the version and exit"
        )

    def __call__(self, parser: argparse.ArgumentParser, *_: Any) -> None:
        print(f"kasim {_version()}")  # on stdout, as argparse's own version action prints
        parser.exit()


class LazyConsole:
    """rich's Console, made on first use: `kasim serve` is answering before it prints (and imports rich)."""

    def __init__(self, **options: Any) -> None:
        self._options = options
        self._real: Console | None = None

    def __getattr__(self, name: str) -> Any:
        if self._real is None:
            from rich.console import Console

            self._real = Console(**self._options)
        return getattr(self._real, name)


def build_parser(argv: list[str] | None = None) -> argparse.ArgumentParser:
    """The parser; given the arguments, one that knows only the command they name (when they name one)."""
    p = argparse.ArgumentParser(
        prog="kasim",
        description="Komet Sales ⇄ ASINFO integration simulator",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=EXAMPLES,
    )
    p.add_argument("--version", action=_VersionAction)
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")
    names = [argv[0]] if argv and argv[0] in COMMANDS else COMMANDS
    for name in names:
        module = command(name)
        parser = sub.add_parser(module.NAME, help=module.HELP)
        module.add_arguments(parser)
        parser.set_defaults(handler=module.run)
    return p


def main(argv: list[str] | None = None) -> int:
    if argv is None:
        argv = sys.argv[1:]
    if argv[:1] == ["serve"]:  # before Flask is imported: its development server is never run
        from ..serve_imports import defer_werkzeug_serving

        defer_werkzeug_serving()
    # No collection while the command's modules load: they are all kept, and a full collection in the middle of
    # the imports costs tens of milliseconds of a `kasim serve` start (which manages its own collector).
    gc.disable()
    try:
        args = build_parser(argv).parse_args(argv)
    finally:
        gc.enable()
    console = cast("Console", LazyConsole(stderr=False, highlight=False, soft_wrap=True))
    try:
        return int(args.handler(args, console))
    except KeywordError as exc:
        console.print(f"[red]kasim: {exc}[/]")
        return 2
    except KeyboardInterrupt:
        console.print("interrupted", style="yellow")
        return 130
    except BrokenPipeError:  # `kasim schema | head`: the reader left; say nothing more (no traceback)
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
