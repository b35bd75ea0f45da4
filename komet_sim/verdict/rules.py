"""The rules any grower integration must obey, each judged on one client's calls as Komet's journal recorded
them. A rule computes what was allowed from the documented contract and from what Komet had told the client
(the replies it received), never by asking komet_sim's domain: a client and a simulator sharing a bug must
not pass together.

Each rule: an id, one sentence of rationale citing the docs, and check(calls, facts) -> [(message, calls)]."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from ..decisions import KOMET_LOT_RANGE
from .calls import SHIP_METHODS, Call, ids, ship_items

Finding = tuple[str, list[Call]]


@dataclass(frozen=True)
class Facts:
    token_methods: dict[int, frozenset[str]]  # token id -> the methods the importer enabled on it
    daily_limit: dict[str, int]  # company (namespace) -> calls per UTC day
    poll_interval: int = 60  # seconds between two reads of the same ship date...
    poll_burst: int = 6  # ...after this many in a row (a person clicking Sync now, a first sync)


@dataclass(frozen=True)
class Rule:
    id: str
    rationale: str
    check: Callable[[list[Call], Facts], list[Finding]]


def token_scope(calls: list[Call], facts: Facts) -> list[Finding]:
    out = []
    for c in calls:
        enabled = facts.token_methods.get(c.caller) if c.caller is not None else None
        if enabled is not None and c.method not in enabled:
            out.append((f"called {c.method}, which its token does not enable", [c]))
    return out


UNKNOWN_TOKEN_CALLS = 3  # a client may notice a refused token after a few calls, not go on for ever
UNKNOWN_TOKEN_PAUSE = timedelta(minutes=1)


def refused_token_backoff(calls: list[Call], facts: Facts) -> list[Finding]:
    """Calls Komet could not tie to any token it holds and refused: the client's token is gone."""
    out = []
    streak: list[Call] = []
    for c in calls:
        unknown = c.caller is None and c.refused and c.namespace is None
        if not unknown:
            if c.caller is not None:
                streak = []  # the client has a working token again
            continue
        if streak and c.at - streak[-1].at >= UNKNOWN_TOKEN_PAUSE:
            streak = []
        streak.append(c)
        if len(streak) == UNKNOWN_TOKEN_CALLS + 1:
            out.append(
                (
                    f"went on calling with a token Komet refused: {len(streak)} calls in under a minute",
                    [streak[0], c],
                )
            )
    return out


def retry_after(calls: list[Call], facts: Facts) -> list[Finding]:
    """The next call of the method Komet rate-limited must wait what Retry-After asked."""
    out = []
    for i, c in enumerate(calls):
        if c.http != 429:
            continue
        wait = timedelta(seconds=c.retry_after or 0)
        nxt = next((n for n in calls[i + 1 :] if n.method == c.method), None)
        if nxt is not None and nxt.at - c.at < wait:
            waited = (nxt.at - c.at).total_seconds()
            out.append((f"called {c.method} again {waited:g}s after a 429 asking {wait.seconds}s", [c, nxt]))
    return out


QUOTA_GRACE = 3  # calls a person may still cause (Sync now, Test connection) once the day's quota is spent


def daily_quota(calls: list[Call], facts: Facts) -> list[Finding]:
    out = []
    used: dict[tuple, int] = {}
    spent: dict[tuple, list[Call]] = {}  # (company, day) -> the quota refusal and the calls after it
    for c in calls:
        limit = facts.daily_limit.get(c.namespace) if c.namespace else None
        if limit is None:
            continue
        day = (c.namespace, c.at.date())
        if day in spent:
            spent[day].append(c)
            if len(spent[day]) == QUOTA_GRACE + 2:
                message = (
                    f"called {QUOTA_GRACE + 1} more times on {c.at.date()} after the daily quota of {limit} "
                    "was spent"
                )
                out.append((message, [spent[day][0], c]))
            continue
        if c.ok:
            used[day] = used.get(day, 0) + 1
        elif c.refused and used.get(day, 0) >= limit:
            spent[day] = [c]  # refused with every call of the day used: the quota refusal
    return out


WRITES_NEEDING_READ_BACK = SHIP_METHODS | {"box.code.change"}


def _touches(c: Call) -> set:
    if c.method in SHIP_METHODS:
        return {("line", i) for item in ship_items(c) for i in ids(item.get("poItemId"))}
    if c.method == "box.code.change":
        boxes = c.params.get("boxes")
        return (
            {("box", str(b.get("currentBoxCode"))) for b in boxes if isinstance(b, dict)}
            if isinstance(boxes, list)
            else set()
        )
    return set()


