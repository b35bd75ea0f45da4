"""Threaded server runner: a real socket (port 0 allowed), ready when start() returns."""

from __future__ import annotations

import errno
import logging
import socket
import struct
import threading
from urllib.parse import urlencode

from werkzeug.serving import WSGIRequestHandler, make_server

from .errors import DropConnection
from .journal import redact_query

POLL_SECONDS = 0.01  # how soon stop() is noticed: a test suite starts and stops hundreds of servers


class _Handler(WSGIRequestHandler):
    verbose = False

    def connection_dropped(self, error, environ=None):
        if isinstance(error, DropConnection):
            # An abortive close (RST), as a crashed or overloaded server would give.
            try:
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                self.connection.close()
            except OSError:
                pass
            self.close_connection = True

    def log_request(self, code="-", size="-"):
        """--verbose logs each request, never a token: the query string is logged redacted."""
        if not self.verbose:
            return
        path, _, query = self.path.partition("?")
        if query:
            path += "?" + urlencode(redact_query(query), safe="[]")
        self.log("info", '"%s %s %s" %s %s', self.command, path, self.request_version, code, size)

    def log_error(self, format, *args):
        if self.verbose:
            super().log_error(format, *args)


class ServerThread:
    def __init__(self, app, host: str = "127.0.0.1", port: int = 0, verbose: bool = False):
        self.app = app
        self.host = host
        self.port = port
        self.verbose = verbose
        self._server = None
        self._thread: threading.Thread | None = None

    def start(self) -> ServerThread:
        handler = type("Handler", (_Handler,), {"verbose": self.verbose})
        if not self.verbose:
            logging.getLogger("werkzeug").setLevel(logging.ERROR)
        # Bound and listening once make_server returns: the first request cannot race the start.
        try:
            self._server = make_server(self.host, self.port, self.app, threaded=True, request_handler=handler)
        except (
            SystemExit
        ):  # werkzeug prints its message and exits on a port in use: make it an error we can handle
            raise OSError(errno.EADDRINUSE, f"port {self.port} on {self.host} is already in use") from None
        self._server.daemon_threads = True
        self.port = self._server.socket.getsockname()[1]
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
        host = "127.0.0.1" if self.host in ("0.0.0.0", "") else self.host  # noqa: S104 (a comparison, not a bind)
        return f"http://{host}:{self.port}"

    def stop(self) -> None:
        if self._server is not None:
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

    def __exit__(self, *exc) -> None:
        self.stop()
