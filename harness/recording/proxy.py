"""`kasim proxy`: a WSGI app that forwards every call unchanged to a Komet and records each API exchange.

Whatever the client sends is sent on (verb, path, query, body, headers but the hop-by-hop ones), and whatever
the target answers is answered (status, headers, body); a grower pointed at the proxy works as before. Only
`/api/<method>` exchanges are recorded, tokens redacted (`redaction`). When the target is a kasim simulator
(it answers `/__sim/health`), each exchange also notes the simulator's virtual time, so a replay happens at
the same instant as the original; a real Komet has no such route and the proxy's own clock stands.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs, urlsplit

import requests

from simkit.middleware import read_body

from . import redaction
from .format import Writer

# RFC 9110, section 7.6.1: meaningful for one connection only, never forwarded. Content-Encoding and Content-Length
# are set again for the body as it is passed on (requests has already decoded a compressed one).
HOP_BY_HOP = frozenset(
    {
        "connection",
        "keep-alive",
        "proxy-authenticate",
        "proxy-authorization",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
        "host",
        "content-length",
        "content-encoding",
    }
)


def forward_url(target: str, path: str) -> str:
    """The target's URL for a request path: the path is appended to the target, except that a target
    already ending in /api does not get a second /api (a client that adds /api itself)."""
    base = target.rstrip("/")
    if urlsplit(base).path.endswith("/api") and (path == "/api" or path.startswith("/api/")):
        path = path[len("/api") :]
    return base + path


def method_of(path: str) -> str | None:
    """The Komet method a path calls (`/api/purchase.order.list` → `purchase.order.list`), None for others."""
    if "/api/" not in path:
        return None
    name = path.rsplit("/api/", 1)[1].strip("/")
    return name or None


def _decoded(raw: bytes, content_type: str | None) -> Any:
    """A body as the recording keeps it: JSON as JSON, text as text, bytes as their size."""
    if not raw:
        return None
    ctype = (content_type or "").split(";")[0].strip().lower()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return {"contentType": ctype or "application/octet-stream", "bytes": len(raw)}
    if ctype == "application/json" or ctype.endswith("+json") or text.lstrip()[:1] in ("{", "["):
        try:
            return json.loads(text)
        except ValueError:
            return text
    return text


def _query(query_string: str) -> dict[str, str | list[str]]:
    parsed = parse_qs(query_string, keep_blank_values=True)
    return {k: v[0] if len(v) == 1 else v for k, v in parsed.items()}


def _token(query: dict, body: Any) -> str | None:
    """The call's token as recorded (a placeholder): the body's, else the query's (the body wins, K1)."""
    if isinstance(body, dict) and "authenticationToken" in body:
        value = body["authenticationToken"]
    else:
        value = query.get("authenticationToken")
    return value if isinstance(value, str) else None


def _stamp(when: datetime) -> str:
    return when.strftime("%Y-%m-%dT%H:%M:%S.") + f"{when.microsecond // 1000:03d}Z"


class RecordingProxy:
    """The proxy as a WSGI app. `session` reaches the target (tests mount an app on it); `writer` records."""

    def __init__(
        self,
        target: str,
        writer: Writer,
        session: requests.Session | None = None,
        timeout: float = 60.0,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ):
        self.target = target.rstrip("/")
        self.writer = writer
        self.session = session or requests.Session()
        self.session.trust_env = False  # the target is named; no proxy from the environment in between
        self.timeout = timeout
        self.now = now
        parts = urlsplit(self.target)
        self.origin = f"{parts.scheme}://{parts.netloc}"
        self.simulator = self._is_simulator()
        self.recorded = 0

    def _is_simulator(self) -> bool:
        try:
            resp = self.session.get(f"{self.origin}/__sim/health", timeout=5)
            return resp.status_code == 200 and resp.json().get("app") == "komet"
        except (requests.RequestException, ValueError, AttributeError):
            return False

    def _server_time(self, account: str | None) -> str | None:
        """The simulator's time for the calling company (its own offset on a shared server; the company ID
        comes as X-ACCOUNT, as ASINFO sends it)."""
        if not self.simulator:
            return None
        try:
            params = {"namespace": account} if account else None
            return self.session.get(f"{self.origin}/__sim/clock", params=params, timeout=5).json()["now"]
        except (requests.RequestException, ValueError, KeyError, TypeError):
            return None

    def __call__(self, environ: dict, start_response):
        path = environ.get("PATH_INFO") or "/"
        query_string = environ.get("QUERY_STRING", "")
        verb = environ.get("REQUEST_METHOD", "GET")
        raw = read_body(environ)
        url = forward_url(self.target, path)
        method = method_of(urlsplit(url).path)
        headers = {
            key[5:].replace("_", "-").title(): value
            for key, value in environ.items()
            if key.startswith("HTTP_") and key[5:].replace("_", "-").lower() not in HOP_BY_HOP
        }
        if environ.get("CONTENT_TYPE"):
            headers["Content-Type"] = environ["CONTENT_TYPE"]
        server_time = self._server_time(environ.get("HTTP_X_ACCOUNT")) if method else None
        started = self.now()
        t0 = time.perf_counter()
        try:
            resp = self.session.request(
                verb,
                url + (f"?{query_string}" if query_string else ""),
                data=raw or None,
                headers=headers,
                timeout=self.timeout,
                allow_redirects=False,
            )
        except requests.RequestException as exc:
            error = f"no reply from the target: {type(exc).__name__}"
            if method:
                self._record(
                    started, t0, server_time, method, verb, url, query_string, raw, environ, None, error
                )
            body = json.dumps({"status": "0", "message": f"kasim proxy: {error}"}).encode()
            start_response(
                "502 Bad Gateway", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))]
            )
            return [body]
        content = resp.content
        if method:
            self._record(started, t0, server_time, method, verb, url, query_string, raw, environ, resp, None)
        out = [(k, v) for k, v in resp.headers.items() if k.lower() not in HOP_BY_HOP]
        out.append(("Content-Length", str(len(content))))
        start_response(f"{resp.status_code} {resp.reason or ''}".strip(), out)
        return [content]

    def _record(self, started, t0, server_time, method, verb, url, query_string, raw, environ, resp, error):
        query = redaction.redact(_query(query_string))
        body = redaction.redact(_decoded(raw, environ.get("CONTENT_TYPE")))
        request: dict = {"verb": verb, "path": urlsplit(url).path, "query": query, "body": body}
        if environ.get("HTTP_X_ACCOUNT"):
            request["account"] = environ["HTTP_X_ACCOUNT"]
        entry: dict = {"at": _stamp(started), "ms": round((time.perf_counter() - t0) * 1000, 3)}
        if server_time:
            entry["serverTime"] = server_time
        entry.update({"method": method, "token": _token(query, body), "request": request})
        if resp is None:
            entry["reply"] = None
            entry["error"] = error
        else:
            content_type = resp.headers.get("Content-Type")
            decoded = _decoded(resp.content, content_type)
            kept = redaction.redact(decoded)
            reply: dict = {"status": resp.status_code, "contentType": content_type, "body": kept}
            reply["bytes"] = len(resp.content)
            if kept == decoded:  # a redacted body is no longer the bytes that came: no digest of them
                reply["sha256"] = hashlib.sha256(resp.content).hexdigest()
            entry["reply"] = reply
        self.writer.append(entry)
        self.recorded += 1
