"""Fault rules: what goes wrong, where, how often. Chosen with the world's seed, so a run repeats."""

from __future__ import annotations

import builtins
import fnmatch
import threading
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import timedelta
from typing import Any

from .fault_kinds import KINDS, Held
from .ids import derive
from .params import P, parse


def _not_negative(delta: timedelta) -> float:
    if delta < timedelta():
        raise ValueError("must not be negative")
    return delta.total_seconds()


RULE = (
    P("kind", "str", True, choices=tuple(KINDS)),
    P("route", "str", empty=False),
    P("method", "str", empty=False),
    P("httpMethod", "str", empty=False),
    P("description", "str", empty=False),
    P("namespace", "str", lenient=True),
    P("times", "int", low=1, reason="must be a positive integer"),
    P("probability", "decimal", low=0, high=1, reason="must be a number between 0 and 1"),
    P("status", "int", low=400, high=599, reason="must be an HTTP error status between 400 and 599"),
    P("delay", "duration", check=_not_negative),
    P("seconds", "duration", check=_not_negative),
    P("jitter", "duration", check=_not_negative),
    P("retryAfter", "int", reason="must be a whole number of seconds"),
)


@dataclass
class FaultRule:
    """One injected fault: its kind, the requests it matches, how often and how it answers."""

    id: int
    kind: str
    route: str | None = None
    method: str | None = None
    httpMethod: str | None = None
    namespace: str | None = None
    times: int | None = None
    probability: float = 1.0
    status: int | None = None
    seconds: float = 0.0
    jitter: float = 0.0
    retryAfter: int = 1
    description: str = ""
    hits: int = 0
    evaluations: int = field(default=0, repr=False)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("evaluations")
        return data

    def matches(self, path: str, op: str | None, verb: str, namespace: str | None) -> bool:
        if self.route and not fnmatch.fnmatchcase(path, self.route):
            return False
        if self.method and not (op and fnmatch.fnmatchcase(op, self.method)):
            return False
        if self.httpMethod and self.httpMethod.upper() != verb.upper():
            return False
        return not (self.namespace is not None and str(self.namespace) != str(namespace))


def parse_rule(body: Mapping[str, Any], rule_id: int) -> FaultRule:
    """A rule from a fault body (RULE), completed and checked by its kind; BadInput names the field."""
    values = parse(RULE, body, strict=True)
    rule = FaultRule(
        id=rule_id,
        kind=values["kind"],
        route=values.get("route"),
        method=values.get("method"),
        httpMethod=values.get("httpMethod"),
        namespace=values.get("namespace"),
        times=values.get("times"),
        probability=values.get("probability", 1.0),
        status=values.get("status"),
        seconds=values.get("seconds", values.get("delay", 0.0)),
        jitter=values.get("jitter", 0.0),
        retryAfter=values.get("retryAfter", 1),
        description=values.get("description", ""),
    )
    KINDS[rule.kind].configure(rule)
    return rule


class FaultSet:
    def __init__(self, seed_provider: Callable[[], int]) -> None:
        self._lock = threading.Lock()
        self._rules: list[FaultRule] = []
        self._next = 0
        self._seed = seed_provider
        self._held: list[Held] = []
        self._held_more = threading.Condition(self._lock)  # told whenever a request is held

    def add(self, body: dict[str, Any]) -> FaultRule:
        return self.add_all([body])[0]

    def add_all(self, bodies: list[dict[str, Any]]) -> list[FaultRule]:
        """All the rules, or none: every one is checked before any is installed."""
        with self._lock:
            rules = [parse_rule(body, self._next + i + 1) for i, body in enumerate(bodies)]
            self._next += len(rules)
            self._rules.extend(rules)
            return rules

    def active(self) -> bool:
        return bool(self._rules)

    def list(self, namespace: str | None = None) -> list[dict[str, Any]]:
        with self._lock:
            return [
                r.to_json() for r in self._rules if namespace is None or r.namespace in (None, str(namespace))
            ]

    def clear(self, namespace: str | None = None, rule_id: int | None = None) -> int:
        with self._lock:
            before = len(self._rules)
            self._rules = [
                r
                for r in self._rules
                if not (
                    (rule_id is None or r.id == rule_id)
                    and (namespace is None or r.namespace == str(namespace))
                )
            ]
            return before - len(self._rules)

    def pick(self, path: str, op: str | None, verb: str, namespace: str | None) -> FaultRule | None:
        """The first rule that matches and fires; a rule with `times` retires when spent."""
        with self._lock:
            for rule in self._rules:
                if not rule.matches(path, op, verb, namespace):
                    continue
                rule.evaluations += 1
                if rule.probability < 1.0:
                    draw = derive(self._seed(), "fault", rule.id, rule.evaluations).random()
                    if draw >= rule.probability:
                        continue
                rule.hits += 1
                if rule.times is not None:
                    rule.times -= 1
                    if rule.times <= 0:
                        self._rules.remove(rule)
                return rule
            return None

    def hold(self, held: Held) -> None:
        with self._lock:
            self._held.append(held)
            self._held_more.notify_all()

    def wait_held(self, more_than: int, seconds: float) -> int:
        """How many requests are held, once more than `more_than` are or `seconds` have passed (a step started in
        the background is known to wait the moment its request is held, not at the next look)."""
        with self._lock:
            self._held_more.wait_for(lambda: len(self._held) > more_than, seconds)
            return len(self._held)

    # `builtins.list`: inside the class, `list` is the method above.
    def held(self, namespace: str | None = None) -> builtins.list[dict[str, Any]]:
        with self._lock:
            return [
                {"fault": h.rule_id, "kind": h.kind, "op": h.op, "namespace": h.namespace}
                for h in self._held
                if namespace is None or h.namespace in (None, str(namespace))
            ]

    def release(self, namespace: str | None = None) -> int:
        """Finish the held requests, oldest first (outside the lock: finishing one runs the app)."""
        with self._lock:
            chosen = [h for h in self._held if namespace is None or h.namespace in (None, str(namespace))]
            self._held = [h for h in self._held if h not in chosen]
        for h in chosen:
            h.finish()
        return len(chosen)

    def latency(self, rule: FaultRule) -> float:
        if not rule.jitter:
            return rule.seconds
        rng = derive(self._seed(), "jitter", rule.id, rule.hits)
        return max(0.0, rule.seconds + rng.uniform(-rule.jitter, rule.jitter))
