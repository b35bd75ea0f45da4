"""Server runner: a real socket (port 0 allowed), ready when start() returns; HTTP/1.1 with keep-alive and
a thread per connection (simkit.http11), the host names it answers to, --verbose request lines redacted."""

from __future__ import annotations

import contextlib
import errno
import logging
import selectors
import socket
import sys
import threading
import time
from collections.abc import Callable, Iterable
from http import HTTPStatus
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from .http11 import Connection, LogLine, Refuse
from .journal import redact_query
from .security import HOSTS_KEY, LOOPBACK_NAMES

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

ALL_INTERFACES = ("0.0.0.0", "", "::")  # noqa: S104 (names compared, not bound)

ERROR_REPLY = "kasim.error_reply"  # app.extensions: (code, name, description, path) -> the app's own refusal
POLL_SECONDS = 0.01  # how soon stop() is noticed: a test suite starts and stops hundreds of servers
LOG = logging.getLogger("kasim.server")
SHUTDOWN_WAIT = 1.0  # seconds stop() waits for the connections it ended to finish their request


def _show(logger: logging.Logger) -> None:
    """--verbose: the request lines reach stderr unless logging is set up to show them elsewhere."""
    if logger.level == logging.NOTSET:
        logger.setLevel(logging.INFO)
    if not logger.hasHandlers():
        logger.addHandler(logging.StreamHandler(sys.stderr))


def _refusal(app: Any) -> Refuse | None:
    """Errors the server finds before the app runs (a request line over 64 KB: 414; headers too large: 431)
    answered as the app answers any refusal at that path, not as the server's HTML."""
    reply = getattr(app, "extensions", {}).get(ERROR_REPLY)
    if reply is None:
        return None

    def refuse(code: int, message: str, path: str) -> tuple[str, list[tuple[str, str]], bytes]:
        name = {414: "URI Too Long", 431: "Request Header Fields Too Large"}.get(code) or HTTPStatus(
            code
        ).phrase
        if code == 414:
            message = "the request line is longer than 64 KB: send long parameters in the body"
        response = reply(code, name, message or name, path)
        return f"{code} {name}", list(response.headers.items()), response.get_data()

    return refuse


def _request_logger(redact_line: Callable[[str], str]) -> LogLine:
    """--verbose logs each request, never a token: the query string is logged redacted, and then every secret
    the served world holds is blanked from the line."""

    def log_line(client: str, requestline: str, status: str) -> None:
        when = time.strftime("%d/%b/%Y %H:%M:%S")
        if not requestline:  # a request refused before the app saw it: `status` says why
            LOG.info("%s - - [%s] %s", client, when, status)
            return
        command, _, rest = requestline.partition(" ")
        target, _, version = rest.rpartition(" ")
        path, _, query = target.partition("?")
        if query:
            path += "?" + urlencode(redact_query(query), safe="[]")
        line = redact_line(f'"{command} {path} {version}" {status.split(" ")[0]} -')
        LOG.info("%s - - [%s] %s", client, when, line)

    return log_line


def base_environ(host: str, port: int) -> dict[str, Any]:
    """What every request's environ holds whatever the request."""
    return {
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
        "SERVER_SOFTWARE": "kasim",
        "SCRIPT_NAME": "",
        "SERVER_NAME": host,
        "SERVER_PORT": str(port),
    }


class Server:
    """A listening socket and the thread that accepts on it; a thread per connection."""

    def __init__(
        self,
        sock: socket.socket,
        app: WSGIApplication,
        refuse: Refuse | None = None,
        log_line: LogLine | None = None,
    ) -> None:
        self.socket, self.app, self.refuse, self.log_line = sock, app, refuse, log_line
        host, port = sock.getsockname()[:2]
        self.base = base_environ(host, port)
        self._stopping = threading.Event()
        self._stopped = threading.Event()  # set when serve_forever has returned (or never ran)
        self._stopped.set()
        self._open: set[socket.socket] = set()
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)  # a connection opened or closed
        self._last_open = time.monotonic()  # when a connection was last open (or serving began)

    def serve_forever(self) -> None:
        with self._lock:
            self._last_open = time.monotonic()
        self._stopped.clear()
        try:
            with selectors.DefaultSelector() as selector:
                selector.register(self.socket, selectors.EVENT_READ)
                while not self._stopping.is_set():
                    for key, _ in selector.select(POLL_SECONDS):
                        if key.fileobj is self.socket and not self._stopping.is_set():
                            self._accept()
        finally:
            self._stopped.set()

    def _accept(self) -> None:
        try:
            conn, address = self.socket.accept()
        except OSError:  # the client gave up before we took it, or the socket closed
            return
        with contextlib.suppress(OSError):  # small writes (a chunk, a 100 Continue) go at once
            conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        with self._lock:
            self._open.add(conn)
        threading.Thread(target=self._serve, args=(conn, address), daemon=True).start()

    def _serve(self, conn: socket.socket, address: Any) -> None:
        try:
            Connection(conn, address, self.app, self.base, self.refuse, self.log_line).run()
        finally:
            with self._lock:
                self._open.discard(conn)
                self._last_open = time.monotonic()
                self._changed.notify_all()

    def wait_quiet(self, quiet: float, at_most: float) -> bool:
        """Wait until no connection has been open for `quiet` seconds (True), or `at_most` seconds (False)."""
        deadline = time.monotonic() + at_most
        with self._changed:
            while True:
                now = time.monotonic()
                calm = now - self._last_open
                if not self._open and calm >= quiet:
                    return True
                if now >= deadline:
                    return False
                self._changed.wait(deadline - now if self._open else min(deadline - now, quiet - calm))

    def shutdown(self) -> None:
        """Stop accepting (returning once serve_forever has), and end every open connection (an idle
        keep-alive one would serve on)."""
        self._stopping.set()
        self._stopped.wait(5)
        with self._lock:
            conns = list(self._open)
        for conn in conns:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
        # Each ended connection finishes the request it was answering, whose --verbose line is written after the
        # reply: a caller stopping the server right after its last reply gets that line too. A request the app
        # still holds (a hold fault) is not waited for past the bound.
        with self._changed:
            self._changed.wait_for(lambda: not self._open, timeout=SHUTDOWN_WAIT)

    def server_close(self) -> None:
        with contextlib.suppress(OSError):
            self.socket.close()


