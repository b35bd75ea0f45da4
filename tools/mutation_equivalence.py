"""Equivalent mutants recognised by rule, from mutmut 3's mutated sources (mutants/<module>.py), so that neither
the sample nor the score spends itself on them.

Two rules.

**SQL case.** mutmut upper- or lower-cases whole string constants. When the constant is SQL text
(it holds an upper-case SQL keyword as a word), its quoted literals ('pending', 'X') come out unchanged and so
do its select and RETURNING lists (they name the result's columns, which row.keys() and dict(row) report as
written), SQLite reads the same statement: keywords and identifiers are case-insensitive, quoted values and
column labels are not. The rule holds only when that one string constant is all that differs between the
mutant and the original function.

**Planted-bug switch.** `world.plant == "name"` (or `!=`) is how a planted bug switches itself on; the kill test
runs with no plant, where `world.plant` is None. A mutant that only changes the plant's name in that comparison,
or replaces an `==` comparison by None or False, reads the same with no plant: it breaks the planted bug, not the
integration logic. The plant matrix (tests/properties/test_plant_matrix.py) is what checks the switches.

A mutant no rule recognises (a sqlite3.Row key upper-cased, a message nobody is shown) is judged by a person
and listed in tools/mutation-equivalents.txt with its reason."""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Iterator
from pathlib import Path

PLANT_SWITCH = "planted-bug switch: only a plant's own comparison changed, which reads the same with no plant"
SQL_CASE = (
    "SQL case: an SQL string upper- or lower-cased, its quoted values unchanged (SQLite reads it the same)"
)
_SQL_WORD = re.compile(
    r"\b(SELECT|INSERT|UPDATE|DELETE|FROM|WHERE|JOIN|ORDER BY|GROUP BY|VALUES|SET|AND|OR|IN|DESC)\b"
)
_QUOTED = re.compile(r"'[^']*'")
_SELECT_LIST = re.compile(r"\b(?:select|returning)\b(.*?)(?:\bfrom\b|$)", re.IGNORECASE | re.DOTALL)


def _is_sql(text: str) -> bool:
    return bool(_SQL_WORD.search(text))


def _scalars(node: ast.AST) -> tuple:
    """What a node holds besides its children (a name, a constant's value and type)."""
    values = tuple((f, v) for f, v in ast.iter_fields(node) if not isinstance(v, ast.AST | list))
    return (*values, ("type", type(node.value))) if isinstance(node, ast.Constant) else values


def _differences(a: ast.AST, b: ast.AST, top: bool = False) -> list[tuple[ast.AST, ast.AST]]:
    """The smallest differing (original, mutant) node pairs; `top` ignores the function's own name."""
    if type(a) is not type(b):
        return [(a, b)]
    ignored = "name" if top else None
    mine = [x for x in _scalars(a) if x[0] != ignored]
    if mine != [x for x in _scalars(b) if x[0] != ignored]:
        return [(a, b)]
    found: list[tuple[ast.AST, ast.AST]] = []
    for (_, x), (_, y) in zip(ast.iter_fields(a), ast.iter_fields(b), strict=True):
        if isinstance(x, list) and isinstance(y, list):
            if len(x) != len(y):
                return [(a, b)]
            for i, j in zip(x, y, strict=True):
                if isinstance(i, ast.AST) and isinstance(j, ast.AST):
                    found += _differences(i, j)
                elif i != j:
                    return [(a, b)]
        elif isinstance(x, ast.AST) and isinstance(y, ast.AST):
            found += _differences(x, y)
        elif isinstance(x, ast.AST) or isinstance(y, ast.AST):
            return [(a, b)]
    return found


def _plant_switches(tree: ast.AST) -> list[ast.Compare]:
    """`<x>.plant == "name"` / `!= "name"` comparisons."""
    return [
        n
        for n in ast.walk(tree)
        if isinstance(n, ast.Compare)
        and isinstance(n.left, ast.Attribute)
        and n.left.attr == "plant"
        and len(n.ops) == 1
        and isinstance(n.ops[0], ast.Eq | ast.NotEq)
        and isinstance(n.comparators[0], ast.Constant)
        and isinstance(n.comparators[0].value, str)
    ]


def _sql_case(before: ast.AST, after: ast.AST) -> bool:
    if not (isinstance(before, ast.Constant) and isinstance(after, ast.Constant)):
        return False
    x, y = before.value, after.value
    return (
        isinstance(x, str)
        and isinstance(y, str)
        and x.lower() == y.lower()
        and _is_sql(x)
        and _QUOTED.findall(x) == _QUOTED.findall(y)
        and _SELECT_LIST.findall(x) == _SELECT_LIST.findall(y)
    )


def _plant_switch(original: ast.AST, before: ast.AST, after: ast.AST) -> bool:
    for switch in _plant_switches(original):
        if before is switch.comparators[0]:  # the plant's name changed: never equal to None either
            return isinstance(after, ast.Constant) and isinstance(after.value, str)
        if before is switch:  # the switch replaced whole: off, as with no plant, only for ==
            return (
                isinstance(switch.ops[0], ast.Eq)
                and isinstance(after, ast.Constant)
                and after.value in (None, False)
            )
    return False


def reason(original: ast.AST, mutant: ast.AST) -> str | None:
    """The rule that makes `mutant` (a function) equivalent to `original`, or None."""
    changed = _differences(original, mutant, top=True)
    if len(changed) != 1:
        return None
    before, after = changed[0]
    if _sql_case(before, after):
        return SQL_CASE
    if _plant_switch(original, before, after):
        return PLANT_SWITCH
    return None


def _functions(tree: ast.AST) -> dict[str, ast.AST]:
    return {n.name: n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)}


def by_rule(work: Path) -> Iterator[tuple[str, str]]:
    """(mutant name, reason) for every mutant of the run in `work` that a rule shows equivalent."""
    for meta in sorted(work.joinpath("mutants").rglob("*.py.meta")):
        source = meta.with_suffix("")  # mutants/pkg/module.py
        functions = _functions(ast.parse(source.read_text(encoding="utf-8")))
        for name in sorted(json.loads(meta.read_text())["exit_code_by_key"]):
            function = name.rsplit(".", 1)[1]  # mutmut names it module.function__mutmut_N
            original = functions.get(function.rsplit("__mutmut_", 1)[0] + "__mutmut_orig")
            mutated = functions.get(function)
            if original is not None and mutated is not None:
                why = reason(original, mutated)
                if why:
                    yield name, why
