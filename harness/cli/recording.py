"""kasim recording show FILE: what a recording holds — when, which methods and how they went, which tokens
(as placeholders), the POs, lines and AWBs Komet showed, and every refusal or error with its line."""

from __future__ import annotations

import argparse

from rich.console import Console

NAME = "recording"
HELP = "summarise a recording made by kasim proxy (methods, dates, POs, lines, errors)"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("action", choices=["show"], help="show: summarise the file")
    p.add_argument("file", metavar="FILE", help="a recording (JSON Lines, docs/recording-format.md)")
    p.add_argument("--errors", type=int, default=20, metavar="N", help="list at most N refusals/errors")


def run(args: argparse.Namespace, console: Console) -> int:
    from ..recording.format import read
    from ..recording.summary import summarise

    rec = read(args.file)
    for problem in rec.problems:
        console.print(str(problem), style="red", markup=False, highlight=False)
    if rec.problems and not rec.exchanges:
        return 2
    s = summarise(rec)
    console.print(
        f"[bold]{s.file}[/]  format version {s.version} · target {s.target or '?'}", highlight=False
    )
    console.print(
        f"  {len(rec.exchanges)} exchange(s) from {s.first or '-'} to {s.last or '-'}", highlight=False
    )
    width = max([len(name) for name in s.methods] + [6])
    console.print(
        f"  {'method':<{width}}  calls     ok  refused  HTTP≥400  no reply  median ms",
        style="bold",
        highlight=False,
    )
    for name, m in s.methods.items():
        median = f"{m.median_ms:.1f}" if m.median_ms is not None else "-"
        console.print(
            f"  {name:<{width}}  {m.calls:>5}  {m.ok:>5}  {m.refused:>7}  {m.http_errors:>8}  {m.no_reply:>8}"
            f"  {median:>9}",
            highlight=False,
            markup=False,
        )
    tokens = ", ".join(f"{t} ({n})" for t, n in s.tokens.most_common())
    console.print(f"  tokens: {tokens}", highlight=False, markup=False)
    shown = ", ".join(s.po_numbers[:12]) + (" …" if len(s.po_numbers) > 12 else "")
    console.print(
        f"  POs: {len(s.po_numbers)} ({shown or 'none'}); ship dates: {', '.join(s.ship_dates) or 'none'}",
        highlight=False,
        markup=False,
    )
    lines = ", ".join(f"{status} {n}" for status, n in sorted(s.lines.items()))
    console.print(f"  lines: {sum(s.lines.values())} ({lines or 'none'})", highlight=False, markup=False)
    console.print(f"  AWBs: {', '.join(s.awbs) or 'none'}", highlight=False, markup=False)
    if s.errors:
        console.print(f"  refusals and errors: {len(s.errors)}", style="yellow")
        for line in s.errors[: args.errors]:
            console.print(f"    {line}", highlight=False, markup=False)
        if len(s.errors) > args.errors:
            console.print(f"    … {len(s.errors) - args.errors} more (--errors N)", style="dim")
    return 1 if rec.problems else 0
