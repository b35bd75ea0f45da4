"""Console output: one line per scenario, then each failure in full (YAML lines, expected vs actual,
variables, seed, last requests of both journals, a one-line replay command)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Console
from rich.markup import escape

from .failure import failure_lines

if TYPE_CHECKING:
    from ..engine import ScenarioResult

MARK = {
    "passed": "[green]✓[/]",
    "failed": "[red]✗[/]",
    "error": "[red]![/]",
    "skipped": "[yellow]-[/]",
    "xfailed": "[yellow]x[/]",
    "xpassed": "[red]X[/]",
}


def line(console: Console, r: ScenarioResult) -> None:
    where = f"  [dim]{escape(r.failure['where'])}[/]" if r.failure else ""
    if r.status == "skipped" and r.notes:
        where = f"  [dim]skipped: {escape('; '.join(r.notes))}[/]"
    console.print(f"{MARK[r.status]} {r.seconds:6.2f}s  {escape(r.scenario.id)}{where}", highlight=False)


STYLE = {"head": "bold", "yaml": "cyan", "message": "bold red", "section": "bold", "replay": "bold"}


def failure(console: Console, r: ScenarioResult) -> None:
    console.rule(f"[red]{r.status.upper()}[/] {escape(r.scenario.id)}", style="red")
    for kind, text in failure_lines(r.failure, r.journals, r.seed) if r.failure else []:
        console.print(text, style=STYLE.get(kind), highlight=False, markup=False)


def summary(console: Console, results: list[ScenarioResult], seconds: float, seed: int | None) -> None:
    counts: dict[str, int] = {}
    for r in results:
        counts[r.status] = counts.get(r.status, 0) + 1
    parts = [f"{n} {s}" for s, n in counts.items()]
    ok = all(r.ok for r in results)
    style = "green" if ok else "red"
    seed_note = f" (seed {seed})" if seed is not None else ""
    console.print(
        f"[{style}]{', '.join(parts) or 'nothing ran'} in {seconds:.2f}s{seed_note}[/]", highlight=False
    )
