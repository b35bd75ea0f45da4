"""The reference for scenario authors, rendered from the registrations (one text, three uses): `kasim actions NAME`
shows one step, `kasim actions` lists them by side, and docs/scenarios.md is all of it with the file format,
matchers, ${…}, includes, cases, tags and growers. `python -m harness.reference` rewrites docs/scenarios.md; a
test fails when the file and this text differ."""

from __future__ import annotations

import json
import sys
import textwrap
from pathlib import Path
from typing import Any

import yaml

from .actions import EXAMPLE_WORLD, REF, SIDES, Action, Returns, load_all
from .actions.shapes import __doc__ as WORDS
from .grower.interface import OPERATIONS
from .grower.requirements import KOMET_OBSERVABLE
from .interpolate import FUNCTIONS
from .matching import MATCHER_DOCS
from .scenario_checks import BUILTINS
from .scenario_schema import STEP_FIELDS, TOP, WORLD, scenario_schema
from .scenario_steps import LIBRARY
from .schema_messages import describe

DOC = Path(__file__).resolve().parents[1] / "docs/scenarios.md"


def _cell(text: Any) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def example_file(a: Action) -> str:
    """The step's example as a whole scenario file: what `kasim run` takes as it is."""
    steps = textwrap.indent(a.example, "  ")
    return f"name: {a.name} example\nseed: 7\n{a.world or EXAMPLE_WORLD}\nsteps:\n{steps}\n"


def _yaml(value: Any) -> str:
    return yaml.safe_dump(value, sort_keys=False, allow_unicode=True, width=100).rstrip()


def _type(schema: dict) -> str:
    return "a reference (see References)" if schema == REF else describe(schema)


def step_markdown(a: Action, level: int = 2, shown: dict[int, str] | None = None) -> str:
    """One step, whole. `shown`: results already rendered in this document (a second step returning the same
    shape points at the first instead of repeating its fields)."""
    out = [f"{'#' * level} `{a.name}`", "", a.help[0].upper() + a.help[1:] + ".", ""]
    if a.params:
        out += ["| argument | type | required | default | meaning |", "| --- | --- | --- | --- | --- |"]
        for name, arg in a.params.items():
            required = "yes" if arg.required else ""
            out.append(
                f"| `{name}` | {_cell(_type(arg.schema))} | {required} | {_cell(arg.default or '')} | "
                f"{_cell(arg.doc)} |"
            )
    else:
        out.append("No arguments: `- " + a.name + ": {}`.")
    if a.returns:
        out += ["", f"**Returns** {a.returns.doc}."]
        first = shown.get(id(a.returns)) if shown is not None else None
        if first:
            out += ["", f"Its fields are listed under `{first}`."]
        else:
            if shown is not None:
                shown[id(a.returns)] = a.name
            out += _fields(a.returns)
        if a.returns.also:
            out += ["", f"Or: {a.returns.also.doc}."]
    if a.refuses:
        out += ["", "**Refuses** (`refused:` matches the reason):", ""]
        out += [f"- {r}" for r in a.refuses]
    out += ["", "**Example** (a whole scenario: save it and `kasim run` it):", "", "```yaml"]
    out += [example_file(a).rstrip(), "```", ""]
    return "\n".join(out)


def _fields(returns: Returns) -> list[str]:
    out = ["", "| field | meaning |", "| --- | --- |"]
    for name, meaning in returns.fields.items():
        label = f"{name[:-1]}` (sometimes)" if name.endswith("?") else f"{name}`"
        out.append(f"| `{label} | {_cell(meaning)} |")
    if returns.example is not None:
        out += ["", "For example:", "", "```yaml", _yaml(returns.example), "```"]
    return out


def listing() -> str:
    """Every step, one line each, grouped by side."""
    actions = load_all()
    out = []
    for side, title in SIDES.items():
        names = sorted(n for n, a in actions.items() if a.side == side)
        out += ["", f"{title}:"]
        out += [f"  {n:32} {actions[n].help}" for n in names]
    out += [
        "",
        "kasim actions NAME shows one whole: its arguments, what it returns, what it refuses, an example.",
    ]
    return "\n".join(out).lstrip("\n") + "\n"


def listing_markdown() -> str:
    actions = load_all()
    out = []
    for side, title in SIDES.items():
        out += [f"{title}:", ""]
        out += [
            f"- `{n}` — {actions[n].help}" for n in sorted(n for n, a in actions.items() if a.side == side)
        ]
        out.append("")
    return "\n".join(out)


# --- docs/scenarios.md ----------------------------------------------------------------------------------

