"""What keeps a web page in someone's browser from using a simulator it can reach (docs/decisions.md S1, S2).

- A state-changing request (any verb but GET, HEAD, OPTIONS) that a browser sends from another origin is
  refused: its `Origin` (or, without one, its `Referer`) must be this site. Browsers send `Origin` on every
  cross-origin POST, so this covers every portal form, the JSON APIs and the control plane alike; scripts
  and API clients send neither and pass.
- Served on a socket, the `Host` header must be a name the server answers to: a page on attacker.example
  whose DNS later points at 127.0.0.1 (DNS rebinding) would otherwise be "same origin".
- Pages may be framed only by the same site; session cookies are SameSite=Lax, and Secure over TLS.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, has_request_context, request
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface, SessionMixin
from flask.wrappers import Request as FlaskRequest
from flask.wrappers import Response as FlaskResponse
from werkzeug.datastructures import Headers
from werkzeug.exceptions import BadRequest, Forbidden
from werkzeug.wrappers import Request, Response

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1")
HOSTS_KEY = (
    "kasim.hosts"  # environ: the names the server that took the request answers to (absent in process)
)

HEADERS = {
    "X-Frame-Options": "SAMEORIGIN",  # ASINFO's label page frames its own PDF
    "Content-Security-Policy": "frame-ancestors 'self'",
    "X-Content-Type-Options": "nosniff",
}


class _SessionInterface(SecureCookieSessionInterface):
    """The session cookie is Secure whenever the request came over TLS, whatever the config says."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"]) or (has_request_context() and request.is_secure)

    def open_session(self, app: Flask, request: FlaskRequest) -> SecureCookieSession | None:
        """A request without any cookie (every API and harness call) gets the empty session Flask would give it,
        without building the cookie signer and parsing no header first: a tenth of a small request's cost."""
        if app.secret_key and not request.environ.get("HTTP_COOKIE"):
            return self.session_class()
        return super().open_session(app, request)

    def save_session(self, app: Flask, session: SessionMixin, response: FlaskResponse) -> None:
        """A session nobody read, changed or filled in leaves the response as it is: Flask's save_session works out
        the cookie's every setting first, and then finds nothing to do."""
        if session or session.modified or session.accessed:
            super().save_session(app, session, response)


def install(app: Flask) -> None:
    """The checks and headers above, on every route of `app`."""
    app.config["SESSION_COOKIE_SAMESITE"] = "Lax"
    app.config["SESSION_COOKIE_HTTPONLY"] = True
    app.session_interface = _SessionInterface()

    @app.before_request
    def guard() -> None:
        check_request(request)

    @app.after_request
    def headers(response: Response) -> Response:
        add_headers(response.headers)
        return response


def check_request(req: Request) -> None:
    """The Host and Origin rules above, for any request (Flask's, or a plain WSGI edge's)."""
    check_host(req, req.environ.get(HOSTS_KEY))
    check_origin(req)


def add_headers(headers: Headers) -> None:
    """headers.setdefault(name, value) for each of HEADERS, from one look at the names there are: a Headers
    finds a name it lacks by raising (and catching) an exception, three times a response otherwise."""
    present = {name.lower() for name, _ in headers}
    for name, value in HEADERS.items():
        if name.lower() not in present:
            headers.add(name, value)


def host_name(netloc: str) -> str:
    """'127.0.0.1:5001' → '127.0.0.1'; '[::1]:5001' → '::1'; lower case."""
    netloc = netloc.strip().lower()
    if netloc.startswith("["):
        return netloc[1:].partition("]")[0]
    return netloc.rpartition(":")[0] if netloc.count(":") == 1 else netloc


def check_host(req: Request, allowed: set[str] | None) -> None:
    if allowed is None:
        return
    given = req.headers.get("Host", "")
    if host_name(given) not in allowed:
        names = ", ".join(sorted(allowed))
        raise BadRequest(
            f"Host {given!r} is not a name this simulator is served as ({names}); "
            "kasim serve --allow-host NAME adds one"
        )


def check_origin(req: Request) -> None:
    """Unsafe requests from a browser must come from this site (Origin, else Referer); others pass."""
    if req.method in SAFE_METHODS:
        return
    # the environ's own keys: req.headers.get finds a header that is not there by raising, inside
    origin = req.environ.get("HTTP_ORIGIN")
    source = origin if origin is not None else req.environ.get("HTTP_REFERER")
    if source is None:
        return  # not sent by a browser page (curl, requests, the harness, ASINFO's Komet client)
    parts = urlsplit(source.strip())
    site = f"{req.scheme}://{req.host}".lower()
    if source.strip().lower() == "null" or f"{parts.scheme}://{parts.netloc}".lower() != site:
        raise Forbidden(
            f"a {req.method} from another site ({source.strip()[:100]}) is refused: "
            "state-changing requests must come from this simulator's own pages"
        )
