"""`kasim contract komet --recording FILE`: kasim's Komet held to what a real Komet answered.

The recording becomes the world it started from (`kasim import`'s, built without the fields kasim does not
model: K28), each recorded request is sent again, in order and at its recorded time, to komet_sim holding that
world (`harness/recording/replay.py`), and each reply is compared with the recorded one by
`drift.differences`. The recorded reply is the reference: `missing` is a field Komet sent and kasim did not,
`extra` one kasim sent and Komet did not. Per method, as the suite's cases, so the same console, JUnit and
HTML reports show it. Only the replay runs komet_sim; the comparison knows nothing of it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..recording import replay, sources, world
from ..recording.format import Exchange as Recorded
from ..source import Problem
from .client import Exchange
from .drift import Drift, differences, merge
from .suite import Case


@dataclass
class Result:
    cases: list[Case] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # lines the import could not read or hold
    replayed: int = 0
    identical: int = 0  # replies byte for byte the recorded ones
    refused: str | None = None  # why nothing could be replayed


def _exchange(ex: Recorded, status: int | None, body: object) -> Exchange:
    return Exchange(ex.method or "", ex.request.get("verb", "GET"), ex.params, status, body)


def judge(ex: Recorded, status: int, body: object) -> list[Drift]:
    """Every difference between one recorded reply and the simulator's to the same request."""
    reply = ex.reply or {}
    drifts: list[Drift] = []
    if status != reply.get("status"):
        drifts.append(Drift("value", "", f"HTTP {reply.get('status')}", f"HTTP {status}", envelope=True))
    return drifts + differences(ex.body, body)


def check(paths: list[str]) -> Result:
    exchanges, problems = sources.load(paths)
    result = Result(problems=problems)
    if not exchanges:
        result.refused = "nothing to replay"
        return result
    imported = world.build(exchanges, keep_extras=False)
    result.problems += imported.problems
    try:
        session = replay.komet(imported.snapshot)
    except ValueError as exc:
        result.refused = str(exc)
        return result
    cases: dict[str, Case] = {}
    replayed = {id(r.exchange): r for r in replay.replay(session, exchanges)}
    for ex in exchanges:
        case = cases.setdefault(ex.method or ex.request.get("path", "?"), Case(ex.method or "?"))
        again = replayed.get(id(ex))
        if again is None:
            case.notes.append(f"{ex.where}: no reply was recorded; not replayed")
            continue
        result.replayed += 1
        result.identical += again.identical
        case.exchanges.append(_exchange(ex, again.status, again.body))
        found = judge(ex, again.status, again.body)
        case.drifts += found
        same = "the same bytes" if again.identical else "the same reply"
        case.notes.append(f"{ex.where}: {len(found)} difference(s)" if found else f"{ex.where}: {same}")
    for case in cases.values():
        case.drifts = merge(case.drifts)
    result.cases = sorted(cases.values(), key=lambda c: c.method)
    return result
