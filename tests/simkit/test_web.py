"""simkit.web: the world a request is served by, the namespace it acts for (one precedence), JSON bodies,
and one table from a refusal's code to its HTTP status."""

from __future__ import annotations

import pytest
from flask import Flask, jsonify, session

from simkit.context import NAMESPACE
from simkit.errors import HTTP_STATUS, BadInput, http_status
from simkit.middleware import install_world
from simkit.web import NoNamespace, current_namespace, current_world, requested_namespace

from .toykit import ToyWorld


class Worlds(ToyWorld):
    """A toy world whose namespaces are whatever the test says."""

    def __init__(self, known: list[str]):
        super().__init__()
        self.known = known

    def namespaces(self) -> list[str]:
        return self.known


def make_app(known: list[str]) -> Flask:
    app = Flask("web-test")
    app.config["SECRET_KEY"] = "test"
    app.extensions["kasim.world"] = Worlds(known)

    @app.get("/acting")
    def acting():
        try:
            chosen = current_namespace("namespace", "company", remembered=session.get("chosen"))
        except NoNamespace as exc:
            return jsonify({**exc.to_json(), "known": exc.known}), exc.http_status
        return jsonify({"namespace": chosen, "context": NAMESPACE.get()})

    @app.get("/remember/<ns>")
    def remember(ns: str):
        session["chosen"] = ns
        return jsonify({})

    @app.get("/scope")
    def scope():
        return jsonify({"namespace": requested_namespace(header=False)})

    @app.get("/world")
    def world_name():
        return jsonify({"id": id(current_world())})

    return app


def acting(app: Flask, path: str = "/acting", **kw) -> tuple[int, dict]:
    resp = app.test_client().get(path, **kw)
    return resp.status_code, resp.get_json()


def test_the_query_wins_over_the_header():
    app = make_app(["1", "2"])
    status, body = acting(app, "/acting?namespace=2", headers={"X-Kasim-Namespace": "1"})
    assert (status, body["namespace"]) == (200, "2")


def test_account_is_the_same_query_parameter_under_asinfo_s_name():
    assert acting(make_app(["1", "2"]), "/acting?account=2")[1]["namespace"] == "2"


def test_the_header_wins_over_what_the_session_remembers():
    client = make_app(["1", "2"]).test_client()
    client.get("/remember/1")
    assert client.get("/acting", headers={"X-Kasim-Namespace": "2"}).get_json()["namespace"] == "2"
    assert client.get("/acting").get_json()["namespace"] == "1"


def test_a_remembered_namespace_that_no_longer_exists_is_passed_over():
    client = make_app(["2"]).test_client()
    client.get("/remember/1")
    assert client.get("/acting").get_json()["namespace"] == "2"


def test_the_only_namespace_is_chosen_when_none_is_named_and_acted_for():
    status, body = acting(make_app(["7"]))
    assert (status, body) == (200, {"namespace": "7", "context": "7"})


def test_several_and_none_named_is_400_naming_the_field():
    status, body = acting(make_app(["1", "2"]))
    assert status == 400 and body["error"]["field"] == "namespace" and body["known"] == ["1", "2"]
    assert "say which with ?namespace=<id>" in body["error"]["message"]


@pytest.mark.parametrize(("known", "path"), [([], "/acting"), (["1"], "/acting?namespace=9")])
def test_none_at_all_or_an_unknown_one_is_404(known, path):
    status, body = acting(make_app(known), path)
    assert status == 404 and body["error"]["code"] == "not_found"


def test_the_control_plane_scope_reads_the_query_only():
    app = make_app(["1", "2"])
    assert acting(app, "/scope", headers={"X-Kasim-Namespace": "1"})[1] == {"namespace": None}
    assert acting(app, "/scope?namespace=2")[1] == {"namespace": "2"}


def test_current_world_follows_a_world_installed_later(toy_app):
    fresh = ToyWorld()
    install_world(toy_app, fresh)
    with toy_app.test_request_context("/"):
        assert current_world() is fresh


@pytest.mark.parametrize(("code", "status"), [*HTTP_STATUS.items(), ("anything else", 400)])
def test_one_table_gives_each_refusal_its_status(code, status):
    assert http_status(code) == status
    assert BadInput("f", "m", code).http_status == status
