"""What a recording holds, in a few lines: when, which methods (calls, refusals, HTTP errors, times), which
tokens, and what Komet showed (POs, lines by status, AWBs) — `kasim recording show`."""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from .format import Exchange, Recording


@dataclass
class MethodStats:
    calls: int = 0
    ok: int = 0
    refused: int = 0
    http_errors: int = 0
    no_reply: int = 0
    ms: list[float] = field(default_factory=list)

    @property
    def median_ms(self) -> float | None:
        return statistics.median(self.ms) if self.ms else None


@dataclass
class Summary:
    file: str
    version: int | None
    target: str | None
    first: str | None
    last: str | None
    methods: dict[str, MethodStats]
    tokens: Counter
    po_numbers: list[str]
    ship_dates: list[str]
    lines: Counter  # lineItemStatus → lines (each line counted once, as last seen)
    awbs: list[str]
    errors: list[str]  # "file:line: method: message"


def summarise(rec: Recording) -> Summary:
    methods: dict[str, MethodStats] = defaultdict(MethodStats)
    tokens: Counter = Counter()
    pos: dict[str, str] = {}
    lines: dict[int, str] = {}
    awbs: dict[str, None] = {}
    errors = []
    for ex in rec.exchanges:
        stats = methods[ex.method or "(not an API method)"]
        stats.calls += 1
        if "ms" in ex.data:
            stats.ms.append(float(ex.data["ms"]))
        tokens[ex.token or "(no token)"] += 1
        if ex.reply is None:
            stats.no_reply += 1
            errors.append(f"{ex.where}: {ex.method}: {ex.data.get('error', 'no reply')}")
            continue
        if ex.reply["status"] >= 400:
            stats.http_errors += 1
        if ex.ok:
            stats.ok += 1
        elif ex.refused:
            stats.refused += 1
            errors.append(f"{ex.where}: {ex.method}: {ex.message}")
        elif ex.reply["status"] >= 400:
            errors.append(f"{ex.where}: {ex.method}: HTTP {ex.reply['status']}")
        _seen(ex, pos, lines, awbs)
    stamps = sorted(ex.at for ex in rec.exchanges)
    return Summary(
        file=rec.file,
        version=rec.header.get("version"),
        target=rec.header.get("target"),
        first=stamps[0] if stamps else None,
        last=stamps[-1] if stamps else None,
        methods=dict(sorted(methods.items())),
        tokens=tokens,
        po_numbers=sorted(pos, key=lambda n: (len(n), n)),
        ship_dates=sorted(set(pos.values())),
        lines=Counter(lines.values()),
        awbs=list(awbs),
        errors=errors,
    )


def _seen(ex: Exchange, pos: dict, lines: dict, awbs: dict) -> None:
    body = ex.body if isinstance(ex.body, dict) else {}
    for po in body.get("purchaseOrders") or []:
        if not isinstance(po, dict):
            continue
        pos[str(po.get("number"))] = str(po.get("shipDate"))
        for line in po.get("details") or []:
            if isinstance(line, dict) and "poItemId" in line:
                lines[line["poItemId"]] = str(line.get("lineItemStatus"))
    for awb in body.get("awbs") or []:
        if isinstance(awb, dict) and awb.get("awb"):
            awbs[str(awb["awb"])] = None
    if ex.method in ("purchase.order.items.awb.add", "purchase.order.item.awb.add"):
        items = ex.params.get("poItems") if ex.method == "purchase.order.items.awb.add" else [ex.params]
        for item in items or []:
            if isinstance(item, dict) and item.get("awb"):
                awbs[str(item["awb"])] = None