def _reads_back(c: Call, pending: set) -> set:
    """What of `pending` a purchase.order.list read shows the client again (lines and their boxes)."""
    if c.method != "purchase.order.list" or not c.ok:
        return set()
    seen = set()
    for po in c.reply.get("purchaseOrders") or []:
        for d in po.get("details") or []:
            seen.add(("line", d.get("poItemId")))
            for b in d.get("boxes") or []:
                seen.add(("box", str(b.get("boxCode"))))
    return pending & seen


def no_blind_retry(calls: list[Call], facts: Facts) -> list[Finding]:
    out = []
    unsure: dict[tuple, Call] = {}  # what a write without a seen reply touched -> that write
    for c in calls:
        for key in _reads_back(c, set(unsure)):
            unsure.pop(key)
        if c.method not in WRITES_NEEDING_READ_BACK:
            continue
        touched = _touches(c)
        blind = [unsure[k] for k in sorted(touched & set(unsure), key=str)]
        if blind:
            out.append(
                (
                    f"sent {c.method} again without reading the lines back after a reply it never saw",
                    [blind[0], c],
                )
            )
        if not c.answered:
            unsure.update(dict.fromkeys(touched, c))
    return out


def _held_codes_after(c: Call, held: dict[str, Call]) -> None:
    """Komet's replies say which codes it now holds: shipped boxes, and codes changed."""
    if c.http is None or c.http != 200:
        return
    if c.method == "purchase.order.item.awb.add" and str(c.reply.get("status")) == "1":
        for code in c.reply.get("boxCodes") or []:
            held[str(code)] = c
    if c.method == "purchase.order.items.awb.add":
        for r in c.reply.get("purchaseOrderItemDetailsAWBAddAPIResultList") or []:
            if str(r.get("status")) == "1":
                for code in r.get("boxCodes") or []:
                    held[str(code)] = c
    if c.method == "box.code.change":
        sent = {
            str(b.get("newBoxCode")): str(b.get("currentBoxCode"))
            for b in c.params.get("boxes") or []
            if isinstance(b, dict)
        }
        for r in c.reply.get("boxes") or []:
            new = str(r.get("newBoxCode"))
            if str(r.get("status")) == "1" and new in sent:
                held.pop(sent[new], None)
                held[new] = c


def box_code_unique(calls: list[Call], facts: Facts) -> list[Finding]:
    out = []
    held: dict[str, Call] = {}
    for c in calls:
        sent = [str(code) for item in ship_items(c) for code in item.get("boxCodes") or []]
        if c.method == "box.code.change":
            sent = [str(b.get("newBoxCode")) for b in c.params.get("boxes") or [] if isinstance(b, dict)]
        taken = [code for code in sent if code in held]
        if taken:
            out.append((f"sent box code {taken[0]}, which Komet already holds", [held[taken[0]], c]))
        _held_codes_after(c, held)
    return out


def lot_range(calls: list[Call], facts: Facts) -> list[Finding]:
    low, high = KOMET_LOT_RANGE
    out = []
    for c in calls:
        for item in ship_items(c):
            lot = str(item.get("lotNumber") or "").strip()
            if lot.isdigit() and low <= int(lot) <= high:
                out.append((f"sent lot number {lot}, inside Komet's own range {low}–{high}", [c]))
                break
    return out


CANCELLED_LINE, CANCELLED_PO = "X", "CA"


def confirm_what_was_ordered(calls: list[Call], facts: Facts) -> list[Finding]:
    out = []
    seen: dict[
        int, tuple[dict, str, Call]
    ] = {}  # poItemId -> (line, its PO's status, the read that showed it)
    deleted: dict[int, Call] = {}
    for c in calls:
        if c.method == "purchase.order.list" and c.ok:
            for po in c.reply.get("purchaseOrders") or []:
                for d in po.get("details") or []:
                    if isinstance(d.get("poItemId"), int):
                        seen[d["poItemId"]] = (d, str(po.get("status")), c)
        if c.method == "purchase.order.item.delete" and c.ok:
            for i in ids(c.params.get("poItemId")):
                deleted[i] = c
        if c.method != "purchase.order.item.confirm":
            continue
        item = next(iter(ids(c.params.get("poItemId"))), None)
        wanted = c.params.get("quantityConfirmed")
        if item in deleted:
            out.append((f"confirmed line {item} after deleting it", [deleted[item], c]))
        elif item in seen:
            line, po_status, read = seen[item]
            if str(line.get("lineItemStatus")) == CANCELLED_LINE or po_status == CANCELLED_PO:
                out.append((f"confirmed line {item}, which Komet had shown it cancelled", [read, c]))
            elif (
                isinstance(wanted, int)
                and isinstance(line.get("totalBoxes"), int)
                and wanted > line["totalBoxes"]
            ):
                out.append(
                    (f"confirmed {wanted} boxes of line {item}, ordered {line['totalBoxes']}", [read, c])
                )
    return out