INTRO = """\
# Writing scenarios

A scenario is a YAML file: a name, the world it starts from, and steps. Each step is one action of the
importer in Komet (`komet.*`), of a vendor in Komet's vendor portal (`komet.vendor_*`), of the grower
(`asinfo.*`), or of control (faults, the clock, checks); its result can be checked (`expect:`), kept
(`save:`), or required to be refused (`refused:`). `kasim validate FILE` checks a file without running it
(every problem as `file:line`), `kasim run FILE` runs it, `kasim actions NAME` shows one step whole.

This page is generated from kasim's own registrations (`python -m harness.reference`; a test fails when it is
out of date), so every argument, field and example below is the one the code has, and every example runs.

```yaml
name: Partial confirmation then a split on shipment
tags: [confirm, ship, split]
seed: 7
world:
  komet: {vendors: 2, shipDays: 1, posPerDay: 2, linesPerPo: 2}
  grower: connected                  # Vendor token (ASINFO preset) + connection + first sync
steps:
  - asinfo.confirm: {po: 0, line: 0, boxes: 1}
    expect: {confirmState: accepted}
  - include: fragments/ship-po.yaml  # AWB, boxes, labels, ship; saves ${awb} and ${shipment}
  - komet.get_line: {po: 0, line: 0}
    expect: {lineItemStatus: S, boxes: {$len: 1}}
```
"""

REFERENCES = """\
## Naming things: references

A step names a purchase order, a line, an AWB, a vendor or a token by a reference; its form says what it is:

| form | means | e.g. |
| --- | --- | --- |
| a whole number | the Nth one, from 0, in the order they were made | `po: 0`, `line: 1`, `vendor: 0`, `awb: 0` |
| `{id: N}` / `{poItemId: N}` | the one with that id | `po: {id: 500001}`, `line: {poItemId: 265001}` |
| text | its number or code as people write it | `po: "10001"`, `vendor: HER`, `awb: 729-3704-9353` |
| `${saved}` | what an earlier step returned | `awb: ${awb}`, `token: ${token}` |

`po: 0` is the grower's first PO (the POs of its vendor, in the order Komet made them); `line: 0` is the PO's
first line. A step that needs `po:` and `line:` together may name the line alone by its id
(`line: {poItemId: N}`).
"""

EXPECT = """\
## `expect:` — what the result must match

- an object matches when every key given matches (other keys are ignored);
- a list matches when every item given matches a different item of the result, in any order (more items
  are allowed; `$len`, `$exactly` and `$ordered` say otherwise); a failure says how many items were expected
  to match and how many did;
- a value matches an equal value; `"1"` and `1` are equal (Komet types ids and statuses loosely), `true` is
  only `true`.

`refused: TEXT` instead says the step must be refused, for a reason that contains TEXT (any case), or matches
`/REGEX/`; the result is then `{refused, status, reply}`. A step refused without `refused:` fails.

### Matchers

| matcher | matches | example (`expect:`) | against |
| --- | --- | --- | --- |
"""

SAVE = """\
## `save:` and `${…}`

`save: awb` keeps the whole result as `${awb}`; `save: {first: lines[0].id, n: "length(lines)"}` keeps parts
of it (JMESPath; a path that finds nothing fails the step, naming it). `${…}` reads a variable anywhere in a
step's arguments, `expect:` or `refused:`:

- `${awb}` — the value as it is (a whole `${…}` keeps its type: a number stays a number, an object an object);
- `${awb.number}`, `${world.vendors[0].id}` — a path into it;
- `${length(boxes)}`, `${sum(lines[*].confirmedBoxes)}`, `${join(', ', boxCodes)}` — a JMESPath function;
- `PO ${po.number}` — inside text, the value as text.

An expression that yields nothing is an error that names it, never a silent null: `${awb.numbr}` says
`awb has no 'numbr' (it has: number, …)`, and `${boxes|length}` says to write `${length(boxes)}`.
`kasim validate` reports before anything runs what it can: a variable used before a step saves it, a typo
of one (did you mean …), an expression that cannot be read, an unknown function, a wrong number of arguments.

Variables that always exist: @builtins@. `world` is the seeded company (`world.companyId`,
`world.vendors`, `world.customers`, `world.shipDates`), `grower` the connection (`grower.vendor`,
`grower.token`), `last` the previous step's result, `case` the case's name. JMESPath functions:
@functions@.
"""

INCLUDES = """\
## `include:` — fragments

```yaml
  - include: fragments/ship-po.yaml
    with: {po: 1, airline: "045"}
```

splices a fragment's steps in; what its steps save is in scope after it. A fragment has `steps:`, and may
have `description:` and `params:` (each with its default; `null`: the include must give it with `with:`).
The path is looked for next to the including file, then at the root of its scenario library (the nearest
directory named `scenarios`), then in kasim's own library — so `include: fragments/ship-po.yaml` works the
same from `scenarios/`, `scenarios/regressions/`, or a file of yours anywhere. Fragments are never run alone.

The library's fragments:

| fragment | params | what it does |
| --- | --- | --- |
"""

