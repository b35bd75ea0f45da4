"""The suite's results three ways: a console line per method, JUnit XML (one case per method), HTML."""

from __future__ import annotations

import html
import json
import xml.etree.ElementTree as ET
from pathlib import Path

from rich.console import Console

from .suite import Case

MARK = {"passed": "[green]✓[/]", "failed": "[red]✗[/]", "skipped": "[yellow]-[/]"}


def console(out: Console, cases: list[Case]) -> None:
    for c in cases:
        why = f"  ({c.skipped})" if c.status == "skipped" else ""
        out.print(f"{MARK[c.status]} {c.method}{why}", highlight=False)
        for d in c.drifts:
            out.print(f"    {d.kind:9} {d}", style="red", highlight=False, markup=False)
    counts = {s: sum(c.status == s for c in cases) for s in ("passed", "failed", "skipped")}
    drifts = sum(len(c.drifts) for c in cases)
    style = "red" if counts["failed"] else "green"
    out.print(
        f"{counts['passed']} passed, {counts['failed']} failed, {counts['skipped']} skipped; {drifts} drift(s)",
        style=style,
    )


def junit(path: str | Path, cases: list[Case], target: str) -> None:
    suite = ET.Element(
        "testsuite",
        name=f"kasim contract komet {target}",
        tests=str(len(cases)),
        failures=str(sum(c.status == "failed" for c in cases)),
        errors="0",
        skipped=str(sum(c.status == "skipped" for c in cases)),
        time=f"{sum(c.seconds for c in cases):.3f}",
    )
    for c in cases:
        case = ET.SubElement(suite, "testcase", classname="komet", name=c.method, time=f"{c.seconds:.3f}")
        if c.status == "failed":
            node = ET.SubElement(case, "failure", message=f"{len(c.drifts)} drift(s)", type="drift")
            node.text = "\n".join([*map(str, c.drifts), "", *c.notes])
        elif c.status == "skipped":
            ET.SubElement(case, "skipped", message=c.skipped or "")
        if c.notes and c.status != "failed":
            ET.SubElement(case, "system-out").text = "\n".join(c.notes)
    root = ET.Element("testsuites")
    root.append(suite)
    tree = ET.ElementTree(root)
    ET.indent(tree)
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    tree.write(path, encoding="utf-8", xml_declaration=True)


def _exchange(ex) -> str:
    body = json.dumps(ex.body, indent=1, ensure_ascii=False)
    if len(body) > 4000:
        body = body[:4000] + "\n…"
    params = json.dumps(ex.params, ensure_ascii=False)
    return (
        f"<details><summary>{html.escape(ex.verb)} /api/{html.escape(ex.method)} {html.escape(params[:200])}"
        f" → {ex.status}</summary><pre>{html.escape(body)}</pre></details>"
    )


DOCUMENTED = (
    "Compared with the Komet API as kasim documents it (OpenAPI, from the method table).",
    "documented",
)


def write_html(
    directory: str | Path, cases: list[Case], target: str, basis: tuple[str, str] = DOCUMENTED
) -> Path:
    """`basis`: what the replies were compared with, in a sentence, and that side's column heading."""
    rows = []
    for c in cases:
        drifts = "".join(
            f"<tr><td>{html.escape(d.kind)}</td><td><code>{html.escape(d.path or 'reply')}</code></td>"
            f"<td>{html.escape(d.expected)}</td><td>{html.escape(d.actual)}</td><td>{d.count}</td></tr>"
            for d in c.drifts
        )
        table = (
            f"<table><tr><th>kind</th><th>field</th><th>{basis[1]}</th><th>observed</th><th>times</th></tr>"
            f"{drifts}</table>"
            if drifts
            else ""
        )
        notes = "".join(f"<li>{html.escape(n)}</li>" for n in c.notes)
        if c.skipped and c.status == "skipped":
            notes += f"<li>skipped: {html.escape(c.skipped)}</li>"
        rows.append(
            f'<section class="{c.status}"><h2>{c.status.upper()} · <code>{html.escape(c.method)}</code></h2>'
            f"{table}<ul>{notes}</ul>{''.join(_exchange(e) for e in c.exchanges)}</section>"
        )
    failed = sum(c.status == "failed" for c in cases)
    page = f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>kasim contract — {html.escape(target)}</title>
<style>body{{font:14px system-ui,sans-serif;margin:2em;max-width:70em}}section{{border-left:6px solid #999;
padding:.2em 1em;margin:1em 0}}.passed{{border-color:#2a2}}.failed{{border-color:#c22}}.skipped{{border-color:#ca2}}
table{{border-collapse:collapse}}td,th{{border:1px solid #ccc;padding:2px 8px;text-align:left}}
pre{{background:#f6f6f6;padding:.5em;overflow:auto;max-height:20em}}</style></head><body>
<h1>Komet contract: {html.escape(target)}</h1>
<p>{len(cases)} methods · {failed} with drift · {sum(len(c.drifts) for c in cases)} drift(s) in all.
{html.escape(basis[0])}</p>
{"".join(rows)}</body></html>"""
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    path = out / "contract.html"
    path.write_text(page, encoding="utf-8")
    return path
