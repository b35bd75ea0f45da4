"""kasim pact: a Pact V4 contract of what ASINFO asks of Komet (from the scenario library), and its verification
against any Komet with pact-python's verifier."""

from __future__ import annotations

import argparse

from rich.console import Console

NAME = "pact"
HELP = "export the ASINFO→Komet Pact from the scenario library, or verify it against a Komet"
DEFAULT_DIR = "pacts"


def add_arguments(p: argparse.ArgumentParser) -> None:
    sub = p.add_subparsers(dest="pact_command", required=True, metavar="{export,verify}")
    export = sub.add_parser("export", help="run the library in process and write pacts/asinfo-komet.json")
    export.add_argument(
        "paths", nargs="*", metavar="PATH", help="scenario files or folders (default: scenarios)"
    )
    export.add_argument(
        "--out", default=DEFAULT_DIR, metavar="DIR", help=f"where to write (default {DEFAULT_DIR})"
    )
    verify = sub.add_parser("verify", help="verify the pact against a Komet (provider states via /__sim)")
    verify.add_argument("--komet-url", required=True, metavar="URL")
    verify.add_argument("--pact", default=f"{DEFAULT_DIR}/asinfo-komet.json", metavar="FILE")


def run(args: argparse.Namespace, console: Console) -> int:
    from ..contract import pact

    try:
        import pact as _pact_python  # noqa: F401 (an optional dependency: say how to get it)
    except ImportError:
        console.print("[red]kasim pact needs pact-python: pip install 'kasim[contract]'[/]")
        return 2

    if args.pact_command == "export":
        try:
            path, count = pact.export(args.out, args.paths or None)
        except ValueError as exc:
            console.print(f"[red]kasim pact: {exc}[/]")
            return 2
        console.print(f"wrote {path}: {count} interaction(s), consumer asinfo, provider komet (Pact V4)")
        return 0
    try:
        pact.load(args.pact)
    except (OSError, ValueError) as exc:
        console.print(f"[red]kasim pact: cannot read {args.pact}: {exc} (run kasim pact export first)[/]")
        return 2
    passed, output = pact.verify(args.pact, args.komet_url)
    console.print(output, markup=False, highlight=False)
    console.print(
        "pact verified" if passed else "pact verification failed", style="green" if passed else "red"
    )
    return 0 if passed else 1
