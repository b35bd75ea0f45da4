"""kasim: serve the simulators, run and validate scenarios, explore with property checks.

Exit codes: 0 all passed · 1 something failed · 2 unusable input (bad YAML, unknown step, bad flag),
always with file:line: what is wrong, never a traceback."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from rich.console import Console

from asinfo_sim.decisions import POLL_INTERVAL_SECONDS

from . import runner
from .keywords import KeywordError

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

    run = sub.add_parser("run", help="run scenarios (default: scenarios/)")
    run.add_argument("paths", nargs="*", default=["scenarios"], metavar="PATH")
    run.add_argument("--seed", type=int, help="override every scenario's seed")
    run.add_argument("-k", dest="keyword", metavar="EXPR", help="only scenarios matching (id, tags, file)")
    run.add_argument("--komet-url", help="a live Komet (ours from kasim serve, or a real sandbox)")
    run.add_argument("--asinfo-url", help="a live ASINFO (needs --komet-url)")
    run.add_argument("--junit-xml", metavar="FILE", help="write JUnit XML")
    run.add_argument(
        "--report", metavar="DIR", help="write an HTML report (sequence diagrams, timings, labels)"
    )
    run.add_argument("-x", "--fail-fast", action="store_true", help="stop at the first failure")
    run.add_argument(
        "--workers", type=int, default=1, help="scenarios in parallel (each in its own namespace)"
    )
    run.add_argument("--no-progress", action="store_true", help="no progress bar")

    val = sub.add_parser("validate", help="check scenario files without running them")
    val.add_argument("paths", nargs="+", metavar="PATH")

    serve = sub.add_parser("serve", help="serve the simulators (both, wired together, by default)")
    serve.add_argument("which", nargs="?", choices=["both", "komet", "asinfo"], default="both")
    serve.add_argument("--seed", type=int, default=7)
    serve.add_argument("--state", metavar="DIR", help="keep state in DIR (survives restarts)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, help="port of the one app served (komet 5001, asinfo 5002)")
    serve.add_argument("--komet-port", type=int, default=5001)
    serve.add_argument("--asinfo-port", type=int, default=5002)
    serve.add_argument("--komet-url", help="asinfo: the Komet to connect to")
    serve.add_argument("--token", help="asinfo: the Vendor token the importer sent")
    serve.add_argument("--company-id", type=int, help="asinfo: the importer's Komet company ID")
    serve.add_argument(
        "--poll",
        type=float,
        default=POLL_INTERVAL_SECONDS,
        help="asinfo: seconds between background syncs (0: off; A2 says 60)",
    )
    serve.add_argument("--profile", choices=["documented", "strict"], default="documented")
    serve.add_argument("--verbose", action="store_true", help="log every request")

    explore = sub.add_parser("explore", help="property-based exploration; failures become YAML regressions")
    explore.add_argument("--examples", type=int, default=40, help="runs of the machine (default 40)")
    explore.add_argument("--steps", type=int, default=25, help="at most this many steps per run (default 25)")
    explore.add_argument("--seed", type=int, default=0)
    explore.add_argument(
        "--out",
        help="where shrunk failures are written (default scenarios/regressions; "
        "with --plant, reports/explore-planted, so a demo never joins the library)",
    )
    explore.add_argument(
        "--plant",
        choices=["none", "confirm-adds", "skip-reconcile"],
        default="none",
        help="plant a known bug to see the checks catch it",
    )

    sub.add_parser("actions", help="list the scenario steps with their help")
    schema = sub.add_parser("schema", help="print the scenario JSON Schema (for editors)")
    schema.add_argument("--out", metavar="FILE")
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    console = Console(stderr=False, highlight=False, soft_wrap=True)
    try:
        if args.command == "run":
            return cmd_run(args, console)
        if args.command == "validate":
            return cmd_validate(args, console)
        if args.command == "serve":
            from .serve import serve

            return serve(args, console)
        if args.command == "explore":
            from .explore import explore

            return explore(args, console)
        if args.command == "actions":
            from .actions import load_all

            for name, a in sorted(load_all().items()):
                console.print(f"[bold]{name:26}[/] {a.help}")
            return 0
        if args.command == "schema":
            from .schema import scenario_schema

            text = json.dumps(scenario_schema(), indent=2)
            if args.out:
                with open(args.out, "w", encoding="utf-8") as fh:
                    fh.write(text + "\n")
            else:
                print(text)
            return 0
    except KeywordError as exc:
        console.print(f"[red]kasim: {exc}[/]")
        return 2
    except KeyboardInterrupt:
        return 1
    return 2


def cmd_validate(args, console: Console) -> int:
    scenarios, problems = runner.collect(args.paths, fragments=True)
    for p in problems:
        console.print(str(p), style="red", highlight=False, markup=False)
    if problems:
        return 2
    console.print(f"{len(scenarios)} scenario(s) valid", style="green")
    return 0


def cmd_run(args, console: Console) -> int:
    if args.asinfo_url and not args.komet_url:
        console.print(
            "kasim run: --asinfo-url needs --komet-url (the ASINFO server must reach that Komet)",
            style="red",
            markup=False,
        )
        return 2
    if args.workers < 1:
        console.print("kasim run: --workers must be 1 or more", style="red")
        return 2
    scenarios, problems = runner.collect(args.paths, args.keyword)
    if problems:
        for p in problems:
            console.print(str(p), style="red", highlight=False, markup=False)
        console.print(f"{len(problems)} problem(s): nothing was run", style="red")
        return 2
    if not scenarios:
        console.print("no scenario matched", style="yellow")
        return 1 if args.keyword else 0
    unusable = _unusable_targets(args)
    if unusable:
        console.print(f"kasim run: {unusable}: nothing was run", style="red", markup=False)
        return 2
    opts = runner.Options(
        paths=args.paths,
        seed=args.seed,
        keyword=args.keyword,
        komet_url=args.komet_url,
        asinfo_url=args.asinfo_url,
        report_dir=args.report,
        fail_fast=args.fail_fast,
        workers=args.workers,
        progress=not args.no_progress and console.is_terminal,
    )
    results, seconds = runner.run_all(scenarios, opts, console)
    from .report import console as out

    for r in results:
        if r.failure and not r.ok:
            out.failure(console, r)
    if args.junit_xml:
        from .report import junit

        junit.write(args.junit_xml, results, seconds)
    if args.report:
        from .report import html

        index = html.write(args.report, results, seconds)
        console.print(f"report: {index}", style="dim")
    out.summary(console, results, seconds, args.seed)
    return 0 if all(r.ok for r in results) else 1


def _unusable_targets(args) -> str | None:
    """Checked before anything runs: the live servers answer, and the report and JUnit files can be written."""
    import requests

    from .clients import SimClient, SimError

    for name, url, app in (
        ("--komet-url", args.komet_url, "komet"),
        ("--asinfo-url", args.asinfo_url, "asinfo"),
    ):
        if not url:
            continue
        try:
            health = SimClient(url, timeout=5).health()
        except (
            SimError
        ):  # it answers, but is not our simulator (a real Komet sandbox): usable for grower steps
            if app == "asinfo":
                return f"{name} {url} is not a kasim ASINFO simulator (no /__sim/health)"
            continue
        except (requests.RequestException, ValueError) as exc:
            return f"{name} {url} does not answer ({type(exc).__name__}: is the server running?)"
        if health.get("app") != app:
            return f"{name} {url} is the {health.get('app')!r} simulator, not {app!r}"
    for name, path, is_dir in (("--report", args.report, True), ("--junit-xml", args.junit_xml, False)):
        if path:
            target = Path(path) if is_dir else Path(path).parent
            try:
                target.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                return f"{name} {path}: {exc.strerror or exc}"
            if not is_dir and Path(path).is_dir():
                return f"{name} {path} is a directory; give a file name"
            if not os.access(target, os.W_OK):
                return f"{name} {path}: not writable"
    return None


if __name__ == "__main__":
    sys.exit(main())
