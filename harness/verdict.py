"""The protocol verdict as the harness reads it: komet_sim judges the grower's traffic from its own journal
(komet_sim.verdict); this turns its answer into lines a failure report can show."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from .clients import SimError

if TYPE_CHECKING:
    from harness.context import Ctx


def broken(verdict: dict) -> list[str]:
    """One line per violation: the rule, what the client did, and the offending requests (journal #seq)."""
    lines = []
    for rule in verdict["rules"]:
        for v in rule["violations"]:
            calls = "; ".join(_call(e) for e in v["evidence"])
            lines.append(f"{rule['id']}: {v['message']} — {calls}")
    return lines


def _call(e: dict) -> str:
    params = json.dumps(e["params"], ensure_ascii=False, default=str)
    params = params if len(params) <= 160 else params[:159] + "…"
    answer = e.get("fault") or (
        f"status {e['status']}" if e.get("status") is not None else f"HTTP {e.get('http')}"
    )
    return f"#{e['seq']} {e['at']} {e['method']} {params} → {answer}"


def check_verdict(ctx: Ctx) -> list[str]:
    """The verdict on this scenario's traffic (the whole journal where the world is the scenario's own, its
    company's on a shared server); [] when Komet has no verdict (a real Komet)."""
    try:
        verdict = ctx.komet.verdict(namespace=ctx.topo.scope(ctx.komet))
    except SimError as exc:
        if exc.status == 404:  # not our Komet: nobody to ask
            return []
        raise
    return broken(verdict)
