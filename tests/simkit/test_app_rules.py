"""simkit.app.LazyBuilderRule: an app's URL builders are compiled when first used, and build what Werkzeug's own
rules build."""

from __future__ import annotations

from werkzeug.routing import Map, Rule

import asinfo_sim
import komet_sim
from simkit.app import LazyBuilderRule


def _values(rule: Rule) -> dict:
    """A value each of the rule's converters takes (an `any(...)` one of its words, else a number)."""
    converters = rule._converters  # built as the rule was bound
    return {name: sorted(getattr(converters[name], "items", None) or [7])[0] for name in rule.arguments}


def test_every_rule_of_both_apps_builds_what_werkzeug_builds():
    for app in (komet_sim.create_app({}), asinfo_sim.create_app({})):
        plain = Map([Rule(r.rule, endpoint=r.endpoint, methods=r.methods) for r in app.url_map.iter_rules()])
        ours, theirs = app.url_map.bind("sim.test"), plain.bind("sim.test")
        rules = list(app.url_map.iter_rules())
        # every rule but /static, which Flask adds as it is made, before the app can say how
        assert rules and all(isinstance(r, LazyBuilderRule) for r in rules if r.endpoint != "static")
        for rule in rules:
            values = _values(rule)
            for extra in ({}, {"page": 2}):  # a value the rule does not take goes to the query string
                assert ours.build(
                    rule.endpoint, {**values, **extra}, method=next(iter(rule.methods or ["GET"]))
                ) == (
                    theirs.build(
                        rule.endpoint, {**values, **extra}, method=next(iter(rule.methods or ["GET"]))
                    )
                )


def test_a_builder_is_compiled_on_first_use_only():
    compiled = []
    real = Rule._compile_builder

    def counting(rule, append_unknown=True):
        compiled.append(rule.rule)
        return real(rule, append_unknown)

    app = komet_sim.create_app({})
    Rule._compile_builder = counting
    try:
        adapter = app.url_map.bind("sim.test")
        assert compiled == []  # none made while the app was built
        adapter.build("sim_control.health")
        adapter.build("sim_control.health")
        assert compiled == ["/__sim/health"]
    finally:
        Rule._compile_builder = real
