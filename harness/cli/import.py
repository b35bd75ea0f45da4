"""kasim import FILE…: a recording (or saved purchase.order.list replies) becomes a komet_sim world — a state
snapshot — and a scenario that replays the recorded calls against it (`kasim run` it)."""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

from rich.console import Console

NAME = "import"
HELP = "make a komet_sim world and a replay scenario from a recording or saved purchase.order.list replies"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "files", nargs="+", metavar="FILE", help="a recording (kasim proxy) or saved replies (JSON)"
    )
    p.add_argument("--out", default=".", metavar="DIR", help="where to write NAME.state.json and NAME.yaml")
    p.add_argument("--name", metavar="NAME", help="file names to write (default: the first file's name)")


def run(args: argparse.Namespace, console: Console) -> int:
    from ..recording import skeleton, sources, world
    from ..recording.check import loads

    exchanges, problems = sources.load(args.files)
    if not exchanges:
        for p in problems:
            console.print(str(p), style="red", markup=False, highlight=False)
        console.print("kasim import: nothing to import", style="red")
        return 2
    imported = world.build(exchanges)
    problems += imported.problems
    refused = loads(imported.snapshot)
    if refused:
        console.print(f"kasim import: komet_sim refuses the world: {refused}", style="red", markup=False)
        return 2
    name = args.name or Path(args.files[0]).name.split(".")[0]
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    state_path, scenario_path = out / f"{name}.state.json", out / f"{name}.yaml"
    state_path.write_text(
        json.dumps(imported.snapshot, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    data, left_out = skeleton.scenario(exchanges, state_path.name, Path(args.files[0]).name)
    scenario_path.write_text(skeleton.dump(data), encoding="utf-8")
    tables = imported.tables
    counts = Counter({t: len(rows) for t, rows in tables.items()})
    console.print(
        f"[bold]Imported[/] {len(exchanges)} exchange(s) into company {imported.company_id}: "
        f"{counts['purchase_orders']} PO(s), {counts['po_items']} line(s), {counts['boxes']} box(es), "
        f"{counts['awbs']} AWB(s), {counts['vendors']} vendor(s), {counts['customers']} customer(s), "
        f"{counts['products']} product(s), {counts['boxtypes']} box type(s), {len(imported.tokens)} token(s); "
        f"{counts['recorded_extras']} object(s) with fields kasim does not model (kept, K28)",
        highlight=False,
    )
    for note in [*imported.notes, *left_out]:
        console.print(f"  note: {note}", style="dim", markup=False, highlight=False)
    for p in problems:
        console.print(f"  {p}", style="red", markup=False, highlight=False)
    console.print(f"  world:    {state_path}", markup=False, highlight=False)
    console.print(f"  scenario: {scenario_path}", markup=False, highlight=False)
    console.print(f"  replay:   kasim run {scenario_path}", markup=False, highlight=False)
    return 1 if problems else 0
