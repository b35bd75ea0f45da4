"""${...} in scenario values: a variable, or a JMESPath into one (${awb.number}, ${world.vendors[0].id}).
A value that is exactly one ${...} keeps its type; inside text it is formatted as text."""

from __future__ import annotations

import json
import re
from typing import Any

import jmespath
from jmespath.exceptions import JMESPathError

REF = re.compile(r"\$\{([^}]+)\}")
ROOT = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_]*)")


class Undefined(KeyError):
    def __init__(self, name: str, known: list[str]):
        super().__init__(name)
        self.name = name
        self.known = known

    def __str__(self) -> str:
        return f"undefined variable {self.name!r} (defined: {', '.join(sorted(self.known)) or 'none yet'})"


def roots(value: Any) -> list[str]:
    """Variable names a value refers to (for the validator's check that each is defined before use)."""
    found: list[str] = []
    if isinstance(value, str):
        for expr in REF.findall(value):
            m = ROOT.match(expr)
            if m:
                found.append(m.group(1))
    elif isinstance(value, dict):
        for v in value.values():
            found += roots(v)
    elif isinstance(value, list):
        for v in value:
            found += roots(v)
    return found


def lookup(expr: str, scope: dict) -> Any:
    m = ROOT.match(expr)
    if not m or m.group(1) not in scope:
        raise Undefined(m.group(1) if m else expr, list(scope))
    try:
        value = jmespath.search(expr, scope)
    except JMESPathError as exc:
        raise ValueError(f"cannot read ${{{expr}}}: {exc}") from None
    if value is None and SIMPLE_PATH.match(expr.strip()):
        _explain_missing(expr.strip(), scope)  # a typo (${awb.numbr}) must not quietly become null
    return value


SIMPLE_PATH = re.compile(r"^[A-Za-z_]\w*(\.[A-Za-z_]\w*|\[-?\d+\])*$")
_PART = re.compile(r"\.?([A-Za-z_]\w*)|\[(-?\d+)\]")


def _explain_missing(expr: str, scope: dict) -> None:
    """Walk a plain path; raise if a key or index is not there (a key that is there with null is fine)."""
    value: Any = scope
    walked = ""
    for key, index in _PART.findall(expr):
        if key:
            if not isinstance(value, dict) or key not in value:
                have = (
                    ", ".join(sorted(map(str, value)))[:200]
                    if isinstance(value, dict)
                    else type(value).__name__
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
