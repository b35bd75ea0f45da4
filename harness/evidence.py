"""What a finished scenario leaves for its report: both journals, the failure (where, the step's excerpt, the
variables, the replay command), and no token anywhere in them."""

from __future__ import annotations

import contextlib
import shlex
from typing import TYPE_CHECKING

from simkit.journal import redact_values

from .context import Ctx
from .scenario import Scenario
from .scenario_steps import Step
from .steps import short

if TYPE_CHECKING:
    from .engine import ScenarioResult


def journals(ctx: Ctx) -> dict:
    out: dict[str, list] = {}
    out["asinfo"] = []
    for name, client in ctx.topo.clients():
        try:
            out[name] = ctx.topo.journal(client)
        except Exception:  # the journal is evidence, not a requirement (a real Komet has none)
            out[name] = []
    return out


def redact_tokens(ctx: Ctx, result: ScenarioResult) -> None:
    """No report shows a token: every one the scenario made or saved, and (after a failure) every one the
    simulators hold for its namespaces, is blanked in the failure and the journals it prints (S3)."""
    known = [t.get("token") for t in ctx.tokens] + [ctx.company_token]
    if ctx.grower and isinstance(ctx.grower.get("token"), dict):
        known.append(ctx.grower["token"].get("token"))
    if result.failure is not None:
        known += _held_tokens(ctx)
    secrets = {t for t in known if isinstance(t, str)}
    result.failure = redact_values(result.failure, secrets)
    result.journals = redact_values(result.journals, secrets)


def _held_tokens(ctx: Ctx) -> list[str]:
    """The tokens in the scenario's namespaces of both simulators (none from a real Komet)."""
    found: list[str] = []
    with contextlib.suppress(Exception):  # a real Komet has no control plane: its tokens are the ones we saw
        if ctx.company:
            tables = ctx.komet.state(namespace=str(ctx.company["companyId"]))["tables"]
            found += [t["token"] for t in tables.get("tokens", [])]
    with contextlib.suppress(Exception):
        if ctx.grower and ctx.grower.get("account"):
            account = str(ctx.grower["account"]["accountId"])
            found += [c["token"] for c in ctx.topo.asinfo.state(namespace=account)["tables"]["connections"]]
    return found


def describe_failure(
    scenario: Scenario,
    step: Step | None,
    message: str,
    details: list[str],
    scope: dict,
    seed: int,
    command: str,
) -> dict:
    where = f"{step.file}:{step.first}" if step else f"{scenario.file}:{scenario.line}"
    if step is not None and getattr(step, "via", None):
        where += f" (included from {step.via})"
    return {
        "message": message,
        "details": details,
        "where": where,
        "step": step.title if step else None,
        "excerpt": step.excerpt() if step else None,
        "vars": {k: short(v, 160) for k, v in scope.items() if k not in ("world",) and v is not None},
        "seed": seed,
        "replay": command.format(target=shlex.quote(f"{scenario.file}::{scenario.id}"), seed=seed),
    }
