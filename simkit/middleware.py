"""WSGI layer around each simulator: injects the faults that match, and journals every exchange.

It sits outside Flask so that a reset or a lost reply really leaves the app (Flask would turn an
exception into a 500). Control-plane housekeeping routes are neither faulted nor journaled.
"""

from __future__ import annotations

import contextvars
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from flask import Flask

from .context import CORRELATION, NAMESPACE
from .fault_kinds import KINDS, NO_FAULT
from .journal import SECRETS_ENV, decode_body, redact_query

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment
    from werkzeug.routing import Map

    from .faults import FaultRule
    from .world import World

QUIET_PREFIXES = (
    "/__sim/health",
    "/__sim/journal",
    "/__sim/state",
    "/__sim/clock",
    "/__sim/faults",
    "/__sim/reset",
    "/__sim/seed",
    "/static/",
    "/favicon.ico",
    "/openapi.json",
    "/docs",
)
MAX_BUFFER = 8 * 1024 * 1024
CORRELATION_HEADER = "HTTP_X_KASIM_CORRELATION"


def read_body(environ: WSGIEnvironment) -> bytes:
    """The request body, at most MAX_BUFFER bytes: by Content-Length, or to the end of a chunked body
    (no Content-Length; the server marks the input terminated)."""
    length = environ.get("CONTENT_LENGTH")
    try:
        size = int(length) if length else None
    except ValueError:
        size = None
    if size is not None:
        return _read(environ, min(size, MAX_BUFFER)) if size > 0 else b""
    if environ.get("wsgi.input_terminated"):
        return _read(environ, MAX_BUFFER)
    return b""


def _read(environ: WSGIEnvironment, size: int) -> bytes:
    data: bytes = environ["wsgi.input"].read(size)
    return data


@dataclass
class Reply:
    """What the app answered (its environ holds what it set while serving)."""

    status: str
    headers: list[tuple[str, str]]
    payload: bytes
    environ: WSGIEnvironment

    @property
    def status_code(self) -> int:
        return int(self.status.split()[0])

    @property
    def content_type(self) -> str:
        return _header(self.headers, "Content-Type")

    def replaced(self, headers: list[tuple[str, str]], payload: bytes) -> Reply:
        return Reply(self.status, headers, payload, self.environ)

    def journal_body(self, content_type: str | None = None) -> Any:
        """The payload decoded as `content_type` (its own by default), redacted."""
        return decode_body(self.payload, content_type or self.content_type)

    @property
    def json_payload(self) -> bytes | None:
        """The payload, when it is JSON: the journal keeps these bytes as sent (redacted), not a parsed copy."""
        ctype = self.content_type.split(";")[0].strip().lower()
        if self.payload and (ctype == "application/json" or ctype.endswith("+json")):
            return self.payload
        return None


class Exchange:
    """One request going through a fault: what its kind acts on (see simkit.fault_kinds)."""

    def __init__(
        self,
        middleware: SimMiddleware,
        rule: FaultRule | None,
        entry: dict[str, Any],
        environ: WSGIEnvironment,
        body: bytes,
        start_response: StartResponse,
    ) -> None:
        self.middleware, self.world, self.rule = middleware, middleware.world, rule
        self.entry, self.environ, self.body, self.start_response = entry, environ, body, start_response
        self.in_process = environ.get("kasim.transport") == "in-process"
        self.client_timeout: float | None = environ.get("kasim.client_timeout")
        self.client_gave_up = False  # the reply will be ready after the client's timeout

    @property
    def fault(self) -> FaultRule:
        """The rule that fired (kinds act only when one did)."""
        if self.rule is None:
            raise LookupError("no fault fired on this exchange")
        return self.rule

    def process(self) -> Reply:
        """Hand the request to the app (again, for a duplicate)."""
        status, headers, payload, inner = self.middleware.call_app(self.environ, self.body)
        return Reply(status, headers, payload, inner)

    def record(
        self,
        environ: WSGIEnvironment,
        status: str | None,
        entry: dict[str, Any] | None = None,
        body: bytes | None = None,
    ) -> None:
        self.middleware.record(self.entry if entry is None else entry, environ, status, body)


