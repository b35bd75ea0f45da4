"""WSGI layer around each simulator: injects the faults that match, and journals every exchange.

It sits outside Flask so that a reset or a lost reply really leaves the app (Flask would turn an
exception into a 500). Control-plane housekeeping routes are neither faulted nor journaled.
"""

from __future__ import annotations

import contextvars
import io
import json
import threading
import time
from typing import Any

from .context import CORRELATION, NAMESPACE
from .errors import DropConnection, SimulatedTimeout
from .faults import Held
from .ids import derive
from .journal import may_hold_secrets, redact, redact_query, redact_text

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


def decode_body(raw: bytes, content_type: str) -> Any:
    """What the journal keeps of a body: JSON or form data redacted, text as is, bytes as a size."""
    if not raw:
        return None
    ctype = (content_type or "").split(";")[0].strip().lower()
    if ctype == "application/json" or ctype.endswith("+json"):
        try:
            data = json.loads(raw)
            return redact(data) if may_hold_secrets(raw) else data
        except ValueError:
            return redact_text(raw[:2000].decode("utf-8", "replace"))
    if ctype == "application/x-www-form-urlencoded":
        return redact_query(raw.decode("utf-8", "replace"))
    if ctype.startswith("text/") and "html" not in ctype:
        return redact_text(raw[:4000].decode("utf-8", "replace"))
    return {"contentType": ctype or "application/octet-stream", "bytes": len(raw)}


def read_body(environ: dict) -> bytes:
    """The request body, at most MAX_BUFFER bytes: by Content-Length, or to the end of a chunked body
    (no Content-Length; the server marks the input terminated)."""
    length = environ.get("CONTENT_LENGTH")
    try:
        size = int(length) if length else None
    except ValueError:
        size = None
    if size is not None:
        return environ["wsgi.input"].read(min(size, MAX_BUFFER)) if size > 0 else b""
    if environ.get("wsgi.input_terminated"):
        return environ["wsgi.input"].read(MAX_BUFFER)
    return b""


def drift_types(value: Any, rng) -> Any:
    """Flip some numbers to strings and numeric strings to numbers (K2's `type_drift`)."""
    if isinstance(value, dict):
        return {k: drift_types(v, rng) for k, v in value.items()}
    if isinstance(value, list):
        return [drift_types(v, rng) for v in value]
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and rng.random() < 0.5:
        return str(value)
    # Only strings that survive the round trip: "00042" stays text (a box code's zeros are not noise).
    if (
        isinstance(value, str)
        and value.lstrip("-").isdigit()
        and len(value) < 12
        and str(int(value)) == value
        and rng.random() < 0.5
    ):
        return int(value)
    return value


