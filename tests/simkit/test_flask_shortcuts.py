"""What the simulators' Flask layer does on every request, done more cheaply, does what it did before: the security
headers, the session left alone when nobody used it, the namespace a request names, and views and hooks run as
Flask runs them."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask, jsonify, request, session
from flask.sessions import SecureCookieSessionInterface
from werkzeug.datastructures import Headers

from simkit import security
from simkit.app import SimFlask
from simkit.web import NAMESPACE_HEADER, ROUTING_PARAMS, requested_namespace


def _requested_before(*, header: bool = True) -> str | None:
    """requested_namespace as it was: through request.args.get and request.headers.get."""
    for name in ROUTING_PARAMS:
        if request.args.get(name):
            return request.args[name]
    return (request.headers.get(NAMESPACE_HEADER) or None) if header else None


@pytest.mark.parametrize(
    "query",
    ["", "namespace=3", "account=4", "namespace=&account=4", "namespace=3&namespace=5", "account=", "x=1"],
)
@pytest.mark.parametrize("sent", [None, "", "7"])
@pytest.mark.parametrize("header", [True, False])
def test_the_namespace_a_request_names_is_the_one_it_named_before(query, sent, header):
    app = Flask("namespace-test")
    headers = {} if sent is None else {NAMESPACE_HEADER: sent}
    with app.test_request_context(f"/x?{query}", headers=headers):
        assert requested_namespace(header=header) == _requested_before(header=header)


def _add_headers_before(headers: Headers) -> None:
    for name, value in security.HEADERS.items():
        headers.setdefault(name, value)


@pytest.mark.parametrize(
    "given",
    [
        [],
        [("Content-Type", "application/pdf")],
        [("x-frame-options", "DENY"), ("Content-Type", "text/html")],
        [("Content-Security-Policy", "default-src 'none'"), ("Content-Security-Policy", "sandbox")],
        [("X-Content-Type-Options", "nosniff"), ("X-FRAME-OPTIONS", "SAMEORIGIN")],
    ],
)
def test_the_security_headers_are_added_where_missing_as_setdefault_adds_them(given):
    ours, theirs = Headers(given), Headers(given)
    security.add_headers(ours)
    _add_headers_before(theirs)
    assert ours.to_wsgi_list() == theirs.to_wsgi_list()


class _FlasksOwnSave(security._SessionInterface):
    """The simulators' session interface with Flask's own save_session: what every response was saved with."""

    save_session = SecureCookieSessionInterface.save_session


def _session_app(interface: type[SecureCookieSessionInterface]) -> Flask:
    app = Flask("session-test")
    app.config["SECRET_KEY"] = "test"
    security.install(app)
    app.session_interface = interface()

    @app.get("/untouched")
    def untouched():
        return jsonify({})

    @app.get("/read")
    def read():
        return jsonify({"seen": session.get("seen")})

    @app.get("/write")
    def write():
        session["seen"] = 1
        return jsonify({})

    @app.get("/clear")
    def clear():
        session.clear()
        return jsonify({})

    @app.get("/modified")
    def modified():
        session.modified = True
        return jsonify({})

    return app


@pytest.mark.parametrize("path", ["/untouched", "/read", "/write", "/clear", "/modified"])
@pytest.mark.parametrize("with_cookie", [False, True])
def test_a_response_carries_the_session_cookie_and_vary_it_carried_before(path, with_cookie):
    replies = []
    for interface in (security._SessionInterface, _FlasksOwnSave):
        client = _session_app(interface).test_client()
        if with_cookie:
            client.get("/write")
        reply = client.get(path)
        replies.append((reply.status, reply.headers.to_wsgi_list(), reply.data))
    ours, theirs = replies
    assert ours == theirs


def test_a_plain_view_is_run_as_it_is():
    def view() -> str:
        return "plain"

    app = SimFlask("sync-test")
    assert app.ensure_sync(view) is view
    assert app.ensure_sync(view) is view  # asked once, answered the same


def test_a_coroutine_view_is_made_synchronous_as_flask_makes_it(monkeypatch):
    async def view() -> str:
        await asyncio.sleep(0)
        return "async"

    made: list[Callable[..., Any]] = []

    def async_to_sync(self: Flask, func: Callable[..., Any]) -> Callable[..., Any]:
        made.append(func)
        return lambda: "wrapped"

    monkeypatch.setattr(Flask, "async_to_sync", async_to_sync)
    app = SimFlask("async-test")
    assert app.ensure_sync(view)() == "wrapped" and app.ensure_sync(view)() == "wrapped"
    assert made == [view, view]  # wrapped on each call, as Flask wraps it


def test_an_unhashable_callable_is_asked_each_time():
    class View(dict):  # a dict: not hashable
        def __call__(self) -> str:
            return "called"

    view = View()
    assert SimFlask("unhashable-test").ensure_sync(view) is view