class SimMiddleware:
    def __init__(self, app: WSGIApplication, world: World, url_map: Map | None = None) -> None:
        self.app = app
        self.world = world
        self.url_map = url_map  # to name a request by its endpoint before the app has seen it

    def _endpoint(self, environ: WSGIEnvironment) -> str | None:
        """The operation a route implements (its view function's name), as the journal names it."""
        if self.url_map is None:
            return None
        try:
            endpoint, _ = self.url_map.bind_to_environ(environ).match()
        except Exception:  # no route: a 404 or 405 to come, which names no operation
            return None
        return str(endpoint).rsplit(".", 1)[-1]

    def call_app(
        self, environ: WSGIEnvironment, body: bytes
    ) -> tuple[str, list[tuple[str, str]], bytes, WSGIEnvironment]:
        environ = dict(environ)
        environ["wsgi.input"] = io.BytesIO(body)
        captured: dict[str, Any] = {}

        def start_response(
            status: str, headers: list[tuple[str, str]], exc_info: object = None
        ) -> Callable[[bytes], object]:
            captured["status"], captured["headers"] = status, headers
            return lambda data: None

        result = self.app(environ, start_response)
        try:
            payload = b"".join(result)
        finally:
            if hasattr(result, "close"):
                result.close()
        return captured["status"], captured["headers"], payload, environ

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if path.startswith(QUIET_PREFIXES):
            return self.app(environ, start_response)
        # Each request runs in its own context: the namespace and correlation it sets never leak to the next.
        return contextvars.copy_context().run(self._in_context, path, environ, start_response)

    def _in_context(
        self, path: str, environ: WSGIEnvironment, start_response: StartResponse
    ) -> Iterable[bytes]:
        CORRELATION.set(environ.get(CORRELATION_HEADER))
        NAMESPACE.set(environ.get("HTTP_X_KASIM_NAMESPACE") or None)  # never inherited from a calling app
        return self._serve(path, environ, start_response)

    def _serve(self, path: str, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        world = self.world
        body = read_body(environ)
        environ["wsgi.input"] = io.BytesIO(body)
        verb = environ.get("REQUEST_METHOD", "GET")
        rule = None
        if not path.startswith("/__sim/") and world.faults.active():
            op, namespace = world.resolve(environ, body)
            op = op or self._endpoint(environ)
            environ["kasim.op"], environ["kasim.namespace"] = op, namespace
            rule = world.faults.pick(path, op, verb, namespace)
        # Values the request carried under secret keys: blanked wherever they appear in its entry (the app adds
        # what it learns while serving, such as the token it authenticated).
        secrets: set[str] = environ.setdefault(SECRETS_ENV, set())
        entry: dict[str, Any] = {
            "correlation": environ.get(CORRELATION_HEADER),
            "direction": "in",
            "agent": environ.get("HTTP_USER_AGENT", "").split(" ")[0],
            "lookup": environ.get("HTTP_X_KASIM_LOOKUP") == "1",
            "begin": world.clock.tick(),
            "request": {
                "method": verb,
                "path": path,
                "query": redact_query(environ.get("QUERY_STRING", ""), secrets),
                "body": decode_body(body, environ.get("CONTENT_TYPE", ""), secrets),
            },
        }
        if rule:
            entry["fault"] = rule.kind
        kind = KINDS[rule.kind] if rule else NO_FAULT
        x = Exchange(self, rule, entry, environ, body, start_response)
        answered = kind.before(x)
        if answered is not None:
            return answered
        reply = kind.after(x, x.process())
        sent = reply.json_payload
        entry["response"] = {"status": reply.status_code}
        if sent is None:
            entry["response"]["body"] = reply.journal_body()
        self.record(entry, reply.environ, reply.status, sent)
        kind.deliver(x)
        start_response(reply.status, reply.headers)
        return [reply.payload]

    def record(
        self, entry: dict[str, Any], environ: WSGIEnvironment, status: str | None, body: bytes | None = None
    ) -> None:
        """Journal an exchange; `body`: the JSON reply as sent, kept as bytes."""
        entry["end"] = self.world.clock.tick()
        entry["namespace"] = environ.get("kasim.namespace")
        entry["op"] = environ.get("kasim.op")
        if environ.get("kasim.caller") is not None:  # the app's id of who called (never a secret)
            entry["caller"] = environ["kasim.caller"]
        if status is None:
            entry["response"] = None
        self.world.journal.record(entry, body, secrets=environ.get(SECRETS_ENV, ()))


def _header(headers: list[tuple[str, str]], name: str) -> str:
    for k, v in headers:
        if k.lower() == name.lower():
            return v
    return ""


def install_world(app: WSGIApplication, world: World) -> None:
    """Give an app a fresh world, keeping its routes: far cheaper than building a new Flask app (Werkzeug
    compiles every URL rule), for a harness that runs many short-lived worlds one after another."""
    if not isinstance(app, Flask) or not isinstance(app.wsgi_app, SimMiddleware):
        raise TypeError("not a kasim simulator app")
    app.extensions["kasim.world"] = world
    app.wsgi_app.world = world


def world_of(app: WSGIApplication) -> World:
    """The world an app serves now (the one install_world gave it last)."""
    if not isinstance(app, Flask) or not isinstance(app.wsgi_app, SimMiddleware):
        raise TypeError("not a kasim simulator app")
    return app.wsgi_app.world
