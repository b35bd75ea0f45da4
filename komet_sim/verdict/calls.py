"""The journal as the verdict reads it: one Call per request a client made to /api, parsed from what the
journal recorded (not from the domain's own records), grouped by client."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

HARNESS_AGENT = "kasim-harness"  # kasim's own steps (komet.call) test Komet on purpose: not a client judged
UNANSWERED_FAULTS = frozenset({"timeout", "reset", "lost_response", "late", "hold"})


@dataclass
class Call:
    seq: int
    at: datetime
    method: str
    params: dict
    namespace: str | None
    agent: str
    caller: int | None  # the token's id when Komet knew the token
    http: int | None  # None: the client got no reply at all
    reply: dict = field(default_factory=dict)
    fault: str | None = None
    retry_after: int | None = None

    @property
    def client(self) -> tuple[str | None, str]:
        return self.namespace, self.agent

    @property
    def answered(self) -> bool:
        """The client saw Komet's reply (a dropped, held or timed-out one it never saw)."""
        return self.http is not None and self.fault not in UNANSWERED_FAULTS and self.http < 500

    @property
    def ok(self) -> bool:
        return self.answered and self.http == 200 and str(self.reply.get("status")) == "1"

    @property
    def refused(self) -> bool:
        return self.answered and self.http == 200 and str(self.reply.get("status")) == "0"

    def evidence(self) -> dict:
        return {
            "seq": self.seq,
            "at": self.at.isoformat(),
            "method": self.method,
            "params": {k: v for k, v in self.params.items() if k != "authenticationToken"},
            "http": self.http,
            "status": self.reply.get("status") if self.answered else None,
            "message": self.reply.get("message") if self.answered else None,
            **({"fault": self.fault} if self.fault else {}),
        }


def calls(entries: list[dict]) -> list[Call]:
    """The /api requests of clients other than kasim's own steps, in the order Komet received them."""
    out = []
    for e in entries:
        request = e.get("request") or {}
        path = str(request.get("path") or "")
        if not path.startswith("/api/") or e.get("late") or str(e.get("agent", "")).startswith(HARNESS_AGENT):
            continue
        params: dict[str, Any] = dict(request.get("query") or {})
        if isinstance(request.get("body"), dict):
            params.update(request["body"])
        response = e.get("response")
        reply = response.get("body") if response else None
        out.append(
            Call(
                seq=e["seq"],
                at=datetime.fromisoformat(e["at"]),
                method=path[len("/api/") :],
                params=params,
                namespace=None if e.get("namespace") is None else str(e["namespace"]),
                agent=str(e.get("agent") or ""),
                caller=e.get("caller"),
                http=response.get("status") if response else None,
                reply=reply if isinstance(reply, dict) else {},
                fault=e.get("fault"),
                retry_after=response.get("retryAfter") if response else None,
            )
        )
    return out


def by_client(found: list[Call]) -> dict[tuple, list[Call]]:
    groups: dict[tuple, list[Call]] = defaultdict(list)
    for c in found:
        groups[c.client].append(c)
    return groups


def ids(value: Any) -> list[int]:
    """poItemIds from a parameter that may be a number, a string, or comma-separated."""
    if isinstance(value, bool) or value is None:
        return []
    if isinstance(value, int):
        return [value]
    return [int(p) for p in str(value).split(",") if p.strip().isdigit()]


def ship_items(call: Call) -> list[dict]:
    """The lines a ship call sends (one for item.awb.add, several for items.awb.add)."""
    if call.method == "purchase.order.item.awb.add":
        return [call.params]
    if call.method == "purchase.order.items.awb.add":
        items = call.params.get("poItems")
        return [i for i in items if isinstance(i, dict)] if isinstance(items, list) else []
    return []


SHIP_METHODS = frozenset({"purchase.order.item.awb.add", "purchase.order.items.awb.add"})
