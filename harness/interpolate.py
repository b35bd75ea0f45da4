"""${...} in scenario values: a variable, a JMESPath into one (${awb.number}, ${world.vendors[0].id}), or a
JMESPath function of variables (${length(boxes)}, ${sum(lines[*].confirmedBoxes)}). A value that is exactly one
${...} keeps its type; inside text it is formatted as text.

An expression that yields nothing is an error naming it, never a silent null: a typo (${awb.numbr}), a field
that is not there, or a function written as a field (${boxes|length}: JMESPath wants length(boxes)). Only a
plain path to a field that is there and holds null gives null."""

from __future__ import annotations

import json
import re
from typing import Any

import jmespath
from jmespath import functions as jp_functions
from jmespath.exceptions import JMESPathError

REF = re.compile(r"\$\{([^}]+)\}")
FUNCTIONS: dict[str, tuple] = {
    name: spec["signature"] for name, spec in jp_functions.Functions().FUNCTION_TABLE.items()
}
EXAMPLE_FUNCTIONS = "length(boxes), sum(lines[*].confirmedBoxes), join(', ', boxCodes)"


class Undefined(KeyError):
    def __init__(self, name: str, known: list[str]):
        super().__init__(name)
        self.name = name
        self.known = known

    def __str__(self) -> str:
        return f"undefined variable {self.name!r} (defined: {', '.join(sorted(self.known)) or 'none yet'})"


# --- what an expression refers to -----------------------------------------------------------------------

# Node types whose first child is read from the scope and whose other children from what that child gives.
_LEFT_ONLY = {
    "subexpression",
    "index_expression",
    "projection",
    "value_projection",
    "filter_projection",
    "flatten",
    "pipe",
}


def _names(node: dict) -> list[str]:
    """Variables an expression reads from the scope (fields at its root), in order."""
    kind = node.get("type")
    children = node.get("children") or []
    if kind == "field":
        return [node["value"]]
    if kind in ("expref", "literal", "current", "identity", "index", "slice"):
        return []  # &expr is applied to items, never to the scope
    if kind in _LEFT_ONLY:
        return _names(children[0]) if children else []
    return [n for child in children for n in _names(child)]


def parse(expr: str) -> dict:
    """The expression's syntax tree; ValueError naming it when it cannot be read."""
    try:
        tree: dict = jmespath.compile(expr.strip()).parsed  # type: ignore[assignment]  # typed loosely upstream
        return tree
    except JMESPathError as exc:
        raise ValueError(f"${{{expr}}} cannot be read ({jmespath_error(exc)})") from None


def names(expr: str) -> list[str]:
    """Variables one ${...} expression uses; [] if it cannot be read (the validator reports that)."""
    try:
        return _names(parse(expr))
    except ValueError:
        return []


def roots(value: Any) -> list[str]:
    """Variable names a value refers to (for the validator's check that each is defined before use)."""
    found: list[str] = []
    if isinstance(value, str):
        for expr in REF.findall(value):
            found += names(expr)
    elif isinstance(value, dict):
        for v in value.values():
            found += roots(v)
    elif isinstance(value, list):
        for v in value:
            found += roots(v)
    return found


def static_problems(expr: str) -> list[str]:
    """What is wrong with an expression before anything runs: it cannot be read, it calls a function JMESPath
    does not have or with the wrong number of arguments, or it writes a function as a field (x|length)."""
    try:
        tree = parse(expr)
    except ValueError as exc:
        return [str(exc)]
    out: list[str] = []

    def walk(node: dict) -> None:
        kind, children = node.get("type"), node.get("children") or []
        if kind == "function_expression":
            name = node["value"]
            if name not in FUNCTIONS:
                out.append(
                    f"${{{expr.strip()}}}: JMESPath has no function {name}() "
                    f"(it has: {', '.join(sorted(FUNCTIONS))})"
                )
            else:
                wrong = _arity(name, len(children))
                if wrong:
                    out.append(f"${{{expr.strip()}}}: {wrong}")
        if kind == "pipe" and len(children) == 2 and children[1].get("type") == "field":
            name = children[1]["value"]
            if name in FUNCTIONS:
                left = expr.strip().rsplit("|", 1)[0].strip()
                out.append(
                    f"${{{expr.strip()}}} reads a field named {name!r}, which yields nothing; "
                    f"JMESPath calls functions with their argument: ${{{name}({left})}}"
                )
        for child in children:
            walk(child)

    walk(tree)
    return out


