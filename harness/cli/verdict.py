"""kasim verdict: Komet's protocol verdict on whatever client talked to it (your grower system, pointed at
`kasim serve komet`): each rule passed or broken, with the offending requests. Exit 1 when a rule is broken."""

from __future__ import annotations

import argparse
import xml.etree.ElementTree as ET
from pathlib import Path

from rich.console import Console

NAME = "verdict"
HELP = "judge a grower's traffic to our Komet against the protocol rules (exit 1 if any is broken)"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--komet-url", required=True, help="the Komet simulator your grower talked to")
    p.add_argument(
        "--since",
        default="0",
        metavar="SEQ|TIME",
        help="only traffic after this journal position, or from this time on (YYYY-MM-DDTHH:MM:SS, Komet's clock)",
    )
    p.add_argument("--namespace", metavar="COMPANY", help="only this company's traffic (its company ID)")
    p.add_argument(
        "--poll-interval", type=int, default=60, metavar="S", help="seconds between reads of a date"
    )
    p.add_argument("--junit-xml", metavar="FILE", help="write JUnit XML: one test case per rule")


def run(args: argparse.Namespace, console: Console) -> int:
    import requests

    from ..clients import KometSimClient, SimError
    from ..verdict import broken

    try:
        verdict = KometSimClient(args.komet_url, timeout=30).verdict(
            since=args.since, namespace=args.namespace, pollInterval=args.poll_interval
        )
    except SimError as exc:
        console.print(
            f"kasim verdict: {args.komet_url} gave no verdict: {exc.app_message}", style="red", markup=False
        )
        return 2
    except requests.RequestException as exc:
        console.print(
            f"kasim verdict: {args.komet_url} does not answer ({type(exc).__name__}: is kasim serve komet running?)",
            style="red",
            markup=False,
        )
        return 2
    for rule in verdict["rules"]:
        mark = "[green]✓[/]" if rule["ok"] else "[red]✗[/]"
        console.print(f"{mark} {rule['id']}  [dim]{rule['rationale']}[/]", highlight=False)
    problems = broken(verdict)
    for line in problems:
        console.print(f"  {line}", style="red", highlight=False, markup=False)
    if args.junit_xml:
        write_junit(args.junit_xml, verdict)
    summary = f"{verdict['calls']} calls judged: " + (
        f"{sum(not r['ok'] for r in verdict['rules'])} rule(s) broken" if problems else "every rule kept"
    )
    console.print(summary, style="red" if problems else "green", highlight=False)
    return 1 if problems else 0


def write_junit(path: str, verdict: dict) -> None:
    from ..verdict import broken

    rules = verdict["rules"]
    suite = ET.Element(
        "testsuite",
        name="kasim verdict",
        tests=str(len(rules)),
        failures=str(sum(not r["ok"] for r in rules)),
    )
    for rule in rules:
        case = ET.SubElement(suite, "testcase", classname="kasim.verdict", name=rule["id"])
        if not rule["ok"]:
            lines = broken({"rules": [rule]})
            node = ET.SubElement(case, "failure", message=lines[0], type="protocol")
            node.text = rule["rationale"] + "\n" + "\n".join(lines)
    root = ET.Element("testsuites")
    root.append(suite)
    ET.indent(root)
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    ET.ElementTree(root).write(path, encoding="utf-8", xml_declaration=True)
