"""Runs one scenario: the starting world, each step (args interpolated, action run, refusal / expect /
save applied), then the protocol invariants and the quiet-sync agreement. Collects what a report needs.
One step is run in steps.py; the journals and the failure a report shows are gathered in evidence.py."""

from __future__ import annotations

import contextlib
import json
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .actions import load_all
from .clients import SimError
from .context import Ctx
from .evidence import describe_failure, journals, redact_tokens
from .grower.requirements import skip_reason
from .interpolate import resolve
from .invariants import check_all, quiet_and_compare
from .scenario import Scenario
from .scenario_steps import Step
from .steps import StepFailed, run_step, verdict_after_failure
from .verdict import check_verdict


@dataclass
class StepResult:
    title: str
    action: str
    status: str  # passed | failed | error
    seconds: float
    step: Step | None = None
    result: Any = None
    error: str | None = None
    correlation: str | None = None


@dataclass
class ScenarioResult:
    scenario: Scenario
    seed: int
    status: str = "passed"  # passed | failed | error | skipped | xfailed | xpassed
    steps: list[StepResult] = field(default_factory=list)
    seconds: float = 0.0
    failure: dict | None = None
    journals: dict = field(default_factory=dict)
    labels: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.status in ("passed", "skipped", "xfailed")


REPLAY = "kasim run {target} --seed {seed}"


def run_scenario(
    scenario: Scenario, topology_factory, seed: int | None = None, labels=None, command: str = REPLAY
) -> ScenarioResult:
    """`command` is the replay line printed on failure: {target} is the quoted FILE::ID, {seed} the seed."""
    seed = scenario.seed if seed is None else seed
    result = ScenarioResult(scenario, seed)
    if scenario.skip:
        result.status = "skipped"
        result.notes.append(scenario.skip)
        return result
    started = time.perf_counter()
    try:
        topo = topology_factory(seed, scenario.world.get("plant"))
    except Exception as exc:  # e.g. a planted bug asked of a live server, or a server that is not there
        result.status = "error"
        result.failure = describe_failure(
            scenario, None, f"cannot set up the simulators: {exc}", [], {}, seed, command
        )
        return result
    try:
        ctx = Ctx(topo, seed, labels)
    except Exception as exc:  # the user's adapter could not be made
        topo.close()
        result.status = "error"
        result.failure = describe_failure(
            scenario, None, f"cannot make the grower adapter: {exc}", [], {}, seed, command
        )
        return result
    reason = skip_reason(scenario, ctx.adapter)
    if reason:
        ctx.adapter.close()
        topo.close()
        result.status = "skipped"
        result.notes.append(reason)
        return result
    scope: dict[str, Any] = {"seed": seed, **scenario.vars, "case": scenario.case}
    current: Step | None = None
    try:
        _timed(result, "world", "world", lambda: setup_world(ctx, scenario.world, scope), ctx)
        for n, step in enumerate(scenario.steps, 1):
            current = step
            _timed(result, step.title, step.action, lambda s=step: run_step(ctx, s, scope), ctx, step, n)
        current = None
        _timed(result, "invariants", "invariants", lambda: final_checks(ctx, result), ctx)
    except StepFailed as exc:
        result.status = "failed"
        details = exc.details + verdict_after_failure(ctx, exc)
        result.failure = describe_failure(scenario, current, exc.message, details, scope, seed, command)
    except Exception as exc:  # a bug (ours or the app's): reported, never a bare traceback
        result.status = "error"
        tail = traceback.format_exception_only(type(exc), exc)[-1].strip()
        result.failure = describe_failure(
            scenario,
            current,
            f"unexpected error: {tail}",
            traceback.format_exc().splitlines()[-6:],
            scope,
            seed,
            command,
        )
    finally:
        result.journals = journals(ctx)
        redact_tokens(ctx, result)
        result.labels = list(labels.files) if labels else []
        note = topo.tidy(result.status == "passed")
        if note:
            result.notes.append(note)
        with contextlib.suppress(Exception):  # the adapter's own clean-up must not hide the result
            ctx.adapter.close()
        topo.close()
        result.seconds = time.perf_counter() - started
    if scenario.xfail:  # expected to fail: a failure is as expected, a pass is news; a crash stays a crash
        result.status = {"failed": "xfailed", "passed": "xpassed"}.get(result.status, result.status)
    return result


