"""Each enumeration lives once, in the simulators; the harness reads it from there. These fail when a copy
appears and disagrees: fault kinds, profiles, seed sizes with their bounds, the clock and fault arguments."""

from __future__ import annotations

import argparse

from harness.actions import load_all
from harness.cli import serve
from harness.explorer_base import FAULT_KINDS as EXPLORED_KINDS
from harness.scenario_schema import scenario_schema
from komet_sim.decisions import PROFILES
from komet_sim.seeding import SIZES
from simkit.fault_kinds import KINDS
from simkit.faults import RULE


def _plain(schema: dict) -> dict:
    """The schema of a value itself, without the ${variable} alternative."""
    return schema["anyOf"][0] if "anyOf" in schema else schema


def test_world_sizes_carry_the_seed_endpoint_s_bounds():
    komet = scenario_schema()["properties"]["world"]["properties"]["komet"]["properties"]
    for name, (_default, low, high) in SIZES.items():
        assert _plain(komet[name]) == {"type": "integer", "minimum": low, "maximum": high}, name
    assert komet["profile"]["enum"] == list(PROFILES)


def test_the_fault_step_offers_every_kind_and_the_rule_s_own_arguments():
    args = load_all()["fault"].args["properties"]
    assert args["kind"]["enum"] == list(KINDS)
    assert set(args) == {"app"} | {p.name for p in RULE if p.name != "namespace"}
    assert _plain(args["probability"]) == {"type": "number", "minimum": 0, "maximum": 1}


def test_the_explorer_draws_only_kinds_that_exist():
    assert set(EXPLORED_KINDS) <= set(KINDS)


def test_komet_settings_offer_the_profiles_there_are():
    assert load_all()["komet.settings"].args["properties"]["profile"]["enum"] == list(PROFILES)


def test_kasim_serve_offers_the_profiles_there_are():
    parser = argparse.ArgumentParser()
    serve.add_arguments(parser)
    profile = next(a for a in parser._actions if a.dest == "profile")
    assert list(profile.choices) == list(PROFILES)
