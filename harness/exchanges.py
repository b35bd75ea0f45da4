"""Checks on what went over the wire, from both journals: no server error (any 5xx or "Internal error" that
no fault injected), no Komet refusal a correct grower never provokes, and the daily quota counting exactly
what the documented rule says (K5: a call counts when Komet answers it with status 1)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from . import oracles

if TYPE_CHECKING:
    from harness.context import Ctx

GROWER_AGENT = "asinfo-sim/"


def journals(ctx: Ctx) -> dict[str, list[dict]]:
    """Both journals of this scenario's namespaces (the grower's account; the importer's company)."""
    with ctx.looking_up():
        komet = _entries(ctx, "komet", ctx.komet, str(ctx.company["companyId"]))
        account = ctx.grower.get("account") if ctx.grower else None
        asinfo = _entries(ctx, "asinfo", ctx.asinfo, str(account["accountId"])) if account else []
    return {"komet": komet, "asinfo": asinfo}


def _entries(ctx: Ctx, app: str, client, namespace: str) -> list[dict]:
    """Every entry of one namespace's journal. A journal numbers its entries and never changes one it has
    written, so what a scenario read before is kept and only the entries after the last one read are asked for
    (the property machine checks after every step: reading the whole journal each time grows with the run)."""
    kept_namespace, entries = ctx.journals_read.get(app, (None, []))
    if kept_namespace == namespace and entries:
        # From the last entry read on: if it is gone, the journal was cleared (a reset) and is read again.
        last = entries[-1]["seq"]
        newer = ctx.topo.journal_since(client, last - 1, namespace)
        if newer and newer[0]["seq"] == last:
            entries = entries + newer[1:]
        else:
            entries = ctx.topo.journal_since(client, 0, namespace)
    else:
        entries = ctx.topo.journal_since(client, 0, namespace)
    ctx.journals_read[app] = (namespace, entries)
    return entries


def check(komet_tables: dict, logs: dict[str, list[dict]], one_clock: bool = True) -> list[str]:
    """one_clock: both journals' ticks come from one clock (not on live servers), so they can be ordered."""
    problems = server_errors(logs) + avoidable_refusals(logs["komet"]) + quota(komet_tables, logs["komet"])
    if one_clock:
        problems += refusals_of_what_the_grower_knew(komet_tables, logs)
    return problems


def good_sync_spans(asinfo_entries: list[dict]) -> list[tuple[int, int]]:
    """(begin, end) ticks of each sync that went through, oldest first."""
    return [
        (e["begin"], e.get("end", e["begin"]))
        for e in asinfo_entries
        if e.get("direction") == "in"
        and re.fullmatch(r"/api/connections/\d+/sync", e["request"]["path"])
        and ((_response(e).get("body") or {}).get("syncs") or [{}])[0].get("result") == "ok"
    ]


def good_syncs(asinfo_entries: list[dict], ended_before: int | None = None) -> list[int]:
    """When each sync that went through began (its ticks), oldest first; with ended_before, only the syncs
    that had ended by then (a sync still waiting on Komet's reply when a write was sent had told the grower
    nothing yet)."""
    return [b for b, e in good_sync_spans(asinfo_entries) if ended_before is None or e < ended_before]


def others_writes(komet_tables: dict, komet_entries: list[dict], late: bool = False) -> list[tuple[int, set]]:
    """(tick, Komet line ids) of every write to Komet that was not an answered write of the grower's: the
    importer's actions (a PO-level one touches every line of the PO), Komet calls by anyone but the grower
    system (another of the grower's systems with its token, a script) and, with late=True, requests Komet
    processed only after their client gave up. The grower hears of them only through its next sync."""
    lines_of = _line_finder(komet_tables)
    return [
        (e.get("begin", 0), lines_of(e))
        for e in komet_entries
        if (_written_by_others(e) and e["request"]["method"] != "GET") or (late and e.get("late"))
    ]


def own_writes(komet_tables: dict, komet_entries: list[dict]) -> list[tuple[int, int, set]]:
    """(begin, end, Komet line ids) of every write the grower system sent to Komet's API."""
    lines_of = _line_finder(komet_tables)
    return [
        (e.get("begin", 0), e.get("end", e.get("begin", 0)), lines_of(e))
        for e in komet_entries
        if e["request"]["path"].startswith("/api/")
        and e["request"]["method"] != "GET"
        and not _written_by_others(e)
    ]