class SimMiddleware:
    def __init__(self, app, world, url_map=None):
        self.app = app
        self.world = world
        self.url_map = url_map  # to name a request by its endpoint before the app has seen it

    def _endpoint(self, environ) -> str | None:
        """The operation a route implements (its view function's name), as the journal names it."""
        if self.url_map is None:
            return None
        try:
            endpoint, _ = self.url_map.bind_to_environ(environ).match()
        except Exception:  # no route: a 404 or 405 to come, which names no operation
            return None
        return endpoint.rsplit(".", 1)[-1]

    def _call(self, environ: dict, body: bytes) -> tuple[str, list, bytes, dict]:
        environ = dict(environ)
        environ["wsgi.input"] = io.BytesIO(body)
        captured: dict = {}

        def start_response(status, headers, exc_info=None):
            captured["status"], captured["headers"] = status, headers
            return lambda data: None

        result = self.app(environ, start_response)
        try:
            payload = b"".join(result)
        finally:
            if hasattr(result, "close"):
                result.close()
        return captured["status"], captured["headers"], payload, environ

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        if path.startswith(QUIET_PREFIXES):
            return self.app(environ, start_response)
        # Each request runs in its own context: the namespace and correlation it sets never leak to the next.
        return contextvars.copy_context().run(self._in_context, path, environ, start_response)

    def _in_context(self, path: str, environ, start_response):
        CORRELATION.set(environ.get(CORRELATION_HEADER))
        NAMESPACE.set(environ.get("HTTP_X_KASIM_NAMESPACE") or None)  # never inherited from a calling app
        return self._serve(path, environ, start_response)

    def _serve(self, path: str, environ, start_response):
        world = self.world
        body = read_body(environ)
        environ["wsgi.input"] = io.BytesIO(body)
        verb = environ.get("REQUEST_METHOD", "GET")
        in_process = environ.get("kasim.transport") == "in-process"
        rule = None
        if not path.startswith("/__sim/") and world.faults.active():
            op, namespace = world.resolve(environ, body)
            op = op or self._endpoint(environ)
            environ["kasim.op"], environ["kasim.namespace"] = op, namespace
            rule = world.faults.pick(path, op, verb, namespace)
        entry: dict = {
            "correlation": environ.get(CORRELATION_HEADER),
            "direction": "in",
            "agent": environ.get("HTTP_USER_AGENT", "").split(" ")[0],
            "lookup": environ.get("HTTP_X_KASIM_LOOKUP") == "1",
            "begin": world.clock.tick(),
            "request": {
                "method": verb,
                "path": path,
                "query": redact_query(environ.get("QUERY_STRING", "")),
                "body": decode_body(body, environ.get("CONTENT_TYPE", "")),
            },
        }
        if rule:
            entry["fault"] = rule.kind
        kind = rule.kind if rule else None

        late_timeout = False
        if kind == "latency":
            delay = world.faults.latency(rule)
            client_timeout = environ.get("kasim.client_timeout")
            if in_process and client_timeout is not None and delay > client_timeout:
                # The server still does the work; the client has given up by the time it is done.
                time.sleep(client_timeout)
                late_timeout = True
            else:
                time.sleep(delay)
        if kind in ("error", "rate_limit"):
            return self._refuse(rule, entry, environ, start_response)
        if kind in ("timeout", "reset"):
            self._record(entry, environ, None)
            if kind == "timeout":
                if not in_process:
                    time.sleep(rule.seconds)
                raise SimulatedTimeout("request held until the client gave up (simulated timeout)")
            raise DropConnection("connection reset by peer (simulated)")

        if kind == "late":
            return self._late(rule, entry, environ, body, in_process)

        status, headers, payload, inner_env = self._call(environ, body)
        if kind == "duplicate":
            status2, _, payload2, _ = self._call(environ, body)
            entry["duplicate"] = {
                "status": int(status2.split()[0]),
                "body": decode_body(payload2, _header(headers, "Content-Type")),
            }
        if kind == "type_drift" and _header(headers, "Content-Type").startswith("application/json"):
            rng = derive(world.seed, "drift", rule.id, rule.hits)
            payload = json.dumps(drift_types(json.loads(payload), rng)).encode()
            headers = [(k, v) for k, v in headers if k.lower() != "content-length"]
            headers.append(("Content-Length", str(len(payload))))
        reply = inner_env.get("kasim.reply")
        if reply is not None and kind != "type_drift":  # the app handed over the object it serialised
            body_view = redact(reply) if may_hold_secrets(payload) else reply
        else:
            body_view = decode_body(payload, _header(headers, "Content-Type"))
        entry["response"] = {"status": int(status.split()[0]), "body": body_view}
        self._record(entry, inner_env, status)
        if kind == "hold" and not self._wait_for_release(rule, environ, in_process):
            raise SimulatedTimeout("the reply was held past the client's timeout")
        if kind == "lost_response":
            raise DropConnection("reply lost: the request was processed, then the connection reset")
        if late_timeout:
            raise SimulatedTimeout("the reply came after the client's timeout")
        start_response(status, headers)
        return [payload]

    def _late(self, rule, entry: dict, environ: dict, body: bytes, in_process: bool):
        """Keep the request for later: the client times out now, the app processes it when released (in the
        request's own context, so its namespace and correlation hold), journaled as a late arrival."""
        self._record(entry, environ, None)
        context = contextvars.copy_context()

        def finish() -> None:
            late = {**entry, "late": True, "begin": self.world.clock.tick()}
            late.pop("end", None)
            status, headers, payload, inner_env = context.run(self._call, environ, body)
            late["response"] = {
                "status": int(status.split()[0]),
                "body": decode_body(payload, _header(headers, "Content-Type")),
            }
            self._record(late, inner_env, status)

        self.world.faults.hold(
            Held(rule.id, "late", environ.get("kasim.namespace"), finish, environ.get("kasim.op"))
        )
        if not in_process:
            time.sleep(rule.seconds)  # a socket client waits for its own timeout, as with `timeout`
        raise SimulatedTimeout("request held: it will be processed after the client gave up")

    def _wait_for_release(self, rule, environ: dict, in_process: bool) -> bool:
        """A `hold` reply waits for release; False when the client's timeout (or the rule's limit) passes."""
        released = threading.Event()
        self.world.faults.hold(
            Held(rule.id, "hold", environ.get("kasim.namespace"), released.set, environ.get("kasim.op"))
        )
        limit = rule.seconds
        client_timeout = environ.get("kasim.client_timeout")
        if in_process and client_timeout is not None:
            limit = min(limit, client_timeout)
        return released.wait(limit)

    def _record(self, entry: dict, environ: dict, status) -> None:
        entry["end"] = self.world.clock.tick()
        entry["namespace"] = environ.get("kasim.namespace")
        entry["op"] = environ.get("kasim.op")
        if environ.get("kasim.caller") is not None:  # the app's id of who called (never a secret)
            entry["caller"] = environ["kasim.caller"]
        if status is None:
            entry["response"] = None
        self.world.journal.record(entry)

    def _refuse(self, rule, entry, environ, start_response):
        reason = {
            429: "Too Many Requests",
            500: "Internal Server Error",
            502: "Bad Gateway",
            503: "Service Unavailable",
            504: "Gateway Timeout",
        }.get(rule.status, "Error")
        body = f"<html><body><h1>{rule.status} {reason}</h1></body></html>".encode()
        headers = [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(body)))]
        if rule.status == 429:
            headers.append(("Retry-After", str(rule.retryAfter)))
        entry["response"] = {"status": rule.status, "body": f"{rule.status} {reason}"}
        if rule.status == 429:
            entry["response"]["retryAfter"] = rule.retryAfter
        entry["end"] = self.world.clock.tick()
        entry["namespace"] = environ.get("kasim.namespace")
        entry["op"] = environ.get("kasim.op")
        self.world.journal.record(entry)
        start_response(f"{rule.status} {reason}", headers)
        return [body]


def _header(headers: list, name: str) -> str:
    for k, v in headers:
        if k.lower() == name.lower():
            return v
    return ""


def install_world(app, world) -> None:
    """Give an app a fresh world, keeping its routes: far cheaper than building a new Flask app (Werkzeug
    compiles every URL rule), for a harness that runs many short-lived worlds one after another."""
    app.extensions["kasim.world"] = world
    middleware = app.wsgi_app
    if not isinstance(middleware, SimMiddleware):
        raise TypeError("not a kasim simulator app")
    middleware.world = world
