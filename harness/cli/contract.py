"""kasim contract komet: hold any Komet (ours or a real one) to the documented contract, method by method; or,
with --recording, hold kasim's Komet to the replies a real one gave (harness/contract/recorded.py)."""

from __future__ import annotations

import argparse
from datetime import date

from rich.console import Console

NAME = "contract"
HELP = (
    "check a Komet against the documented API contract, or kasim's Komet against a recording (drift report)"
)


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("target", choices=["komet"], help="what to check (the Komet API)")
    p.add_argument("--komet-url", metavar="URL", help="base URL, e.g. http://127.0.0.1:5001")
    p.add_argument("--token", metavar="T", help="an API token of the company to probe")
    p.add_argument(
        "--recording",
        nargs="+",
        action="extend",
        metavar="FILE",
        help="instead of probing a Komet: replay a recording (or saved purchase.order.list replies) against "
        "kasim's Komet from the imported world and report every difference from the recorded replies",
    )
    p.add_argument("--company-id", type=int, metavar="N", help="sent as X-ACCOUNT, as ASINFO does")
    p.add_argument(
        "--write",
        action="store_true",
        help="also the write path on a sandbox company: create a PO, confirm, ship, relabel, delete",
    )
    p.add_argument("--date", type=date.fromisoformat, metavar="YYYY-MM-DD", help="first ship date to look at")
    p.add_argument("--junit-xml", metavar="FILE", help="one JUnit case per method")
    p.add_argument("--report", metavar="DIR", help="write DIR/contract.html")
    p.add_argument("--spec", metavar="FILE", help="another OpenAPI document to hold Komet to")


def run(args: argparse.Namespace, console: Console) -> int:
    from ..contract import report
    from ..contract.client import Komet
    from ..contract.spec import KOMET_DOCUMENT, Contract
    from ..contract.suite import Suite

    if args.recording:
        return _recording(args, console)
    missing = [
        flag for flag, value in (("--komet-url", args.komet_url), ("--token", args.token)) if not value
    ]
    if missing:
        console.print(f"[red]kasim contract: {' and '.join(missing)} required (or --recording FILE)[/]")
        return 2
    try:
        contract = Contract.load(args.spec or KOMET_DOCUMENT)
    except (OSError, ValueError) as exc:
        console.print(f"[red]kasim contract: cannot read the contract: {exc}[/]")
        return 2
    if not args.token.strip():
        console.print("[red]kasim contract: --token is empty[/]")
        return 2
    komet = Komet(args.komet_url, args.token, contract, args.company_id)
    cases = Suite(komet, write=args.write, start=args.date).run()
    exchanges = [e for c in cases for e in c.exchanges]
    if all(e.status is None for e in exchanges):
        console.print(f"[red]kasim contract: no reply from {args.komet_url}[/]")
        return 2
    if not any(e.ok for e in exchanges):  # nothing to compare: the token (or the URL) is wrong
        refused = next((e.message for e in exchanges if e.message), "no success reply")
        console.print(f"[red]kasim contract: Komet refused every call ({refused}); check --token[/]")
        return 2
    report.console(console, cases)
    if args.junit_xml:
        report.junit(args.junit_xml, cases, args.komet_url)
    if args.report:
        console.print(f"report: {report.write_html(args.report, cases, args.komet_url)}")
    return 1 if any(c.status == "failed" for c in cases) else 0


def _recording(args: argparse.Namespace, console: Console) -> int:
    from ..contract import recorded, report

    live = [flag for flag in ("komet_url", "token", "write", "spec", "date") if getattr(args, flag)]
    if live:
        flags = ", ".join("--" + f.replace("_", "-") for f in live)
        console.print(
            f"[red]kasim contract: {flags}: not with --recording (it replays against kasim's Komet)[/]"
        )
        return 2
    result = recorded.check(args.recording)
    for p in result.problems:
        console.print(f"  {p}", style="red", markup=False, highlight=False)
    if result.refused:
        console.print(f"kasim contract: {result.refused}", style="red", markup=False, highlight=False)
        return 2
    target = " ".join(args.recording)
    console.print(
        f"[bold]kasim's Komet against {target}[/]: {result.replayed} recorded call(s) replayed, "
        f"{result.identical} answered with the recorded bytes",
        highlight=False,
    )
    report.console(console, result.cases)
    if args.junit_xml:
        report.junit(args.junit_xml, result.cases, target)
    if args.report:
        basis = (
            f"Compared with the replies recorded in {target}; observed: kasim's Komet replaying them.",
            "recorded",
        )
        console.print(f"report: {report.write_html(args.report, result.cases, target, basis)}")
    return 1 if any(c.status == "failed" for c in result.cases) or result.problems else 0
