"""Partial matching of JSON for `expect:`.

objects   match if every expected key matches (other keys are ignored)
lists     match if every expected item matches a different actual item, in any order (extra items allowed);
          use {$len: n} for the size, {$exactly: [...]} for same size any order, {$ordered: [...]} for order
scalars   equal; "1" and 1 are equal (Komet types ids and status inconsistently), booleans are strict
matchers  {$len: n}, {$regex: ...}, {$contains: ...}... each with its meaning and an example in MATCHER_DOCS
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class MatcherDoc:
    """A matcher, what it means, and an example: `expect` (YAML) matches `actual`."""

    meaning: str
    expect: str
    actual: Any


# Every matcher, documented with an example that a test matches (docs/scenarios.md and kasim schema show them).
MATCHER_DOCS: dict[str, MatcherDoc] = {
    "$len": MatcherDoc(
        "the number of items (or characters), or a matcher of that number",
        "{boxes: {$len: 2}, lines: {$len: {$gt: 0}}}",
        {"boxes": ["A1", "A2"], "lines": [{}]},
    ),
    "$exactly": MatcherDoc(
        "a list of exactly these items, in any order (a plain list allows more)",
        "{lines: {$exactly: [{state: shipped}, {state: refused}]}}",
        {"lines": [{"state": "refused"}, {"state": "shipped"}]},
    ),
    "$ordered": MatcherDoc(
        "a list of exactly these items, in this order",
        "{results: {$ordered: [{result: error}, {result: ok}]}}",
        {"results": [{"result": "error"}, {"result": "ok"}]},
    ),
    "$each": MatcherDoc(
        "every item of a list matches",
        "{lines: {$each: {kometStatus: C}}}",
        {"lines": [{"kometStatus": "C", "id": 1}, {"kometStatus": "C", "id": 2}]},
    ),
    "$contains": MatcherDoc(
        "text that contains it (any case), or a list with an item that matches it (for a list of texts: an "
        "item containing the text)",
        "{message: {$contains: quota}, changes: {$contains: {$contains: cancelled}}}",
        {"message": "Daily QUOTA reached", "changes": ["line 7 cancelled by the importer"]},
    ),
    "$regex": MatcherDoc(
        "text (or a number) that a regular expression finds",
        "{number: {$regex: '^729-[0-9]{4}-[0-9]{4}$'}}",
        {"number": "729-3704-9353"},
    ),
    "$gt": MatcherDoc("a number greater than it", "{callsToday: {$gt: 0}}", {"callsToday": 8}),
    "$gte": MatcherDoc(
        "a number greater than or equal to it", "{lotNumber: {$gte: 100000}}", {"lotNumber": "100001"}
    ),
    "$lt": MatcherDoc("a number less than it", "{attempts: {$lt: 3}}", {"attempts": 1}),
    "$lte": MatcherDoc(
        "a number less than or equal to it", "{confirmedBoxes: {$lte: 7}}", {"confirmedBoxes": 7}
    ),
    "$ne": MatcherDoc("anything but this value", "{state: {$ne: refused}}", {"state": "shipped"}),
    "$eq": MatcherDoc(
        "exactly this (useful for a value that looks like a matcher)",
        "{payload: {$eq: {quantity: 1}}}",
        {"payload": {"quantity": 1, "poItemId": 9}},
    ),
    "$in": MatcherDoc("one of these values", "{kometStatus: {$in: [PC, C]}}", {"kometStatus": "PC"}),
    "$type": MatcherDoc(
        "a value of this JSON type: string, number, integer, boolean, object, array or null",
        "{newPOItemId: {$type: integer}, hawb: {$type: null}}",
        {"newPOItemId": 265003, "hawb": None},
    ),
    "$exists": MatcherDoc(
        "false: the field is not there at all (true: it is, whatever its value)",
        "{boxes: {$exists: false}, notes: {$exists: true}}",
        {"notes": ""},
    ),
    "$any": MatcherDoc(
        "anything at all (the field must be there)", "{createdOn: {$any: true}}", {"createdOn": "x"}
    ),
    "$not": MatcherDoc(
        "anything the inner expectation does not match",
        "{lines: {$not: {$contains: {kometStatus: X}}}}",
        {"lines": [{"kometStatus": "C"}]},
    ),
}
MATCHERS = tuple(MATCHER_DOCS)
TYPES: dict[str, type | tuple[type, ...]] = {
    "string": str,
    "number": (int, float),
    "integer": int,
    "boolean": bool,
    "object": dict,
    "array": list,
    "null": type(None),
}


@dataclass
class Mismatch:
    path: str
    message: str

    def __str__(self) -> str:
        return f"at {self.path}: {self.message}"


def is_matcher(value: Any) -> bool:
    return isinstance(value, dict) and len(value) >= 1 and all(k in MATCHERS for k in value)


def match(expected: Any, actual: Any, path: str = "$") -> list[Mismatch]:
    if is_matcher(expected):
        out = []
        for name, arg in expected.items():
            out += _matcher(name, arg, actual, path)
        return out
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return [Mismatch(path, f"expected an object, got {_show(actual)}")]
        out = []
        for key, value in expected.items():
            if is_matcher(value) and "$exists" in value and value["$exists"] is False:
                if key in actual:
                    out.append(Mismatch(f"{path}.{key}", f"expected no {key!r}, got {_show(actual[key])}"))
                continue
            if key not in actual:
                out.append(
                    Mismatch(f"{path}.{key}", f"missing (have: {', '.join(map(str, actual)) or 'nothing'})")
                )
                continue
            out += match(value, actual[key], f"{path}.{key}")
        return out
    if isinstance(expected, list):
        if not isinstance(actual, list):
            return [Mismatch(path, f"expected a list, got {_show(actual)}")]
        return _any_order(expected, actual, path, exact=False)
    if _equal(expected, actual):
        return []
    return [Mismatch(path, f"expected {_show(expected)}, got {_show(actual)}")]


def _equal(a: Any, b: Any) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b or (isinstance(a, bool) and isinstance(b, bool) and a == b)
    if (isinstance(a, int | float) and isinstance(b, str)) or (
        isinstance(b, int | float) and isinstance(a, str)
    ):
        return str(a) == str(b)
    return a == b


def _any_order(expected: list, actual: list, path: str, exact: bool) -> list[Mismatch]:
    if exact and len(expected) != len(actual):
        return [Mismatch(path, f"expected exactly {len(expected)} item(s), got {len(actual)}")]
    # Bipartite matching (augmenting paths): the right pairing is found even when items overlap.
    fits = [[j for j, act in enumerate(actual) if not match(exp, act)] for exp in expected]
    owner: dict[int, int] = {}

    def place(i: int, seen: set) -> bool:
        for j in fits[i]:
            if j in seen:
                continue
            seen.add(j)
            if j not in owner or place(owner[j], seen):
                owner[j] = i
                return True
        return False

    unplaced = [i for i in range(len(expected)) if not place(i, set())]
    out, said = [], set()
    for i in unplaced:
        exp = expected[i]
        if repr(exp) in said:
            continue
        said.add(repr(exp))
        wanted = sum(1 for e in expected if repr(e) == repr(exp))
        found = len(fits[i])
        if found == 0:
            near = match(exp, actual[0], f"{path}[0]") if actual else []
            hint = f"; e.g. {near[0]}" if near else ""
            message = (
                f"expected {wanted} item(s) matching {_show(exp)}, found 0 among {len(actual)} item(s){hint}"
            )
        elif found < wanted:
            message = f"expected {wanted} item(s) matching {_show(exp)}, found {found} among {len(actual)}"
        else:  # enough items fit it, but other expected items need the same ones
            message = (
                f"{found} item(s) match {_show(exp)}, but the {len(expected)} expected items need "
                f"{len(expected)} different items and only {len(expected) - len(unplaced)} could be paired "
                f"(among {len(actual)} item(s))"
            )
        out.append(Mismatch(f"{path}[*]", message))
    return out


def _matcher(name: str, arg: Any, actual: Any, path: str) -> list[Mismatch]:
    def fail(msg: str) -> list[Mismatch]:
        return [Mismatch(path, msg)]

    if name == "$any":
        return []
    if name == "$eq":
        return match(arg, actual, path)
    if name == "$not":
        return (
            fail(f"expected anything but a match of {_show(arg)}, got {_show(actual)}")
            if not match(arg, actual)
            else []
        )
    if name == "$exists":
        return [] if arg else fail(f"expected nothing, got {_show(actual)}")
    if name == "$ne":
        return fail(f"expected anything but {_show(arg)}") if _equal(arg, actual) else []
    if name == "$in":
        return (
            []
            if any(_equal(a, actual) for a in arg)
            else fail(f"expected one of {_show(arg)}, got {_show(actual)}")
        )
    if name == "$type":
        arg = "null" if arg is None else arg  # YAML reads `$type: null` as nothing at all
        ok = isinstance(actual, TYPES[arg]) and not (
            arg in ("number", "integer") and isinstance(actual, bool)
        )
        return [] if ok else fail(f"expected a {arg}, got {_show(actual)} ({type(actual).__name__})")
    if name in ("$gt", "$gte", "$lt", "$lte"):
        try:
            a, b = float(actual), float(arg)
        except (TypeError, ValueError):
            return fail(f"expected a number to compare with {arg}, got {_show(actual)}")
        ok = {"$gt": a > b, "$gte": a >= b, "$lt": a < b, "$lte": a <= b}[name]
        sign = {"$gt": ">", "$gte": "≥", "$lt": "<", "$lte": "≤"}[name]
        return [] if ok else fail(f"expected {sign} {arg}, got {_show(actual)}")
    if name == "$regex":
        return (
            []
            if isinstance(actual, str | int) and re.search(arg, str(actual))
            else fail(f"expected to match /{arg}/, got {_show(actual)}")
        )
    if name == "$contains":
        if isinstance(actual, str):
            return (
                []
                if str(arg).lower() in actual.lower()
                else fail(f"expected to contain {_show(arg)}, got {_show(actual)}")
            )
        if isinstance(actual, list):
            found = any(not match(arg, item) for item in actual) or (
                isinstance(arg, str)
                and any(isinstance(item, str) and arg.lower() in item.lower() for item in actual)
            )
            return [] if found else fail(f"expected an item matching {_show(arg)} among {len(actual)}")
        return fail(f"expected text or a list to search, got {_show(actual)}")
    if name == "$len":
        if not hasattr(actual, "__len__"):
            return fail(f"expected something with a length, got {_show(actual)}")
        return (
            match(arg, len(actual), f"{path}.length")
            if isinstance(arg, dict)
            else ([] if len(actual) == arg else fail(f"expected {arg} item(s), got {len(actual)}"))
        )
    if name == "$each":
        if not isinstance(actual, list):
            return fail(f"expected a list, got {_show(actual)}")
        out = []
        for i, item in enumerate(actual):
            out += match(arg, item, f"{path}[{i}]")
        return out
    if name == "$exactly":
        return (
            _any_order(arg, actual, path, exact=True) if isinstance(actual, list) else fail("expected a list")
        )
    if name == "$ordered":
        if not isinstance(actual, list) or len(actual) != len(arg):
            return fail(f"expected {len(arg)} item(s) in order, got {_show(actual)}")
        out = []
        for i, (e, a) in enumerate(zip(arg, actual, strict=True)):
            out += match(e, a, f"{path}[{i}]")
        return out
    return fail(f"unknown matcher {name}")


def _show(value: Any, limit: int = 120) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"
