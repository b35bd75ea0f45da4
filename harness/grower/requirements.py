"""What a scenario needs of the grower, read from its steps before it runs, and why it cannot run against an
adapter (skipped with that reason: kasim run's summary, a pytest skip, a JUnit <skipped>; never passed)."""

from __future__ import annotations

from typing import Any

from .interface import OPERATIONS, Grower

KOMET_OBSERVABLE = "komet-observable"  # the tag of scenarios that check only what Komet sees
CONTROL = "the ASINFO simulator's control plane"  # not an operation: faults, held requests, state on ASINFO
# Steps whose result is the grower's own view: a komet-observable scenario may not check them.
GROWER_READS = frozenset({"get_order", "get_line", "orders", "get_awb", "shipments", "outbox", "sync_log"})


def step_operation(action: str, args: Any) -> str | None:
    """The grower operation an `asinfo.*` step calls (None for steps of Komet and of the harness)."""
    if not action.startswith("asinfo."):
        return None
    name = action.split(".", 1)[1]
    if name == "confirm":
        return "confirm_line" if isinstance(args, dict) and "line" in args else "confirm_order"
    return name if name in OPERATIONS else None


def needs(steps: list, world: dict) -> set[str]:
    """Operations (and CONTROL) the scenario's world and steps use."""
    found: set[str] = set()
    grower = world.get("grower", "none")
    if grower not in ("none", "token"):
        opts = grower if isinstance(grower, dict) else {}
        if opts.get("connect", True):
            found.add("connect")
            if opts.get("sync", grower == "connected" or isinstance(grower, dict)):
                found.add("sync")
    for step in steps:
        found |= _step_needs(step.action, step.args)
    return found


def _step_needs(action: str, args: Any) -> set[str]:
    if action == "background" and isinstance(args, dict):
        return set().union(*(_step_needs(k, v) for k, v in args.items()))
    if action in ("fault", "release") and isinstance(args, dict) and args.get("app") == "asinfo":
        return {CONTROL}
    if action == "clear_faults" and isinstance(args, dict) and args.get("app") == "asinfo":
        return {CONTROL}
    op = step_operation(action, args)
    return {op} if op else set()


def skip_reason(scenario, adapter: Grower) -> str | None:
    """Why this scenario cannot run against this adapter, or None."""
    if adapter.control() is not None:
        return None  # our ASINFO simulator: every scenario
    if KOMET_OBSERVABLE not in scenario.tags:
        return (
            f"checks what ASINFO itself shows: only scenarios tagged {KOMET_OBSERVABLE} run against the "
            f"{adapter.name} grower"
        )
    wanted = needs(scenario.steps, scenario.world)
    if CONTROL in wanted:
        return f"needs {CONTROL}, which the {adapter.name} grower does not have"
    missing = sorted(op for op in wanted - {CONTROL} if not adapter.supports(op))
    if missing:
        return f"the {adapter.name} grower adapter does not support {', '.join(missing)}"
    return None


def observability_problems(scenario) -> list[tuple[Any, str]]:
    """For a scenario tagged komet-observable: (step, why) for each step that checks the grower's own view,
    so the tag cannot claim what the steps do not keep."""
    out = []
    for step in scenario.steps:
        op = step_operation(step.action, step.args)
        if op is None:
            if _step_needs(step.action, step.args):
                out.append((step, f"{step.action} on the ASINFO simulator is not something any grower has"))
            continue
        if op in GROWER_READS:
            out.append((step, f"{step.action} reads the grower's own view; check Komet instead"))
        elif step.expect is not None or step.refused:
            out.append((step, f"{step.action} with expect:/refused: checks the grower's own answer"))
    return out
