"""Scenario engine, invariants, property checks, CLI and pytest plugin: drives both simulators."""
