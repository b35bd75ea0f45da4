"""Fault rules: what goes wrong, where, how often. Chosen with the world's seed, so a run repeats."""

from __future__ import annotations

import fnmatch
import threading
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

from .clock import parse_duration
from .errors import BadInput
from .ids import derive

KINDS = {
    "latency": "answer after a delay",
    "error": "answer with an HTTP error status (default 500) without processing",
    "rate_limit": "answer 429 with Retry-After without processing",
    "timeout": "hold the request without processing, then drop it (the client times out)",
    "reset": "reset the connection without processing",
    "lost_response": "process the request, then reset the connection: the reply is lost",
    "duplicate": "deliver the request twice (as a retrying proxy would); the first reply is returned",
    "type_drift": "flip numbers and strings in the JSON reply (seeded), as the real service's samples do",
    "late": "the client times out at once; the request is processed only when released (POST "
    "/__sim/faults/release), as a server that finishes after its client gave up",
    "hold": "process the request, then hold the reply until released (the client waits, up to its timeout): "
    "other requests run in between, as on a busy server",
}
_KEYS = {
    "kind",
    "route",
    "method",
    "httpMethod",
    "namespace",
    "times",
    "probability",
    "status",
    "delay",
    "seconds",
    "jitter",
    "retryAfter",
    "description",
}


@dataclass
class FaultRule:
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

    def to_json(self) -> dict:
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


def parse_rule(body: dict, rule_id: int) -> FaultRule:
    """Validate a fault body; ValueError names the field."""
    if not isinstance(body, dict):
        raise BadInput("body", "a fault is a JSON object")
    unknown = sorted(set(body) - _KEYS)
    if unknown:
        raise BadInput(unknown[0], f"unknown key; known keys are {', '.join(sorted(_KEYS))}")
    kind = body.get("kind")
    if not isinstance(kind, str) or kind not in KINDS:
        raise BadInput("kind", f"must be one of {', '.join(KINDS)}")
    rule = FaultRule(id=rule_id, kind=kind)
    for key in ("route", "method", "httpMethod", "description"):
        if key in body:
            if not isinstance(body[key], str) or not body[key]:
                raise BadInput(key, "must be a non-empty string")
            setattr(rule, key, body[key])
    if "namespace" in body and body["namespace"] is not None:
        rule.namespace = str(body["namespace"])
    if "times" in body and body["times"] is not None:
        if not isinstance(body["times"], int) or isinstance(body["times"], bool) or body["times"] < 1:
            raise BadInput("times", "must be a positive integer")
        rule.times = body["times"]
    if "probability" in body:
        p = body["probability"]
        if not isinstance(p, int | float) or isinstance(p, bool) or not 0 <= p <= 1:
            raise BadInput("probability", "must be a number between 0 and 1")
        rule.probability = float(p)
    if "status" in body:
        s = body["status"]
        if not isinstance(s, int) or isinstance(s, bool) or not 400 <= s <= 599:
            raise BadInput("status", "must be an HTTP error status between 400 and 599")
        rule.status = s
    for key, attr in (("delay", "seconds"), ("seconds", "seconds"), ("jitter", "jitter")):
        if key in body:
            try:
                setattr(rule, attr, parse_duration(body[key]).total_seconds())
            except ValueError as exc:
                raise BadInput(key, str(exc)) from None
            if getattr(rule, attr) < 0:
                raise BadInput(key, "must not be negative")
    if "retryAfter" in body:
        if not isinstance(body["retryAfter"], int) or body["retryAfter"] < 0:
            raise BadInput("retryAfter", "must be a whole number of seconds")
        rule.retryAfter = body["retryAfter"]
    if kind == "error" and rule.status is None:
        rule.status = 500
    if kind == "rate_limit":
        rule.status = 429
    if kind == "latency" and rule.seconds == 0:
        raise BadInput("delay", "a latency fault needs a delay such as '300ms' or '2s'")
    if kind in ("timeout", "late", "hold") and rule.seconds == 0:
        rule.seconds = 30.0
    return rule


@dataclass
class Held:
    """A request a `late` or `hold` fault keeps: `finish` processes it (late) or lets its reply go (hold)."""

    rule_id: int
    kind: str
    namespace: str | None
    finish: Callable[[], None]
    op: str | None = None


class FaultSet:
    def __init__(self, seed_provider):
        self._lock = threading.Lock()
        self._rules: list[FaultRule] = []
        self._next = 0
        self._seed = seed_provider
        self._held: list[Held] = []

    def add(self, body: dict) -> FaultRule:
        return self.add_all([body])[0]

    def add_all(self, bodies: list[dict]) -> list[FaultRule]:
        """All the rules, or none: every one is checked before any is installed."""
        with self._lock:
            rules = [parse_rule(body, self._next + i + 1) for i, body in enumerate(bodies)]
            self._next += len(rules)
            self._rules.extend(rules)
            return rules

    def active(self) -> bool:
        return bool(self._rules)

    def list(self, namespace: str | None = None) -> list[dict]:
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

    def held(self, namespace: str | None = None) -> list[dict]:
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