def _arity(name: str, given: int) -> str | None:
    signature = FUNCTIONS[name]
    variadic = bool(signature) and signature[-1].get("variadic", False)
    need = len(signature)
    if (variadic and given >= need) or (not variadic and given == need):
        return None
    many = f"at least {need}" if variadic else str(need)
    return f"{name}() takes {many} argument(s), got {given}"


def jmespath_error(exc: JMESPathError) -> str:
    token, column = getattr(exc, "token_value", None), getattr(exc, "lex_position", None)
    if token is None or column is None:
        return str(exc).splitlines()[0]
    return f"unexpected {token!r} at column {column + 1}" if token else "it ends too early"


# --- reading a value ------------------------------------------------------------------------------------


def lookup(expr: str, scope: dict) -> Any:
    tree = parse(expr)
    for name in _names(tree):
        if name not in scope:
            raise Undefined(name, list(scope))
    if not _names(tree) and tree.get("type") != "function_expression":
        raise ValueError(f"${{{expr.strip()}}} names no variable: write ${{name}} or ${{name.field[0]}}")
    problems = static_problems(expr)
    if problems:
        raise ValueError(problems[0])
    try:
        value = jmespath.search(expr.strip(), scope)
    except JMESPathError as exc:
        raise ValueError(f"${{{expr.strip()}}} cannot be evaluated: {str(exc).splitlines()[0]}") from None
    if value is None:
        _explain_missing(expr.strip(), scope)
    return value


SIMPLE_PATH = re.compile(r"^[A-Za-z_]\w*(\.[A-Za-z_]\w*|\[-?\d+\])*$")
_PART = re.compile(r"\.?([A-Za-z_]\w*)|\[(-?\d+)\]")


def _explain_missing(expr: str, scope: dict) -> None:
    """A null result: fine only for a plain path to a field that is there and holds null; otherwise an error
    that names the expression and where it found nothing."""
    if not SIMPLE_PATH.match(expr):
        raise ValueError(
            f"${{{expr}}} yields nothing (null): a field on its way is missing, a filter matched nothing, or a "
            f"function is written as a field (JMESPath calls them with arguments: {EXAMPLE_FUNCTIONS})"
        )
    value: Any = scope
    walked = ""
    for key, index in _PART.findall(expr):
        if key:
            if not isinstance(value, dict) or key not in value:
                have = (
                    ", ".join(sorted(map(str, value)))[:200]
                    if isinstance(value, dict)
                    else f"a {type(value).__name__}, not an object"
                )
                raise ValueError(f"${{{expr}}}: {walked or 'the scope'} has no {key!r} (it has: {have})")
            value = value[key]
            walked = f"{walked}.{key}" if walked else key
        else:
            i = int(index)
            if not isinstance(value, list) or not -len(value) <= i < len(value):
                size = len(value) if isinstance(value, list) else 0
                raise ValueError(f"${{{expr}}}: {walked} has no item [{i}] ({size} item(s))")
            value = value[i]
            walked = f"{walked}[{i}]"


def resolve(value: Any, scope: dict) -> Any:
    if isinstance(value, str):
        whole = REF.fullmatch(value.strip())
        if whole:
            return lookup(whole.group(1), scope)
        return REF.sub(lambda m: _text(lookup(m.group(1), scope)), value)
    if isinstance(value, dict):
        return {k: resolve(v, scope) for k, v in value.items()}
    if isinstance(value, list):
        return [resolve(v, scope) for v in value]
    return value


def _text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value)