def address(host: str, port: int) -> tuple[socket.AddressFamily, Any]:
    """The address family and socket address a server on (host, port) binds (an IPv6 literal has a colon); a
    name that does not resolve is left as it is, for bind() to refuse with socket.gaierror."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # An ASCII name goes as bytes: getaddrinfo runs a str through the idna codec, whose first use imports it
    # (encodings.idna, stringprep: ~1 ms of a start); bind() takes an ASCII str as it is.
    name = host.encode("ascii") if host.isascii() else host
    try:
        found = socket.getaddrinfo(name, port, family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    except socket.gaierror:
        return family, (host, port)
    return family, found[0][4]


def listen(host: str, port: int) -> socket.socket:
    """A listening socket on (host, port), port 0 for any free one (OSError if it is in use)."""
    family, sockaddr = address(host, port)
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(sockaddr)
        sock.listen(socket.SOMAXCONN)
    except OSError:
        sock.close()
        raise
    return sock


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
        self._server: Server | None = None
        self._thread: threading.Thread | None = None
        self._stop_lock = threading.Lock()  # stop() may come from two threads (Ctrl+C and a caller's stop)

    def start(self) -> ServerThread:
        """Bind and serve."""
        return self.bind().serve()

    def bind(self) -> ServerThread:
        """Take the port (an OSError if it is in use) without answering yet: a client that connects now waits
        until serve(), so whatever is done in between (seeding) is done before anyone is answered."""
        world = getattr(self.app, "extensions", {}).get("kasim.world")
        redact_line = world.journal.redact_text if world is not None else (lambda line: line)
        names = frozenset(n.lower().strip("[]") for n in served_names(self.host, self.allow_hosts))

        def app(  # the names belong to this server, not to the app it serves
            environ: WSGIEnvironment, start_response: StartResponse
        ) -> Iterable[bytes]:
            environ[HOSTS_KEY] = names
            return self.app(environ, start_response)

        if self.verbose:
            _show(LOG)
        # Bound and listening once listen() returns: the first request cannot race the start.
        try:
            sock = listen(self.host, self.port)
        except OSError as exc:
            if exc.errno != errno.EADDRINUSE:
                raise
            raise OSError(errno.EADDRINUSE, f"port {self.port} on {self.host} is already in use") from None
        log_line = _request_logger(redact_line) if self.verbose else None
        self._server = Server(sock, app, _refusal(self.app), log_line)
        self.port = sock.getsockname()[1]
        return self

    def serve(self) -> ServerThread:
        """Answer requests, from a thread of its own."""
        if self._server is None:
            raise RuntimeError("bind() first")
        self._thread = threading.Thread(
            target=self._server.serve_forever, name=f"kasim-server-{self.port}", daemon=True
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
        """Stop accepting, end every open connection, release the port. Safe to call again, from any thread."""
        with self._stop_lock:
            if self._server is not None:
                self._server.shutdown()
                self._server.server_close()
                self._server = None
            if self._thread is not None:
                self._thread.join(timeout=5)
                self._thread = None

    def run_until_interrupted(self) -> None:
        """Serve in the foreground until Ctrl+C (or until the serving thread ends), then stop: what a command or
        script that serves one app does once it is up."""
        thread = self._thread
        try:
            while thread is not None and thread.is_alive():
                thread.join(0.5)  # a timeout, so that Ctrl+C is seen between waits
        except KeyboardInterrupt:
            pass
        finally:
            self.stop()

    def wait_quiet(self, quiet: float, at_most: float) -> bool:
        """Wait until no client has been connected for `quiet` seconds (True), or `at_most` seconds (False):
        what kasim serve does before printing, so that the first requests (a CI job polling until the apps
        answer) are not kept waiting by the banner. True at once when not serving."""
        return self._server is None or self._thread is None or self._server.wait_quiet(quiet, at_most)

    @property
    def alive(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def __enter__(self) -> ServerThread:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
