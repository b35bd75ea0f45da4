"""simkit.faults: rule validation, matching, `times`, and probability draws fixed by the world's seed."""

from __future__ import annotations

import pytest

from simkit.errors import BadInput
from simkit.faults import FaultSet, parse_rule


def _set(seed: int = 1) -> FaultSet:
    return FaultSet(lambda: seed)


def _fires(
    faults: FaultSet, n: int, path="/api/x", op="purchase.order.list", verb="GET", ns="1"
) -> list[bool]:
    return [faults.pick(path, op, verb, ns) is not None for _ in range(n)]


@pytest.mark.parametrize(
    "body, field",
    [
        ({"kind": "explode"}, "kind"),
        ({}, "kind"),
        ({"kind": ["error"]}, "kind"),
        ({"kind": "error", "status": 302}, "status"),
        ({"kind": "error", "status": "500"}, "status"),
        ({"kind": "error", "times": 0}, "times"),
        ({"kind": "error", "times": True}, "times"),
        ({"kind": "error", "probability": -0.1}, "probability"),
        ({"kind": "error", "probability": "half"}, "probability"),
        ({"kind": "latency"}, "delay"),
        ({"kind": "latency", "delay": "fast"}, "delay"),
        ({"kind": "latency", "delay": "-1s"}, "delay"),
        ({"kind": "error", "route": ""}, "route"),
        ({"kind": "error", "foo": 1}, "foo"),
        ({"kind": "rate_limit", "retryAfter": -1}, "retryAfter"),
    ],
)
def test_bad_rules_are_refused_naming_the_field(body, field):
    with pytest.raises(BadInput) as err:
        parse_rule(body, 1)
    assert err.value.field == field


def test_rule_defaults_by_kind():
    assert parse_rule({"kind": "error"}, 1).status == 500
    assert parse_rule({"kind": "rate_limit", "status": 503}, 1).status == 429
    assert parse_rule({"kind": "timeout"}, 1).seconds == 30.0
    assert parse_rule({"kind": "latency", "delay": "250ms"}, 1).seconds == 0.25


def test_a_rule_matches_its_route_method_verb_and_namespace():
    rule = parse_rule(
        {
            "kind": "error",
            "route": "/api/*",
            "method": "purchase.order.*",
            "httpMethod": "get",
            "namespace": 2870,
        },
        1,
    )
    assert rule.matches("/api/purchase.order.list", "purchase.order.list", "GET", "2870")
    assert not rule.matches("/__sim/health", "purchase.order.list", "GET", "2870")
    assert not rule.matches("/api/boxtype.list", "boxtype.list", "GET", "2870")
    assert not rule.matches("/api/purchase.order.list", "purchase.order.list", "POST", "2870")
    assert not rule.matches("/api/purchase.order.list", "purchase.order.list", "GET", "2871")


def test_a_rule_with_times_retires_when_spent():
    faults = _set()
    faults.add({"kind": "error", "times": 2})
    assert _fires(faults, 4) == [True, True, False, False]
    assert faults.list() == []


def test_the_first_matching_rule_fires():
    faults = _set()
    faults.add({"kind": "error", "method": "boxtype.list"})
    second = faults.add({"kind": "reset"})
    assert faults.pick("/api/x", "purchase.order.list", "GET", None).id == second.id


def test_probability_zero_never_fires_and_one_always_does():
    never, always = _set(), _set()
    never.add({"kind": "error", "probability": 0})
    always.add({"kind": "error", "probability": 1})
    assert not any(_fires(never, 50)) and all(_fires(always, 50))


def test_probability_draws_repeat_with_the_same_seed():
    a, b = _set(5), _set(5)
    for faults in (a, b):
        faults.add({"kind": "error", "probability": 0.3})
    assert _fires(a, 200) == _fires(b, 200)


def test_probability_draws_change_with_the_seed():
    a, b = _set(5), _set(6)
    for faults in (a, b):
        faults.add({"kind": "error", "probability": 0.5})
    assert _fires(a, 200) != _fires(b, 200)


def test_probability_is_roughly_honoured():
    faults = _set(9)
    faults.add({"kind": "error", "probability": 0.25})
    assert 30 <= sum(_fires(faults, 400)) <= 170


def test_latency_jitter_is_seeded_and_bounded():
    a, b = _set(3), _set(3)
    rules = [f.add({"kind": "latency", "delay": "1s", "jitter": "200ms"}) for f in (a, b)]
    delays_a, delays_b = [], []
    for faults, rule, out in ((a, rules[0], delays_a), (b, rules[1], delays_b)):
        for _ in range(20):
            faults.pick("/api/x", None, "GET", None)
            out.append(faults.latency(rule))
    assert delays_a == delays_b
    assert all(0.8 <= d <= 1.2 for d in delays_a) and len(set(delays_a)) > 1


def test_list_and_clear_by_namespace_and_id():
    faults = _set()
    one = faults.add({"kind": "error", "namespace": "1"})
    faults.add({"kind": "error", "namespace": "2"})
    everywhere = faults.add({"kind": "reset"})
    assert [r["id"] for r in faults.list("1")] == [one.id, everywhere.id]
    assert faults.clear("2") == 1
    assert faults.clear(rule_id=one.id) == 1
    assert [r["id"] for r in faults.list()] == [everywhere.id]
    assert faults.clear() == 1 and not faults.active()


def test_every_kind_is_an_object_with_its_help_and_the_rule_spec_offers_exactly_those():
    from simkit.fault_kinds import FaultKind
    from simkit.faults import KINDS, RULE

    assert all(isinstance(k, FaultKind) and k.name == name and k.help for name, k in KINDS.items())
    assert next(p for p in RULE if p.name == "kind").choices == tuple(KINDS)


@pytest.mark.parametrize("kind", ["timeout", "late", "hold"])
def test_kinds_that_keep_a_request_default_to_thirty_seconds_unless_told(kind):
    assert parse_rule({"kind": kind}, 1).seconds == 30.0
    assert parse_rule({"kind": kind, "seconds": "2s"}, 1).seconds == 2.0


def test_a_rule_body_with_null_values_takes_their_defaults():
    rule = parse_rule({"kind": "error", "times": None, "namespace": None}, 1)
    assert (rule.times, rule.namespace, rule.status) == (None, None, 500)


@pytest.mark.parametrize("key", ["route", "method", "httpMethod", "description"])
def test_an_empty_matcher_is_refused_rather_than_matching_everything(key):
    with pytest.raises(BadInput) as err:
        parse_rule({"kind": "error", key: " "}, 1)
    assert err.value.field == key