CASES = """\
## `vars:`, `cases:`, tags, `skip:` and `xfail:`

`vars: {boxes: 3}` defines `${boxes}` for every step. `cases:` runs the file once per case, each a name and
its own variables; the id of each run is `NAME[case]`, and `kasim run 'FILE::NAME[case]'` runs one:

```yaml
cases:
  - {name: full, boxes: 4, status: C}
  - {name: part, boxes: 1, status: PC}
steps:
  - asinfo.confirm: {po: 0, line: 0, boxes: "${boxes}"}
    expect: {kometStatus: "${status}"}
```

`tags: [ship, fault]` are words for `kasim run -k "ship and not fault"` (and pytest marks); `-k` also
matches the name and the file. `skip: why` does not run it; `xfail: why` expects it to fail.
"""

GROWERS = """\
## Other growers, and waiting on Komet

Every `asinfo.*` step calls one operation of the grower adapter (`--grower package.module:Class`), ASINFO
by default. An adapter implements the operations its system can do; a scenario that needs one it lacks is
**skipped, with the reason** (never passed). A scenario tagged `@observable@` checks only what Komet shows, so
any grower can run it (`kasim validate` refuses the tag on a step that reads the grower's own screens or
results). The operations: @operations@.

A grower that acts on its own schedule is waited for with `komet.await`: the clock moves and the adapter's
`tick` runs between looks; the step fails with what Komet last showed:

```yaml
  - komet.await: {po: 0, line: 0, status: C, within: 2m}
```
"""


def _matchers() -> str:
    rows = []
    for name, doc in MATCHER_DOCS.items():
        rows.append(
            f"| `{name}` | {_cell(doc.meaning)} | `{_cell(doc.expect)}` | `{_cell(json.dumps(doc.actual))}` |"
        )
    return "\n".join(rows) + "\n"


def _fragments() -> str:
    rows = []
    for path in sorted((LIBRARY / "fragments").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        params = ", ".join(
            f"`{k}` ({v!r})" if v is not None else f"`{k}` (required)"
            for k, v in (data.get("params") or {}).items()
        )
        rows.append(
            f"| `fragments/{path.name}` | {params} | {_cell(' '.join(str(data.get('description', '')).split()))} |"
        )
    return "\n".join(rows) + "\n"


def _file_format() -> str:
    schema = scenario_schema()
    out = ["## A scenario file", "", "| key | means |", "| --- | --- |"]
    out += [f"| `{k}` | {_cell(TOP[k])} |" for k in schema["properties"]]
    out += [
        "",
        "A step is one action with its arguments, and optionally:",
        "",
        "| key | means |",
        "| --- | --- |",
    ]
    out += [f"| `{k}` | {_cell(v)} |" for k, v in STEP_FIELDS.items()]
    world = schema["properties"]["world"]["properties"]
    out += ["", "## `world:` — what exists before the first step", "", "| key | means |", "| --- | --- |"]
    out += [f"| `{k}` | {_cell(WORLD[k])} |" for k in world]
    out += [
        "",
        "`world.komet:` — the seeded company:",
        "",
        "| key | type | default | means |",
        "| --- | --- | --- | --- |",
    ]
    for k, v in world["komet"]["properties"].items():
        text = v.get("description", "")
        meaning, _, default = text.partition(" (default: ")
        out.append(
            f"| `{k}` | {_cell(describe(v, bounds=True))} | {default.rstrip(')')} | {_cell(meaning)} |"
        )
    return "\n".join(out) + "\n"


def markdown() -> str:
    actions = load_all()
    parts = [INTRO, _file_format(), REFERENCES, EXPECT + _matchers()]
    parts.append(
        SAVE.replace("@builtins@", ", ".join(f"`{b}`" for b in sorted(BUILTINS))).replace(
            "@functions@", ", ".join(f"`{f}`" for f in sorted(FUNCTIONS))
        )
    )
    parts.append(INCLUDES + _fragments())
    parts.append(CASES)
    parts.append(
        GROWERS.replace("@observable@", KOMET_OBSERVABLE).replace(
            "@operations@", ", ".join(f"`{o}`" for o in OPERATIONS)
        )
    )
    words = " ".join((WORDS or "").split("\n\n")[1].split()).replace("Words every step uses: a", "A")
    parts.append("## Words every step uses\n\n" + words + "\n")
    parts.append("## Steps\n\n" + listing_markdown())
    shown: dict[int, str] = {}
    for side, title in SIDES.items():
        parts.append(f"### {title}\n")
        for name in sorted(n for n, a in actions.items() if a.side == side):
            parts.append(step_markdown(actions[name], 4, shown))
    return "\n".join(p.rstrip("\n") + "\n" for p in parts)


def main() -> int:
    DOC.write_text(markdown(), encoding="utf-8")
    print(f"wrote {DOC}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
