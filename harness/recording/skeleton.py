"""The scenario `kasim import` writes: the imported world, then each recorded call as a `komet.call` step whose
`expect:` is the reply Komet gave (a refusal as `refused:` with its message), the clock moved to each call's
time. `kasim run` on it reproduces the exchange against the simulator; the first step whose reply differs is
where kasim and the recording part."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .format import Exchange


def step(ex: Exchange) -> dict | None:
    """The step of one exchange; None for one that cannot be a step (no reply, a reply that is not JSON)."""
    if ex.method is None or not isinstance(ex.body, dict):
        return None
    call: dict[str, Any] = {"method": ex.method}
    call["token"] = "none" if ex.token is None else ex.token
    if ex.params:
        call["params"] = ex.params
    out: dict[str, Any] = {"name": f"{Path(ex.file).name}:{ex.line} {ex.method}", "komet.call": call}
    if ex.ok or not ex.refused:
        out["expect"] = ex.body
    else:
        out["refused"] = ex.message or "0"
        out["expect"] = {"reply": ex.body}
    return out


def scenario(exchanges: list[Exchange], state_file: str, title: str) -> tuple[dict, list[str]]:
    """(the scenario, notes on exchanges left out)."""
    steps: list[dict] = []
    notes: list[str] = []
    clock = exchanges[0].time if exchanges else None
    for ex in exchanges:
        made = step(ex)
        if made is None:
            notes.append(
                f"{ex.where}: {ex.method or ex.request.get('path')}: no JSON reply recorded; no step"
            )
            continue
        if ex.time != clock:
            steps.append({"clock": {"set": ex.time}})
            clock = ex.time
        steps.append(made)
    first, last = (exchanges[0].at, exchanges[-1].at) if exchanges else ("-", "-")
    data = {
        "name": f"Recorded: {title}",
        "description": (
            f"Made by kasim import from {title}: {len(exchanges)} recorded call(s), {first} to {last}. Each "
            "step is one recorded call; its expect: is the reply Komet gave."
        ),
        "tags": ["recorded"],
        "world": {"state": state_file},
        "steps": steps or [{"komet.company": {}}],
    }
    return data, notes


def dump(data: dict) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=110, default_flow_style=None)
