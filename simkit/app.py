"""What every simulator app is made of, whatever it simulates: the world in app.extensions, the /__sim
control plane, the shared portal stylesheet, the fault-and-journal middleware, and error handlers that never
let a traceback reach a user."""

from __future__ import annotations

import functools
import inspect
import logging
import secrets
import sqlite3
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from flask import Blueprint, Flask, jsonify, request
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import HTTPException
from werkzeug.routing import Rule
from werkzeug.wrappers import Response

from .assets import assets_blueprint
from .control_plane import control_blueprint
from .middleware import SimMiddleware
from .security import install as install_security
from .server import ERROR_REPLY

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIApplication

    from .world import World


class LazyBuilderRule(Rule):
    """A URL rule whose two builders (what url_for runs) are compiled the first time one is used. Werkzeug
    compiles both for every rule as it is added, each from a syntax tree it makes: most of what building an app
    costs (~150 rules per app), for builders url_for calls for a handful of rules. Matching never uses them."""

    def _compile_builder(self, append_unknown: bool = True) -> Callable[..., tuple[str, str]]:
        compiled: list[Callable[..., tuple[str, str]]] = []

        def build(rule: Rule, /, **values: object) -> tuple[str, str]:
            if not compiled:
                compiled.append(Rule._compile_builder(rule, append_unknown).__get__(rule, None))
            return compiled[0](**values)

        return build


class SimFlask(Flask):
    """Flask, asking once per function whether it is a coroutine function: ensure_sync asks it of each view and
    hook on every request, and inspect's answer costs more than the rest of a hook's call."""

    def ensure_sync(self, func: Callable[..., Any]) -> Callable[..., Any]:
        try:
            is_async = _is_async(func)
        except TypeError:  # an unhashable callable: asked each time, as Flask does
            return super().ensure_sync(func)
        return self.async_to_sync(func) if is_async else func


@functools.lru_cache(maxsize=1024)
def _is_async(func: Callable[..., Any]) -> bool:
    return inspect.iscoroutinefunction(func)


def make_app(
    import_name: str,
    world: World,
    blueprints: list[Blueprint],
    page_error: Callable[[int, str, str], ResponseReturnValue],
    api_error: Callable[[int, str], ResponseReturnValue] | None = None,
    front: Callable[[Flask, WSGIApplication], WSGIApplication] | None = None,
) -> Flask:
    """page_error(code, name, description) answers for pages; api_error(code, name) for /api (default: JSON
    {"error": {...}}); the control plane always answers JSON. `front(app, wsgi)`: a WSGI app that serves some
    paths itself ahead of Flask and hands the rest to `wsgi` (inside the middleware: journaled and faulted)."""
    app = SimFlask(import_name)
    app.url_rule_class = LazyBuilderRule
    app.config["SECRET_KEY"] = secrets.token_hex(32)  # portal sessions must not be forgeable from the seed
    # Both simulators usually share 127.0.0.1 and browsers share cookies across ports: one name each.
    app.config["SESSION_COOKIE_NAME"] = f"{world.name}_session"
    app.extensions["kasim.world"] = world
    install_security(app)
    for bp in [control_blueprint(), assets_blueprint(), *blueprints]:
        app.register_blueprint(bp)

    @app.get("/favicon.ico")
    def favicon() -> Response:
        """Each app's own icon (its static/favicon.ico): browsers ask for it on every page."""
        return app.send_static_file("favicon.ico")

    log = logging.getLogger(f"kasim.{world.name}")

    def answer(code: int, name: str, description: str) -> ResponseReturnValue:
        if request.path.startswith("/api") and api_error is not None:
            return api_error(code, name)
        if request.path.startswith(("/api", "/__sim")):
            return jsonify(
                {"error": {"code": name.lower().replace(" ", "_"), "message": description, "field": None}}
            ), code
        return page_error(code, name, description)

    def refusal_for(code: int, name: str, description: str, path: str) -> Response:
        """The answer the app gives at `path` for an HTTP error the server raises before the app runs (a
        request line over 64 KB): the same shapes as every other refusal (S6)."""
        with app.test_request_context(path):
            return app.make_response(answer(code, name, description))

    app.extensions[ERROR_REPLY] = refusal_for

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> ResponseReturnValue:
        return answer(exc.code or 500, exc.name, exc.description or "")

    @app.errorhandler(OverflowError)
    def too_large(exc: OverflowError) -> ResponseReturnValue:
        """A number bigger than any id (SQLite holds 64 bits) in a URL or a body: bad input, not a crash."""
        return answer(
            400, "Bad Request", "a number in the request is too large (at most 9223372036854775807)"
        )

    @app.errorhandler(sqlite3.IntegrityError)
    def changed_meanwhile(exc: sqlite3.IntegrityError) -> ResponseReturnValue:
        """A write whose company or account a concurrent reset or snapshot removed: a conflict, not a crash."""
        log.info("a write no longer fits the world on %s %s: %s", request.method, request.path, exc)
        return answer(
            409, "Conflict", "what this request refers to changed while it ran (a reset?): try again"
        )

    @app.errorhandler(RecursionError)
    def too_deep(exc: RecursionError) -> ResponseReturnValue:
        """Input nested deeper than Python's stack (JSON a thousand levels deep): bad input, not a crash."""
        return answer(400, "Bad Request", "the request is nested too deeply to read")

    @app.errorhandler(Exception)
    def unexpected(exc: Exception) -> ResponseReturnValue:
        log.exception("unexpected error on %s %s", request.method, request.path)
        return answer(500, "Internal error", "The simulator hit an unexpected error; it has been logged.")

    inner = front(app, app.wsgi_app) if front is not None else app.wsgi_app
    # Flask's documented way to wrap its WSGI app; mypy sees a method being replaced
    app.wsgi_app = SimMiddleware(inner, world, app.url_map)  # type: ignore[method-assign]
    return app
