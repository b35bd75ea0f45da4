"""Equivalent mutants recognised by rule, from mutmut 3's mutated sources (mutants/<module>.py), so that neither
the sample nor the score spends itself on them.

One rule today: **SQL case.** mutmut upper- or lower-cases whole string constants. When the constant is SQL text
(it holds an upper-case SQL keyword as a word), its quoted literals ('pending', 'X') come out unchanged and so
do its select and RETURNING lists (they name the result's columns, which row.keys() and dict(row) report as
written), SQLite reads the same statement: keywords and identifiers are case-insensitive, quoted values and
column labels are not. The rule holds only when that one string constant is all that differs between the
mutant and the original function.

A mutant the rule does not recognise (a sqlite3.Row key upper-cased, a planted bug's switch renamed) is judged by
a person and listed in tools/mutation-equivalents.txt with its reason."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

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
    """What a node holds besides its children (a name, an operator's type, a constant's value)."""
    return tuple(
        (field, value)
        for field, value in ast.iter_fields(node)
        if not isinstance(value, ast.AST | list) and field != "name"
    )


def _changed_constants(original: ast.AST, mutant: ast.AST) -> list[tuple[object, object]] | None:
    """The (original, mutant) constant values that differ, or None when anything else differs too."""
    a_nodes, b_nodes = list(ast.walk(original)), list(ast.walk(mutant))
    if len(a_nodes) != len(b_nodes):
        return None
    changed: list[tuple[object, object]] = []
    for a, b in zip(a_nodes, b_nodes, strict=True):
        if type(a) is not type(b):
            return None
        if isinstance(a, ast.Constant) and isinstance(b, ast.Constant):
            if a.value != b.value or type(a.value) is not type(b.value):
                changed.append((a.value, b.value))
        elif _scalars(a) != _scalars(b):
            return None
        elif (
            isinstance(a, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
            and a is not original
            and a.name != getattr(b, "name", None)
        ):
            return None  # a nested definition renamed is a real change
    return changed


def reason(original: ast.AST, mutant: ast.AST) -> str | None:
    """The rule that makes `mutant` (a function) equivalent to `original`, or None."""
    changed = _changed_constants(original, mutant)
    if not changed or len(changed) != 1:
        return None
    before, after = changed[0]
    if not (isinstance(before, str) and isinstance(after, str)):
        return None
    if (
        before.lower() == after.lower()
        and _is_sql(before)
        and _QUOTED.findall(before) == _QUOTED.findall(after)
        and _SELECT_LIST.findall(before) == _SELECT_LIST.findall(after)
    ):
        return SQL_CASE
    return None


def _functions(tree: ast.AST) -> dict[str, ast.AST]:
    return {n.name: n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)}


def by_rule(work: Path) -> Iterator[tuple[str, str]]:
    """(mutant name, reason) for every mutant of the run in `work` that a rule shows equivalent."""
    import json

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