def use_new_line_after_split(calls: list[Call], facts: Facts) -> list[Finding]:
    out = []
    split: dict[int, tuple[int, Call]] = {}  # shipped line -> (the new line holding the rest, the reply)
    for c in calls:
        if c.method == "purchase.order.item.confirm":
            for i in ids(c.params.get("poItemId")):
                if i in split:
                    out.append(
                        (
                            f"confirmed line {i} after Komet moved its rest to line {split[i][0]}",
                            [split[i][1], c],
                        )
                    )
        elif c.method in SHIP_METHODS:
            for item in ship_items(c):
                for i in ids(item.get("poItemId")):
                    if i in split and c.answered:
                        out.append(
                            (
                                f"shipped line {i} again after Komet moved its rest to line {split[i][0]}",
                                [split[i][1], c],
                            )
                        )
        if c.method == "purchase.order.item.awb.add" and c.ok and c.reply.get("newPOItemId"):
            for i in ids(c.params.get("poItemId")):
                split[i] = (int(c.reply["newPOItemId"]), c)
        if c.method == "purchase.order.items.awb.add" and c.answered:
            for r in c.reply.get("purchaseOrderItemDetailsAWBAddAPIResultList") or []:
                if str(r.get("status")) == "1" and r.get("newPOItemId"):
                    split[int(r["poItemId"])] = (int(r["newPOItemId"]), c)
    return out


def poll_interval(calls: list[Call], facts: Facts) -> list[Finding]:
    out = []
    window = timedelta(seconds=facts.poll_interval)
    recent: dict[str, list[Call]] = {}
    for c in calls:
        if c.method != "purchase.order.list" or not c.params.get("date"):
            continue
        day = str(c.params["date"])
        kept = [p for p in recent.get(day, []) if c.at - p.at < window * facts.poll_burst] + [c]
        recent[day] = kept
        if len(kept) == facts.poll_burst + 1:
            out.append(
                (
                    f"read the POs of {day} {len(kept)} times within {facts.poll_interval * facts.poll_burst}s",
                    [kept[0], c],
                )
            )
    return out


RULES: tuple[Rule, ...] = (
    Rule(
        "token-scope",
        "A token carries the methods the importer ticked when making it; a client calls only those "
        "(docs/komet-api.md §1.8, docs/decisions.md K4).",
        token_scope,
    ),
    Rule(
        "refused-token-backoff",
        "A deleted token fails at once and for good, so a client stops using it instead of hammering Komet "
        "(docs/decisions.md K4, A8).",
        refused_token_backoff,
    ),
    Rule(
        "retry-after",
        "A 429 says in Retry-After how long to wait before calling that method again; calling sooner only "
        "prolongs the refusal (docs/decisions.md K3).",
        retry_after,
    ),
    Rule(
        "daily-quota",
        "Past the company's daily quota every call is refused until the next UTC day, so a client waits for it "
        "(docs/komet-api.md §1.6, docs/decisions.md K5, A7).",
        daily_quota,
    ),
    Rule(
        "no-blind-retry",
        "A ship or box-code change whose reply was lost may have happened: the client reads the lines back "
        "before sending it again (docs/decisions.md K8, A6).",
        no_blind_retry,
    ),
    Rule(
        "box-code-unique",
        "Box codes are unique per company: a code Komet already holds is refused, and sending one is a "
        "double shipment or a reused label (docs/decisions.md K8, K9).",
        box_code_unique,
    ),
    Rule(
        "lot-number-range",
        "Komet keeps lot numbers 1000–99999 for itself; a grower's own lots stay outside them "
        "(docs/komet-api.md A3, docs/decisions.md K8).",
        lot_range,
    ),
    Rule(
        "confirm-what-was-ordered",
        "A confirmation sets at most the ordered boxes of a live line; cancelled and deleted lines take none "
        "(docs/komet-api.md A2, docs/decisions.md K7, K10).",
        confirm_what_was_ordered,
    ),
    Rule(
        "use-new-line-after-split",
        "Shipping fewer boxes than ordered moves the rest to a new line (newPOItemId); the rest is that line's "
        "from then on (docs/komet-api.md A3, docs/decisions.md K8).",
        use_new_line_after_split,
    ),
    Rule(
        "poll-interval",
        "Komet has no webhook, so growers poll purchase.order.list; a ship date read again and again within a "
        "short time wastes the company's quota (docs/komet-api.md §4, docs/decisions.md K5).",
        poll_interval,
    ),
)
