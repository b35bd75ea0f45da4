"""The protocol verdict: komet_sim judges every client's traffic, from its own journal, against the rules any
grower integration must obey (rules.py). Served as GET /__sim/komet/verdict (route.py).

calls.py and rules.py (four dataclasses) load on the first verdict, not when `kasim serve` registers the route."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from simkit.world import World

    from .rules import Facts


def facts_from(world: World, poll_interval: int = 60, poll_burst: int = 6) -> Facts:
    """What the importer set up, read as data: each token's enabled methods, each company's daily limit."""
    from .rules import Facts

    tokens = world.store.all("SELECT id, methods FROM tokens")
    companies = world.store.all("SELECT company_id, paid_users, quota_per_user FROM companies")
    return Facts(
        token_methods={int(t["id"]): frozenset(json.loads(t["methods"])) for t in tokens},
        daily_limit={
            str(c["company_id"]): int(c["paid_users"]) * int(c["quota_per_user"]) for c in companies
        },
        poll_interval=poll_interval,
        poll_burst=poll_burst,
    )


def judge(entries: list[dict], facts: Facts) -> dict:
    """{"ok", "calls", "rules": [{"id", "rationale", "ok", "violations": [{"client", "message", "evidence"}]}]}"""
    from .calls import by_client, calls
    from .rules import RULES

    found = calls(entries)
    groups = by_client(found)
    report = []
    for rule in RULES:
        violations = []
        for (namespace, agent), mine in groups.items():
            for message, evidence in rule.check(mine, facts):
                violations.append(
                    {
                        "client": {"namespace": namespace, "agent": agent},
                        "message": message,
                        "evidence": [c.evidence() for c in evidence],
                    }
                )
        report.append(
            {"id": rule.id, "rationale": rule.rationale, "ok": not violations, "violations": violations}
        )
    return {"ok": all(r["ok"] for r in report), "calls": len(found), "rules": report}
