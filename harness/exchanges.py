"""Checks on what went over the wire, from both journals: no server error (any 5xx or "Internal error" that
no fault injected), no Komet refusal a correct grower never provokes, and the daily quota counting exactly
what the documented rule says (K5: a call counts when Komet answers it with status 1)."""

from __future__ import annotations

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


def check(komet_tables: dict, logs: dict[str, list[dict]]) -> list[str]:
    return server_errors(logs) + avoidable_refusals(logs["komet"]) + quota(komet_tables, logs["komet"])


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
