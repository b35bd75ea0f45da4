"""Threaded server runner: a real socket (port 0 allowed), ready when start() returns."""

from __future__ import annotations

import contextlib
import errno
import logging
import socket
import struct
import threading
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from .errors import DropConnection
from .journal import redact_query
from .security import HOSTS_KEY, LOOPBACK_NAMES

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

ALL_INTERFACES = ("0.0.0.0", "", "::")  # noqa: S104 (names compared, not bound)

ERROR_REPLY = "kasim.error_reply"  # app.extensions: (code, name, description, path) -> the app's own refusal
POLL_SECONDS = 0.01  # how soon stop() is noticed: a test suite starts and stops hundreds of servers


class _Handler(WSGIRequestHandler):
    verbose = False
    redact_line = staticmethod(lambda line: line)  # the served world's secrets blanked (set per server)

    def connection_dropped(self, error: BaseException, environ: WSGIEnvironment | None = None) -> None:
        if isinstance(error, DropConnection):
            # An abortive close (RST), as a crashed or overloaded server would give.
            try:
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                self.connection.close()
            except OSError:
                pass
            self.close_connection = True

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """Errors the HTTP server finds before the app runs (a request line over 64 KB: 414; headers too
        large: 431) are answered as the app answers any refusal at that path, not as the server's HTML."""
        reply = getattr(self.server.app, "kasim_error_reply", None)
        path = _path_of(getattr(self, "raw_requestline", b""))
        if reply is None or path is None:
            super().send_error(code, message, explain)
            return
        name = {414: "URI Too Long", 431: "Request Header Fields Too Large"}.get(code) or self.responses.get(
            code, ("Error",)
        )[0]
        if code == 414:
            message = "the request line is longer than 64 KB: send long parameters in the body"
        response = reply(code, name, message or explain or name, path)
        body = response.get_data()
        self.log_error("code %d, message %s", code, message or name)
        self.send_response(code, name)
        self.send_header("Connection", "close")
        for key, value in response.headers.items():
            if key.lower() not in ("content-length", "connection"):
                self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
        self.close_connection = True

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        """--verbose logs each request, never a token: the query string is logged redacted."""
        if not self.verbose:
            return
        path, _, query = self.path.partition("?")
        if query:
            path += "?" + urlencode(redact_query(query), safe="[]")
        line = self.redact_line(f'"{self.command} {path} {self.request_version}" {code} {size}')
        self.log("info", "%s", line)

    def log_error(self, format: str, *args: Any) -> None:
        if self.verbose:
            super().log_error(format, *args)


def _path_of(requestline: bytes) -> str | None:
    """The path of a (possibly cut) request line, without its query: `GET /api/x?y=… HTTP/1.1` → /api/x."""
    parts = requestline.split(b" ", 2)
    if len(parts) < 2 or not parts[1].startswith(b"/"):
        return None
    return parts[1].split(b"?", 1)[0][:2000].decode("latin-1")


def machine_addresses() -> list[str]:
    """This machine's names and IPv4 addresses other than loopback, as others on the network reach it (best
    effort: what the resolver and the default route say)."""
    found: list[str] = []
    name = socket.gethostname()
    candidates = [name, socket.getfqdn()]
    with contextlib.suppress(OSError):
        candidates += [str(info[4][0]) for info in socket.getaddrinfo(name, None, socket.AF_INET)]
    with contextlib.suppress(OSError), socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.connect(("192.0.2.1", 9))  # the address of the default route (a UDP "connect" sends nothing)
        candidates.append(probe.getsockname()[0])
    for c in candidates:
        if c and c not in found and not c.startswith("127.") and c not in LOOPBACK_NAMES:
            found.append(c)
    return found


def served_names(host: str, extra: tuple[str, ...] | list[str] = ()) -> set[str]:
    """The Host names a server bound to `host` answers to: loopback always, every name and address of the
    machine when bound to all interfaces, plus `extra`."""
    names = {*LOOPBACK_NAMES, *extra}
    if host in ALL_INTERFACES:
        names.update(machine_addresses())
    else:
        names.add(host)
    return names


class ServerThread:
    def __init__(
        self,
        app: WSGIApplication,
        host: str = "127.0.0.1",
        port: int = 0,
        verbose: bool = False,
        allow_hosts: tuple[str, ...] | list[str] = (),
    ) -> None:
        self.app = app
        self.host = host
        self.port = port
        self.verbose = verbose
        self.allow_hosts = tuple(allow_hosts)
        self._server: BaseWSGIServer | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> ServerThread:
        """Bind and serve."""
        return self.bind().serve()

    def bind(self) -> ServerThread:
        """Take the port (an OSError if it is in use) without answering yet: a client that connects now waits
        until serve(), so whatever is done in between (seeding) is done before anyone is answered."""
        world = getattr(self.app, "extensions", {}).get("kasim.world")
        redact_line = world.journal.redact_text if world is not None else (lambda line: line)
        handler = type(
            "Handler", (_Handler,), {"verbose": self.verbose, "redact_line": staticmethod(redact_line)}
        )
        names = frozenset(n.lower().strip("[]") for n in served_names(self.host, self.allow_hosts))

        def app(  # the names belong to this server, not to the app it serves
            environ: WSGIEnvironment, start_response: StartResponse
        ) -> Iterable[bytes]:
            environ[HOSTS_KEY] = names
            return self.app(environ, start_response)

        # read by _Handler.send_error from the served app (a function attribute: mypy cannot declare one)
        app.kasim_error_reply = getattr(self.app, "extensions", {}).get(ERROR_REPLY)  # type: ignore[attr-defined]

        if not self.verbose:
            logging.getLogger("werkzeug").setLevel(logging.ERROR)
        # Bound and listening once make_server returns: the first request cannot race the start.
        try:
            self._server = make_server(self.host, self.port, app, threaded=True, request_handler=handler)
        except (
            SystemExit
        ):  # werkzeug prints its message and exits on a port in use: make it an error we can handle
            raise OSError(errno.EADDRINUSE, f"port {self.port} on {self.host} is already in use") from None
        # threaded=True makes a ThreadedWSGIServer, which make_server's annotation calls its base
        self._server.daemon_threads = True  # type: ignore[attr-defined]
        self.port = self._server.socket.getsockname()[1]
        return self

    def serve(self) -> ServerThread:
        """Answer requests, from a thread of its own."""
        if self._server is None:
            raise RuntimeError("bind() first")
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": POLL_SECONDS},
            name=f"kasim-server-{self.port}",
            daemon=True,
        )
        self._thread.start()
        return self

    @property
    def url(self) -> str:
        """The URL a client on this machine uses."""
        host = "127.0.0.1" if self.host in ALL_INTERFACES else self.host
        return f"http://{host}:{self.port}"

    @property
    def public(self) -> bool:
        """Bound to every interface: reachable from the network, not just this machine."""
        return self.host in ALL_INTERFACES

    @property
    def urls(self) -> list[str]:
        """Every URL the server is reached by: this machine's first, then the network's."""
        others = machine_addresses() if self.public else []
        return [self.url, *(f"http://{a}:{self.port}" for a in others)]

    def stop(self) -> None:
        if self._server is not None:
            if (
                self._thread is not None
            ):  # shutdown() waits for a serve_forever that bind() alone never started
                self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    @property
    def alive(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def __enter__(self) -> ServerThread:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