def shipped_by_others(komet_tables: dict, komet_entries: list[dict]) -> set[int]:
    """Komet lines someone other than the grower system shipped or relabelled through Komet's API (with the
    grower's token, from another of its systems): those boxes were never the grower system's to know."""
    lines_of = _line_finder(komet_tables)
    touched: set[int] = set()
    for e in komet_entries:
        path = e["request"]["path"]
        body = _response(e).get("body")
        if (
            path.startswith("/api/")
            and _written_by_others(e)
            and e["request"]["method"] != "GET"
            and _box_codes(e["request"].get("body"))
            and isinstance(body, dict)
            and str(body.get("status")) == "1"
        ):
            touched |= lines_of(e)
    return touched


def _written_by_others(entry: dict) -> bool:
    path, agent = entry["request"]["path"], str(entry.get("agent", ""))
    return path.startswith("/__sim/komet/") or (
        path.startswith("/api/") and not agent.startswith(GROWER_AGENT)
    )


def _line_finder(komet_tables: dict):
    """entry → the Komet line ids its path and body name (a PO id names every line of the PO)."""
    by_po: dict[int, set[int]] = {}
    for item in komet_tables["po_items"]:
        by_po.setdefault(item["po_id"], set()).add(item["id"])
    ids = {i["id"] for i in komet_tables["po_items"]}

    def lines_of(entry: dict) -> set[int]:
        items: set[int] = set()
        for n in map(int, re.findall(r"\d+", f"{entry['request']['path']} {entry['request'].get('body')}")):
            items |= by_po.get(n, set()) | ({n} & ids)
        return items

    return lines_of


def refusals_of_what_the_grower_knew(komet_tables: dict, logs: dict[str, list[dict]]) -> list[str]:
    """A confirmation or shipment Komet refused because the line is cancelled, or orders fewer boxes, is a
    finding when the grower's last sync before it already showed that (nobody changed the line since)."""
    changes = others_writes(komet_tables, logs["komet"])
    problems = []
    for e in logs["komet"]:
        # A late arrival (processed after its client gave up) was sent before it is journaled: what the
        # grower knew when it sent it is not what its syncs showed by the time Komet processed it.
        if not str(e.get("agent", "")).startswith(GROWER_AGENT) or e.get("late"):
            continue
        for item, message in _refused_lines(e):
            what = next((w for m, w in KNOWN_REFUSALS.items() if m in message.lower()), None)
            before = good_syncs(logs["asinfo"], ended_before=e.get("begin", 0))
            if what is None or not before:
                continue
            if not any(before[-1] <= tick <= e["begin"] and item in items for tick, items in changes):
                problems.append(
                    f"the grower sent {what} (line {item}, as its last sync showed): Komet refused {_where(e)}"
                )
    return problems


# Komet's refusals of a line the grower's own last sync described (K7, K8).
KNOWN_REFUSALS = {
    "cannot be greater than the boxes ordered": "more boxes than the line orders",
    "is cancelled": "a write to a cancelled line",
}


def _refused_lines(entry: dict) -> list[tuple[int, str]]:
    """(Komet line id, refusal) for each line the request was refused for."""
    body = _response(entry).get("body")
    if not isinstance(body, dict):
        return []
    sent = entry["request"].get("body") or {}
    results = body.get("purchaseOrderItemDetailsAWBAddAPIResultList")
    if isinstance(results, list):
        return [
            (int(r["poItemId"]), str(r.get("message", "")))
            for r in results
            if str(r.get("status")) == "0" and str(r.get("poItemId", "")).isdigit()
        ]
    if str(body.get("status")) == "0" and isinstance(sent, dict) and str(sent.get("poItemId", "")).isdigit():
        return [(int(sent["poItemId"]), str(body.get("message", "")))]
    return []


def _response(entry: dict) -> dict:
    return entry.get("response") or {}


def _where(entry: dict) -> str:
    return f"{entry['request']['method']} {entry['request']['path']} (journal #{entry['seq']})"


def server_errors(logs: dict[str, list[dict]]) -> list[str]:
    return [
        f"{app} answered HTTP {found[0]} to {_where(e)}: {found[1]}"
        for app, entries in logs.items()
        for e in entries
        if (found := _once(e, "server_error", _server_error)) is not None
    ]


