"""Checks on what went over the wire, from both journals: no server error (any 5xx or "Internal error" that
no fault injected), no Komet refusal a correct grower never provokes, and the daily quota counting exactly
what the documented rule says (K5: a call counts when Komet answers it with status 1)."""

from __future__ import annotations

import re
from collections import Counter

from . import oracles

GROWER_AGENT = "asinfo-sim/"


def journals(ctx) -> dict[str, list[dict]]:
    """Both journals of this scenario's namespaces (the grower's account; the importer's company)."""
    with ctx.looking_up():
        komet = ctx.komet.journal_entries(str(ctx.company["companyId"]))
        account = ctx.grower.get("account") if ctx.grower else None
        asinfo = ctx.asinfo.journal_entries(str(account["accountId"])) if account else []
    return {"komet": komet, "asinfo": asinfo}


def check(komet_tables: dict, logs: dict[str, list[dict]], one_clock: bool = True) -> list[str]:
    """one_clock: both journals' ticks come from one clock (not on live servers), so they can be ordered."""
    problems = server_errors(logs) + avoidable_refusals(logs["komet"]) + quota(komet_tables, logs["komet"])
    if one_clock:
        problems += refusals_of_what_the_grower_knew(komet_tables, logs)
    return problems


def good_syncs(asinfo_entries: list[dict]) -> list[int]:
    """When each sync that went through began (its ticks), oldest first."""
    return [
        e["begin"]
        for e in asinfo_entries
        if e.get("direction") == "in"
        and re.fullmatch(r"/api/connections/\d+/sync", e["request"]["path"])
        and ((_response(e).get("body") or {}).get("syncs") or [{}])[0].get("result") == "ok"
    ]


def others_writes(komet_tables: dict, komet_entries: list[dict], late: bool = False) -> list[tuple[int, set]]:
    """(tick, Komet line ids) of every write to Komet that was not an answered write of the grower's: the
    importer's actions (a PO-level one touches every line of the PO) and, with late=True, requests Komet
    processed only after their client gave up."""
    by_po: dict[int, set[int]] = {}
    for item in komet_tables["po_items"]:
        by_po.setdefault(item["po_id"], set()).add(item["id"])
    ids = {i["id"] for i in komet_tables["po_items"]}
    writes = []
    for e in komet_entries:
        importer = e["request"]["path"].startswith("/__sim/komet/") and e["request"]["method"] != "GET"
        if not (importer or (late and e.get("late"))):
            continue
        items: set[int] = set()
        for n in map(int, re.findall(r"\d+", f"{e['request']['path']} {e['request'].get('body')}")):
            items |= by_po.get(n, set()) | ({n} & ids)
        writes.append((e.get("begin", 0), items))
    return writes


def refusals_of_what_the_grower_knew(komet_tables: dict, logs: dict[str, list[dict]]) -> list[str]:
    """A confirmation or shipment Komet refused because the line is cancelled, or orders fewer boxes, is a
    finding when the grower's last sync before it already showed that (nobody changed the line since)."""
    syncs = good_syncs(logs["asinfo"])
    changes = others_writes(komet_tables, logs["komet"])
    problems = []
    for e in logs["komet"]:
        if not str(e.get("agent", "")).startswith(GROWER_AGENT):
            continue
        for item, message in _refused_lines(e):
            what = next((w for m, w in KNOWN_REFUSALS.items() if m in message.lower()), None)
            before = [s for s in syncs if s < e.get("begin", 0)]
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
    problems = []
    for app, entries in logs.items():
        for e in entries:
            if e.get("direction") != "in" or e.get("fault") in ("error", "rate_limit"):
                continue
            status = _response(e).get("status") or 0
            body = _response(e).get("body")
            if "internal error" in str(body).lower() or (status >= 500 and not _gateway_answer(status, body)):
                problems.append(f"{app} answered HTTP {status} to {_where(e)}: {str(body)[:120]}")
    return problems


def _gateway_answer(status: int, body) -> bool:
    """ASINFO's own answer that Komet is unavailable (502/503/504 with its error object): by design, not a
    crash."""
    error = body.get("error") if isinstance(body, dict) else None
    return status in (502, 503, 504) and isinstance(error, dict) and bool(error.get("code"))


def avoidable_refusals(komet_entries: list[dict]) -> list[str]:
    """Komet's refusals of the grower's own requests that a correct grower never provokes."""
    problems = []
    for e in komet_entries:
        if not str(e.get("agent", "")).startswith(GROWER_AGENT):
            continue
        text = str(_response(e).get("body")).lower()
        for marker, what in oracles.AVOIDABLE_REFUSALS.items():
            if marker in text:
                problems.append(f"the grower sent {what}: Komet refused {_where(e)}")
                break
    return problems


def quota(komet_tables: dict, komet_entries: list[dict]) -> list[str]:
    """Komet's count of today's calls (per UTC day) equals the calls it answered with status 1."""
    expected: Counter = Counter()
    for e in komet_entries:
        if e.get("direction") != "in" or not e["request"]["path"].startswith("/api/"):
            continue
        if e["request"]["path"] == "/api/login":  # not a token call: the quota is per token call
            continue
        day = e["at"][:10]
        for reply in (_response(e), e.get("duplicate") or {}):
            body = reply.get("body")
            if reply.get("status") == 200 and isinstance(body, dict) and str(body.get("status")) == "1":
                expected[day] += 1
    counted = Counter({r["day"]: r["calls"] for r in komet_tables.get("quota", [])})
    return [
        f"Komet counted {counted[day]} call(s) against the daily quota on {day}; the documented rule "
        f"(a call counts when answered with status 1) gives {expected[day]}"
        for day in sorted(set(expected) | set(counted))
        if expected[day] != counted[day]
    ]
