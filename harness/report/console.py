"""Console output: one line per scenario, then each failure in full (YAML lines, expected vs actual,
variables, seed, last requests of both journals, a one-line replay command)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Console
from rich.markup import escape

if TYPE_CHECKING:
    from ..engine import ScenarioResult

MARK = {"passed": "[green]✓[/]", "failed": "[red]✗[/]", "error": "[red]![/]", "skipped": "[yellow]-[/]",
        "xfailed": "[yellow]x[/]", "xpassed": "[red]X[/]"}


def line(console: Console, r: ScenarioResult) -> None:
    where = f"  [dim]{escape(r.failure['where'])}[/]" if r.failure else ""
    console.print(f"{MARK[r.status]} {r.seconds:6.2f}s  {escape(r.scenario.id)}{where}", highlight=False)


def failure(console: Console, r: ScenarioResult) -> None:
    f = r.failure
    console.rule(f"[red]{r.status.upper()}[/] {escape(r.scenario.id)}", style="red")
    console.print(f"[bold]{escape(f['where'])}[/]  step: {escape(str(f['step'] or 'setup'))}  [dim]seed {f['seed']}[/]",
                  highlight=False)
    if f.get("excerpt"):
        console.print(escape(f["excerpt"]), style="cyan", highlight=False)
    console.print(f"[bold red]{escape(f['message'])}[/]", highlight=False)
    for d in f["details"]:
        console.print(f"  {escape(str(d))}", highlight=False)
    if f["vars"]:
        console.print("[bold]variables in scope[/]")
        for k, v in f["vars"].items():
            console.print(f"  {escape(k)} = {escape(v)}", highlight=False)
    for app in ("komet", "asinfo"):
        entries = [e for e in r.journals.get(app, []) if e.get("direction") == "in" or app == "asinfo"][-4:]
        if entries:
            console.print(f"[bold]last requests to {app}[/]")
            for e in entries:
                console.print(f"  {escape(describe(e))}", highlight=False)
    console.print(f"[bold]replay:[/] {escape(f['replay'])}", highlight=False)


def describe(e: dict) -> str:
    req, resp = e.get("request") or {}, e.get("response")
    arrow = "→" if e.get("direction") != "out" else "⇒ komet"
    if resp is None:
        outcome = e.get("fault") or (e.get("error") or {}).get("kind") or "no reply"
    else:
        body = resp.get("body")
        status = body.get("status") if isinstance(body, dict) else None
        msg = body.get("message") if isinstance(body, dict) else None
        outcome = f"{resp.get('status')}" + (f" status={status}" if status is not None else "") + \
            (f" {msg!r}" if msg and status in ("0", 0) else "") + (f" [{e['fault']}]" if e.get("fault") else "")
    return f"#{e['seq']} {req.get('method')} {req.get('path')} {arrow} {outcome}"


def summary(console: Console, results: list[ScenarioResult], seconds: float, seed: int | None) -> None:
    counts: dict[str, int] = {}
    for r in results:
        counts[r.status] = counts.get(r.status, 0) + 1
    parts = [f"{n} {s}" for s, n in counts.items()]
    ok = all(r.ok for r in results)
    style = "green" if ok else "red"
    seed_note = f" (seed {seed})" if seed is not None else ""
    console.print(f"[{style}]{', '.join(parts) or 'nothing ran'} in {seconds:.2f}s{seed_note}[/]", highlight=False)