def _server_error(e: dict) -> tuple[int, str] | None:
    """(status, the start of the reply) when an entry is a server error no fault injected."""
    if e.get("direction") != "in" or e.get("fault") in ("error", "rate_limit"):
        return None
    status = _response(e).get("status") or 0
    body = _response(e).get("body")
    if "internal error" in _reply_text(e) or (status >= 500 and not _gateway_answer(status, body)):
        return status, str(body)[:120]
    return None


# id(entry) -> (the entry, what the checks worked out from it): the checks run after every step of an
# exploration over every entry of both journals, and an entry never changes once written.
_DERIVED: dict[int, tuple[dict, dict[str, Any]]] = {}


def _once(entry: dict, what: str, derive: Callable[[dict], Any]) -> Any:
    """derive(entry), worked out once per entry (the entry is held, so its id is not another's while kept)."""
    kept = _DERIVED.get(id(entry))
    if kept is None or kept[0] is not entry:
        if len(_DERIVED) > 100_000:
            _DERIVED.clear()
        kept = _DERIVED[id(entry)] = (entry, {})
    values = kept[1]
    if what not in values:
        values[what] = derive(entry)
    return values[what]


def _reply_text(entry: dict) -> str:
    """An entry's reply body as lower-case text."""
    text: str = _once(entry, "text", lambda e: str(_response(e).get("body")).lower())
    return text


def _gateway_answer(status: int, body) -> bool:
    """ASINFO's own answer that Komet is unavailable (502/503/504 with its error object): by design, not a
    crash."""
    error = body.get("error") if isinstance(body, dict) else None
    return status in (502, 503, 504) and isinstance(error, dict) and bool(error.get("code"))


def avoidable_refusals(komet_entries: list[dict]) -> list[str]:
    """Komet's refusals of the grower's own requests that a correct grower never provokes. A box code someone
    else sent to Komet first (the importer, another system using the grower's token) is not the grower's
    doing: it could not know the code was taken."""
    problems = []
    others: set[str] = set()
    for e in komet_entries:
        if not str(e.get("agent", "")).startswith(GROWER_AGENT):
            others |= _box_codes(e["request"].get("body"))
            continue
        found = _once(e, "avoidable", _avoidable)
        if found is not None:
            marker, what = found
            if marker == oracles.CODE_TAKEN and _box_codes(e["request"].get("body")) & others:
                continue
            problems.append(f"the grower sent {what}: Komet refused {_where(e)}")
    return problems


def _avoidable(e: dict) -> tuple[str, str] | None:
    """(marker, what the grower sent) of the first avoidable refusal the reply carries."""
    text = _reply_text(e)
    return next(((m, w) for m, w in oracles.AVOIDABLE_REFUSALS.items() if m in text), None)


def _counted(e: dict) -> tuple[str, int]:
    """(UTC day, calls the documented rule counts against the quota) of one entry."""
    path = e["request"]["path"]
    if e.get("direction") != "in" or not path.startswith("/api/") or path == "/api/login":
        return "", 0  # not a token call (login), or not Komet's API: the quota is per token call
    calls = 0
    for reply in (_response(e), e.get("duplicate") or {}):
        body = reply.get("body")
        if reply.get("status") == 200 and isinstance(body, dict) and str(body.get("status")) == "1":
            calls += 1
    return e["at"][:10], calls


def _box_codes(body: object) -> set[str]:
    """Every box code a request body sends to Komet (boxCodes lists and newBoxCode, at any depth)."""
    if isinstance(body, list):
        return set().union(*map(_box_codes, body)) if body else set()
    if not isinstance(body, dict):
        return set()
    found = {str(c) for c in body.get("boxCodes") or [] if isinstance(body.get("boxCodes"), list)}
    if isinstance(body.get("newBoxCode"), str):
        found.add(body["newBoxCode"])
    return found.union(*(_box_codes(v) for v in body.values() if isinstance(v, (dict, list))))


def quota(komet_tables: dict, komet_entries: list[dict]) -> list[str]:
    """Komet's count of today's calls (per UTC day) equals the calls it answered with status 1."""
    expected: Counter = Counter()
    for e in komet_entries:
        day, calls = _once(e, "counted", _counted)
        if calls:
            expected[day] += calls
    counted = Counter({r["day"]: r["calls"] for r in komet_tables.get("quota", [])})
    return [
        f"Komet counted {counted[day]} call(s) against the daily quota on {day}; the documented rule "
        f"(a call counts when answered with status 1) gives {expected[day]}"
        for day in sorted(set(expected) | set(counted))
        if expected[day] != counted[day]
    ]
