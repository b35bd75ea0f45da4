"""The method table is the one place each Komet method is described: every copy and every consumer agrees
with it, and each client calls each method the way the table says."""

from __future__ import annotations

import inspect
import json

import pytest
import requests
from flask import Flask, jsonify, request

from asinfo_sim import komet_client
from harness.clients import KometSimClient as HarnessKomet
from komet_sim import copies
from komet_sim.api import handlers
from komet_sim.domain.tokens import resolve_methods
from komet_sim.methods import ASINFO_PRESET, METHODS, NOT_SIMULATED, TOKEN_METHODS
from komet_sim.portal.token_pages import PRESETS
from simkit.transport import mount


def test_every_method_has_its_handler_and_every_handler_its_method():
    public = {
        name
        for name, fn in inspect.getmembers(handlers, inspect.isfunction)
        if fn.__module__ == handlers.__name__ and not name.startswith("_")
    }
    assert public == {m.handler for m in METHODS.values()}


def test_asinfo_copy_of_the_verbs_is_what_the_table_renders():
    assert copies.ASINFO_METHODS.read_text() == copies.asinfo_methods(), (
        "asinfo_sim/komet_methods.py disagrees with komet_sim's method table: run python -m komet_sim.copies"
    )


def test_a_method_kasim_does_not_simulate_is_not_also_in_the_table():
    assert not set(NOT_SIMULATED) & set(METHODS)


def test_the_preset_and_the_token_methods_are_the_tables():
    assert resolve_methods("asinfo") == list(ASINFO_PRESET)
    assert resolve_methods("all") == list(TOKEN_METHODS) == [m for m in METHODS if METHODS[m].auth]
    assert PRESETS["asinfo"] == ASINFO_PRESET
    assert tuple(m.name for m in METHODS.values() if m.preset) == ASINFO_PRESET


def recorder() -> tuple[Flask, list]:
    """A stand-in Komet that records how each call arrived and answers success."""
    app = Flask("recorder")
    calls: list = []

    @app.route("/api/<method>", methods=["GET", "POST"])
    def api(method):
        body = request.get_data()
        calls.append((method, request.method, sorted(request.args), json.loads(body) if body else None))
        return jsonify({"status": "1", "message": "OK"})

    return app, calls


def expected_call(name: str) -> tuple:
    method = METHODS[name]
    if method.in_query:
        return (name, method.verb, ["authenticationToken"], None)
    return (name, method.verb, [], {"authenticationToken": "t0ken"})


@pytest.mark.parametrize("name", sorted(METHODS))
def test_asinfo_calls_each_method_with_the_tables_verb_and_transport(name):
    app, calls = recorder()
    session = requests.Session()
    mount(session, "http://komet.test", app)
    komet_client.KometClient("http://komet.test", "t0ken", session=session).call(name)
    assert calls == [expected_call(name)]


@pytest.mark.parametrize("name", sorted(METHODS))
def test_the_harness_calls_each_method_with_the_tables_verb_and_transport(name):
    app, calls = recorder()
    HarnessKomet("http://komet.test", app=app).api(name, "t0ken")
    assert calls == [expected_call(name)]
