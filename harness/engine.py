"""Runs one scenario: the starting world, each step (args interpolated, action run, refusal / expect /
save applied), then the protocol invariants and the quiet-sync agreement. Collects what a report needs."""

from __future__ import annotations

import contextlib
import json
import re
import shlex
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jmespath

from simkit.journal import redact_values

from .actions import load_all
from .clients import SimError
from .context import CheckFailed, Ctx, Refused, StepError
from .grower.requirements import skip_reason
from .interpolate import Undefined, resolve
from .invariants import check_all, quiet_and_compare
from .matching import match
from .scenario import Scenario, Step
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


class StepFailed(Exception):
    def __init__(self, message: str, details: list[str] | None = None):
        super().__init__(message)
        self.message = message
        self.details = details or []


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
        result.failure = _failure(
            scenario, None, f"cannot set up the simulators: {exc}", [], {}, seed, command
        )
        return result
    try:
        ctx = Ctx(topo, seed, labels)
    except Exception as exc:  # the user's adapter could not be made
        topo.close()
        result.status = "error"
        result.failure = _failure(
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
        details = exc.details + _verdict_after_failure(ctx, exc)
        result.failure = _failure(scenario, current, exc.message, details, scope, seed, command)
    except Exception as exc:  # a bug (ours or the app's): reported, never a bare traceback
        result.status = "error"
        tail = traceback.format_exception_only(type(exc), exc)[-1].strip()
        result.failure = _failure(
            scenario,
            current,
            f"unexpected error: {tail}",
            traceback.format_exc().splitlines()[-6:],
            scope,
            seed,
            command,
        )
    finally:
        result.journals = _journals(ctx)
        _redact_tokens(ctx, result)
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


# --- one step -----------------------------------------------------------------------------------------


def run_step(ctx: Ctx, step: Step, scope: dict) -> Any:
    action = load_all()[step.action]
    try:
        args = resolve(step.args, scope)
        expect = resolve(step.expect, scope) if step.expect is not None else None
        refused = resolve(step.refused, scope) if step.refused else None
    except (Undefined, ValueError) as exc:
        raise StepFailed(str(exc)) from None
    refusal = None
    try:
        result = action.run(ctx, args)
    except Refused as exc:
        refusal, result = exc, exc.result
    except StepError as exc:
        raise StepFailed(str(exc)) from None
    except CheckFailed as exc:
        raise StepFailed(exc.message, exc.details) from None
    if refused is not None:
        if refusal is None:
            raise StepFailed(
                f"expected a refusal matching {refused!r}, but the step succeeded",
                [f"result: {_short(result)}"],
            )
        if not _text_matches(refused, refusal.message):
            raise StepFailed(
                "refused, but not for the expected reason",
                [f"expected: {refused}", f"actual:   {refusal.message}"],
            )
        result = {"refused": refusal.message, "status": refusal.status, "reply": refusal.result}
    elif refusal is not None:
        raise StepFailed(f"refused: {refusal.message}", [f"reply: {_short(refusal.result)}"])
    if expect is not None:
        mismatches = match(expect, result)
        if mismatches:
            raise StepFailed(
                "expectation not met", [str(m) for m in mismatches[:12]] + [f"actual: {_short(result, 600)}"]
            )
    _save(step, result, scope)
    scope["last"] = result
    return result


def _verdict_after_failure(ctx: Ctx, exc: StepFailed) -> list[str]:
    """A step that failed may have failed because the grower broke a protocol rule: say which, if any."""
    if not ctx.topo.judges or exc.message.startswith("the grower broke protocol rules"):
        return []
    try:
        broken = check_verdict(ctx)
    except Exception:  # the verdict is a hint here; the failure itself is the news
        return []
    return [f"protocol verdict: {b}" for b in broken[:10]]


def _text_matches(pattern: str, text: str) -> bool:
    if len(pattern) > 2 and pattern.startswith("/") and pattern.endswith("/"):
        return re.search(pattern[1:-1], text) is not None
    return pattern.lower() in text.lower()


def _save(step: Step, result: Any, scope: dict) -> None:
    if step.save is None:
        return
    if isinstance(step.save, str):
        scope[step.save] = result
        return
    for name, expr in step.save.items():
        value = jmespath.search(expr, result) if expr not in ("@", "$") else result
        if value is None:
            raise StepFailed(
                f"save {name}: '{expr}' finds nothing in the result", [f"result: {_short(result)}"]
            )
        scope[name] = value


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


def _journals(ctx: Ctx) -> dict:
    out: dict[str, list] = {}
    out["asinfo"] = []
    for name, client in ctx.topo.clients():
        try:
            out[name] = ctx.topo.journal(client)
        except Exception:  # the journal is evidence, not a requirement (a real Komet has none)
            out[name] = []
    return out


def _redact_tokens(ctx: Ctx, result: ScenarioResult) -> None:
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


def _failure(
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
        "vars": {k: _short(v, 160) for k, v in scope.items() if k not in ("world",) and v is not None},
        "seed": seed,
        "replay": command.format(target=shlex.quote(f"{scenario.file}::{scenario.id}"), seed=seed),
    }


def _short(value: Any, limit: int = 300) -> str:
    try:
        text = json.dumps(value, default=str, ensure_ascii=False)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"
