"""What `kasim import` reads: recordings, or `purchase.order.list` replies saved from a real Komet (a grower's
logs), as one list of exchanges in order, each able to say the line of any field it holds.

A saved reply may be a JSON document (one reply, a list of replies, or a bare list of POs) or JSON Lines (one
reply per line). It becomes an exchange of `purchase.order.list` by a token made for the import, asked by
ship date when all its POs share one, else by their numbers.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..source import Problem
from ..source import load as load_yaml
from . import format as fmt
from .redaction import placeholder

IMPORT_TOKEN = placeholder("kasim import: saved purchase.order.list replies")
METHOD = "purchase.order.list"


@dataclass
class Located(fmt.Exchange):
    """An exchange from a saved JSON document: `line_of` finds each field's own line in it."""

    source: Any = None  # harness.source.Source
    prefix: tuple = ()
    unwrap: bool = False  # a bare list of POs: purchaseOrders[i] is the document's [i]

    def line_of(self, path: tuple) -> int:
        if self.source is None:
            return self.line
        if self.unwrap and path[:1] == ("purchaseOrders",):
            path = path[1:]
        return self.source.line(self.prefix + tuple(path))


def line_of(ex: fmt.Exchange, path: tuple) -> int:
    """The line of a field of an exchange's reply body (a recording's line is the exchange's)."""
    return ex.line_of(path) if isinstance(ex, Located) else ex.line


def load(paths: list[str]) -> tuple[list[fmt.Exchange], list[Problem]]:
    exchanges: list[fmt.Exchange] = []
    problems: list[Problem] = []
    for path in paths:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(Problem(path, 1, f"cannot read: {exc}"))
            continue
        first = next((line for line in text.splitlines() if line.strip()), "")
        if fmt.is_recording(first):
            rec = fmt.parse(text, path)
            problems += rec.problems
            exchanges += rec.exchanges
        else:
            found, trouble = _saved_replies(path, text)
            exchanges += found
            problems += trouble
    for n, ex in enumerate(exchanges, start=1):
        ex.data = {**ex.data, "order": n}  # the order across files; each keeps its own seq and line
    return exchanges, problems


def _saved_replies(path: str, text: str) -> tuple[list[fmt.Exchange], list[Problem]]:
    try:
        source = load_yaml(path)  # JSON is YAML: every field's line comes with it
        document = source.data
    except (yaml.YAMLError, ValueError, Problem):
        source, document = None, None
    if source is not None and isinstance(document, dict | list):
        items: list[tuple[Any, tuple, bool]]
        if isinstance(document, dict):
            items = [(document, (), False)]
        elif document and all(isinstance(d, dict) and "details" in d for d in document):
            items = [({"status": "1", "message": "OK", "purchaseOrders": document}, (), True)]
        else:
            items = [(d, (i,), False) for i, d in enumerate(document)]
        out: list[fmt.Exchange] = []
        problems: list[Problem] = []
        for body, prefix, unwrap in items:
            ex = _reply(body, path, source.line(prefix), problems)
            if ex is not None:
                out.append(Located(ex.data, ex.line, path, source, prefix, unwrap))
        return out, problems
    lines: list[fmt.Exchange] = []
    trouble: list[Problem] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            body = json.loads(raw)
        except ValueError as exc:
            trouble.append(Problem(path, number, f"neither a recording nor saved replies: not JSON: {exc}"))
            continue
        ex = _reply(body, path, number, trouble)
        if ex is not None:
            lines.append(ex)
    return lines, trouble


def _reply(body: Any, path: str, line: int, problems: list[Problem]) -> fmt.Exchange | None:
    if not isinstance(body, dict) or not isinstance(body.get("purchaseOrders"), list):
        problems.append(
            Problem(path, line, "not a purchase.order.list reply: expected an object with purchaseOrders[]")
        )
        return None
    pos = [p for p in body["purchaseOrders"] if isinstance(p, dict)]
    dates = {str(p.get("shipDate")) for p in pos}
    query = (
        {"date": dates.pop()} if len(dates) == 1 else {"number": ",".join(str(p.get("number")) for p in pos)}
    )
    stamps = sorted(str(p.get("updatedOn")) for p in pos if fmt_stamp(p.get("updatedOn")))
    at = stamps[-1] if stamps else "2000-01-01T00:00:00"
    data = {
        "seq": line,
        "at": at,
        "method": METHOD,
        "token": IMPORT_TOKEN,
        "request": {
            "verb": "GET",
            "path": f"/api/{METHOD}",
            "query": {**query, "authenticationToken": IMPORT_TOKEN},
            "body": None,
        },
        "reply": {"status": 200, "contentType": "application/json", "body": body},
        "saved": True,
    }
    return fmt.Exchange(data, line, path)


def fmt_stamp(value: Any) -> bool:
    return isinstance(value, str) and len(value) == 19 and value[10] == "T"