def _timed(
    result: ScenarioResult, title: str, action: str, fn, ctx: Ctx, step: Step | None = None, n: int = 0
):
    correlation = f"step-{n}" if step else title
    for _, client in ctx.topo.clients():
        client.correlation = correlation
    ctx.fresh()
    t0 = time.perf_counter()
    try:
        value = fn()
        result.steps.append(
            StepResult(
                title, action, "passed", time.perf_counter() - t0, step, value, correlation=correlation
            )
        )
        return value
    except StepFailed as exc:
        result.steps.append(
            StepResult(
                title, action, "failed", time.perf_counter() - t0, step, None, exc.message, correlation
            )
        )
        raise
    except Exception as exc:
        result.steps.append(
            StepResult(title, action, "error", time.perf_counter() - t0, step, None, str(exc), correlation)
        )
        raise


# --- the starting world -------------------------------------------------------------------------------


def setup_world(ctx: Ctx, world: dict, scope: dict) -> dict:
    """`world` is the scenario's world: section; what it makes (the importer's company) goes to ctx.company."""
    try:
        _make_company(ctx, world, scope)
    except SimError as exc:
        raise StepFailed(f"the world could not be made: {exc.app_message}") from None
    grower = world.get("grower", "none")
    actions = load_all()
    if grower != "none":
        opts = (
            {"vendor": 0, "connect": grower != "token", "sync": grower == "connected"}
            if isinstance(grower, str)
            else {"vendor": 0, "connect": True, "sync": True, **grower}
        )
        token = actions["komet.create_token"].run(
            ctx, {"vendor": opts["vendor"], "methods": opts.get("methods", "asinfo")}
        )
        if opts["connect"]:
            args = {"token": token, **({"syncDays": opts["syncDays"]} if "syncDays" in opts else {})}
            actions["asinfo.connect"].run(ctx, args)
            if opts["sync"]:
                actions["asinfo.sync"].run(ctx, {})
    scope.update(world=ctx.company, grower=ctx.grower, today=ctx.today().isoformat())
    return {"companyId": ctx.company["companyId"], "shipDates": ctx.company.get("shipDates")}


def _make_company(ctx: Ctx, world: dict, scope: dict) -> None:
    if "state" in world:
        ctx.company = _load_state(ctx, world["state"])
    else:
        ctx.company = ctx.topo.seed_company(ctx.seed, **dict(world.get("komet") or {}))
    ctx.komet.namespace = str(ctx.company["companyId"])
    for po in world.get("purchaseOrders") or []:
        load_all()["komet.create_po"].run(ctx, resolve(po, scope))
    if world.get("purchaseOrders"):
        ctx.company["shipDates"] = sorted({p["shipDate"] for p in ctx.komet.purchase_orders()})


def _load_state(ctx: Ctx, path: str) -> dict:
    data = json.loads(Path(path).read_text())
    problem = ctx.topo.snapshot_problem(data)
    if problem:
        raise StepFailed(problem)
    ctx.komet.put_state(data)
    tables = data["tables"]
    company = tables["companies"][0]
    return {
        "companyId": company["company_id"],
        "companyName": company["name"],
        "seed": ctx.seed,
        "vendors": [
            {"id": v["id"], "name": v["name"], "code": v["code"], "portOrigin": v["port_origin"]}
            for v in tables["vendors"]
        ],
        "customers": [
            {"id": c["id"], "name": c["name"], "code": c["code"], "markCode": c["mark_code"]}
            for c in tables["customers"]
        ],
        "shipDates": sorted({p["ship_date"] for p in tables["purchase_orders"]}),
    }


# --- after the last step ----------------------------------------------------------------------------


def final_checks(ctx: Ctx, result: ScenarioResult) -> dict:
    problems = check_all(ctx)
    if problems:
        raise StepFailed("protocol invariants broken", problems[:20])
    if ctx.topo.judges:
        broken = check_verdict(ctx)
        if broken:
            raise StepFailed("the grower broke protocol rules (kasim verdict)", broken[:20])
    if not (ctx.grower and ctx.grower.get("connection")):
        return {"invariants": "ok", "agreement": "no grower connected"}
    if ctx.adapter.control() is None:
        return {
            "invariants": "ok",
            "agreement": f"not compared: the {ctx.adapter.name} grower shows no state",
        }
    problems, note = quiet_and_compare(ctx)
    if note:
        result.notes.append(note)
        return {"invariants": "ok", "agreement": note}
    if problems:
        raise StepFailed("the two sides disagree after the sync went quiet", problems[:20])
    return {"invariants": "ok", "agreement": "ok"}
