"""One step of a scenario: its arguments interpolated, its action run, then refused: / expect: / save:
applied; a failure says why in words (StepFailed), with the protocol verdict as a hint when the grower broke a
rule."""

from __future__ import annotations

import json
import re
from typing import Any

import jmespath

from .actions import load_all
from .context import CheckFailed, Ctx, Refused, StepError
from .interpolate import Undefined, resolve
from .matching import match
from .scenario_steps import Step
from .verdict import check_verdict


class StepFailed(Exception):
    def __init__(self, message: str, details: list[str] | None = None):
        super().__init__(message)
        self.message = message
        self.details = details or []


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
                [f"result: {short(result)}"],
            )
        if not _text_matches(refused, refusal.message):
            raise StepFailed(
                "refused, but not for the expected reason",
                [f"expected: {refused}", f"actual:   {refusal.message}"],
            )
        result = {"refused": refusal.message, "status": refusal.status, "reply": refusal.result}
    elif refusal is not None:
        raise StepFailed(f"refused: {refusal.message}", [f"reply: {short(refusal.result)}"])
    if expect is not None:
        mismatches = match(expect, result)
        if mismatches:
            raise StepFailed(
                "expectation not met", [str(m) for m in mismatches[:12]] + [f"actual: {short(result, 600)}"]
            )
    _save(step, result, scope)
    scope["last"] = result
    return result


def verdict_after_failure(ctx: Ctx, exc: StepFailed) -> list[str]:
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
                f"save {name}: '{expr}' finds nothing in the result", [f"result: {short(result)}"]
            )
        scope[name] = value


def short(value: Any, limit: int = 300) -> str:
    try:
        text = json.dumps(value, default=str, ensure_ascii=False)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"
