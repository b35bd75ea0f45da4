"""HTTP/1.1 for a WSGI app on a real socket: a thread per connection, keep-alive, the request head read with
the buffered reader's readline (C) rather than http.server's email parser.

Werkzeug's development server closes every connection after one reply and parses each request in Python's
http.server; a client calling the same method in a loop (a test suite, `wrk`) paid a TCP handshake, a new
thread and that parsing each time, several times what kasim itself spends on a read from its reply cache.

A thread per connection, as before, because the fault kinds need one: a `latency`, `timeout`, `late` or
`hold` fault keeps its request's thread waiting while other clients are served, and `reset` and
`lost_response` raise `DropConnection` out of the app, which this module answers with an abortive close
(RST), never a reply. Errors found before the app runs (a request line over 64 KB: 414; a header line over
64 KB or more than 100 headers: 431; a request it cannot read: 400) are answered by `refuse`, which the
server sets to the app's own refusal at that path.
"""

from __future__ import annotations

import contextlib
import io
import logging
import socket
import struct
import time
from collections.abc import Callable
from email.utils import formatdate
from http import HTTPStatus
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote_to_bytes

from werkzeug.exceptions import InternalServerError
from werkzeug.wsgi import LimitedStream

from .errors import DropConnection

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIApplication, WSGIEnvironment

MAX_LINE = 64 * 1024  # the request line and each header line, as http.server allows
MAX_HEADERS = 100
MAX_DRAIN = 4 * 1024 * 1024  # an unread request body read past to keep the connection; more: close it
BODYLESS = frozenset({204, 304})
log = logging.getLogger("kasim.server")

# (client address, request line, status or error): a request as --verbose logs it
LogLine = Callable[[str, str, str], None]
# (code, reason, path) -> (status line, headers, body): the app's own answer to an error found before it ran
Refuse = Callable[[int, str, str], tuple[str, list[tuple[str, str]], bytes] | None]


class BadRequest(Exception):
    """A request this server answers itself (the app never sees it)."""

    def __init__(self, code: int, message: str, path: str | None = None):
        super().__init__(message)
        self.code, self.message, self.path = code, message, path


class _Date:
    """The Date header, formatted once a second."""

    def __init__(self) -> None:
        self._second = -1
        self._value = ""

    def __call__(self) -> str:
        now = int(time.time())
        if now != self._second:
            self._value, self._second = formatdate(now, usegmt=True), now
        return self._value


DATE = _Date()


class Connection:
    """One client connection, served request after request until either side closes."""

    def __init__(
        self,
        sock: socket.socket,
        address: Any,
        app: WSGIApplication,
        base: dict[str, Any],
        refuse: Refuse | None,
        log_line: LogLine | None,
    ) -> None:
        self.sock, self.app, self.refuse, self.log_line = sock, app, refuse, log_line
        self.rfile = sock.makefile("rb")
        host, port = (address[0], address[1]) if isinstance(address, tuple) else (str(address), 0)
        self.base = {**base, "REMOTE_ADDR": host, "REMOTE_PORT": port}
        self.client = host

    def run(self) -> None:
        try:
            while self._one():
                pass
        except DropConnection:
            self.reset()
        except OSError:  # the client went away (reset, broken pipe, or the server stopping)
            pass
        except BadRequest as exc:
            self._refused(exc)
        finally:
            self.close()

    def reset(self) -> None:
        """An abortive close (RST), as a crashed or overloaded server would give."""
        with contextlib.suppress(OSError):
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.close()

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.rfile.close()
        with contextlib.suppress(OSError):
            self.sock.close()

    # --- one request ----------------------------------------------------------------------------------
    def _one(self) -> bool:
        """Serve one request; whether the connection stays open for another."""
        line = self.rfile.readline(MAX_LINE + 1)
        for _ in range(4):  # a client may send an empty line or two between requests (RFC 9112 2.2)
            if line not in (b"\r\n", b"\n"):
                break
            line = self.rfile.readline(MAX_LINE + 1)
        if not line:
            return False
        if len(line) > MAX_LINE:
            raise BadRequest(414, "Request-URI Too Long", _path_of(line))
        parts = line.split()
        if len(parts) != 3:
            raise BadRequest(400, f"Bad request syntax ({line[:200]!r})", _path_of(line))
        method, target, version = parts
        if version not in (b"HTTP/1.1", b"HTTP/1.0"):
            code = (
                HTTPStatus.HTTP_VERSION_NOT_SUPPORTED
                if version.startswith(b"HTTP/") and version[5:6].isdigit()
                else 400
            )
            raise BadRequest(code, f"Bad request version ({version[:40]!r})", _path_of(line))
        environ, keep = self._environ(method.decode("latin-1"), target, version.decode("latin-1"))
        stream = environ["wsgi.input"]
        if environ.get("HTTP_EXPECT", "").lower().strip(" \t") == "100-continue" and version == b"HTTP/1.1":
            self.sock.sendall(b"HTTP/1.1 100 Continue\r\n\r\n")
        keep, status = self._respond(environ, keep)
        if self.log_line is not None:
            self.log_line(self.client, line.decode("latin-1").rstrip(), status)
        return keep and _drained(stream)

    def _environ(self, method: str, target: bytes, version: str) -> tuple[WSGIEnvironment, bool]:
        environ: dict[str, Any] = self.base.copy()
        host = None
        if target[:1] != b"/" and b"://" in target[:10]:  # absolute form (as sent to a proxy): its host wins
            after = target.partition(b"://")[2]
            cut = min((i for i in (after.find(b"/"), after.find(b"?")) if i >= 0), default=len(after))
            host, target = after[:cut], after[cut:]
            target = target if target.startswith(b"/") else b"/" + target
        raw_path, _, query = target.partition(b"?")
        path = unquote_to_bytes(raw_path) if b"%" in raw_path else raw_path
        uri = target.decode("latin-1")
        environ.update(
            REQUEST_METHOD=method,
            PATH_INFO=path.decode("latin-1"),
            QUERY_STRING=query.decode("latin-1"),
            REQUEST_URI=uri,
            RAW_URI=uri,
            SERVER_PROTOCOL=version,
        )
        self._headers(environ, _path_of(b"GET " + target))
        if host is not None:
            environ["HTTP_HOST"] = host.decode("latin-1")
        connection = environ.get("HTTP_CONNECTION", "").lower()
        keep = "close" not in connection if version == "HTTP/1.1" else "keep-alive" in connection
        if environ.get("HTTP_TRANSFER_ENCODING", "").strip().lower() == "chunked":
            from werkzeug.serving import DechunkedInput  # imported when a client first streams a body

            environ["wsgi.input_terminated"] = True
            environ["wsgi.input"] = DechunkedInput(self.rfile)
        elif "CONTENT_LENGTH" in environ:
            length = environ["CONTENT_LENGTH"].strip()
            if not length.isdigit():
                raise BadRequest(400, "Bad Content-Length", environ["PATH_INFO"])
            environ["wsgi.input"] = LimitedStream(self.rfile, int(length)) if int(length) else io.BytesIO()
        else:
            environ["wsgi.input"] = io.BytesIO()
        return environ, keep

    def _headers(self, environ: dict[str, Any], path: str | None) -> None:
        """Header lines until the blank one, into the environ as WSGI names them. Names with an underscore are
        dropped (as werkzeug does: `X_Forwarded` must not pass for `X-Forwarded`)."""
        readline, count, last = self.rfile.readline, 0, None
        while True:
            line = readline(MAX_LINE + 1)
            if len(line) > MAX_LINE:
                raise BadRequest(431, "Line too long", path)
            if line in (b"\r\n", b"\n", b""):
                return
            count += 1
            if count > MAX_HEADERS:
                raise BadRequest(431, "Too many headers", path)
            if line[:1] in (b" ", b"\t"):  # an obsolete folded line continues the last header
                if last is not None:
                    environ[last] += " " + line.strip().decode("latin-1")
                continue
            name, colon, value = line.partition(b":")
            if not colon or not name or name != name.strip():
                raise BadRequest(400, "Bad header line", path)
            if b"_" in name:
                last = None
                continue
            key = name.decode("latin-1").upper().replace("-", "_")
            if key not in ("CONTENT_TYPE", "CONTENT_LENGTH"):
                key = "HTTP_" + key
            text = value.strip().decode("latin-1")
            environ[key] = f"{environ[key]},{text}" if key in environ and key != "CONTENT_LENGTH" else text
            last = key

    def _respond(self, environ: WSGIEnvironment, keep: bool) -> tuple[bool, str]:
        """Run the app and send what it answers; whether the connection may serve another request, and the
        status sent."""
        state: dict[str, Any] = {"status": None, "headers": None, "sent": False}

        def start_response(
            status: str, headers: list[tuple[str, str]], exc_info: Any = None
        ) -> Callable[[bytes], None]:
            if exc_info and state["sent"]:
                raise exc_info[1].with_traceback(exc_info[2])
            state["status"], state["headers"] = status, headers
            return lambda data: self._write(environ, state, data, keep)

        try:
            result = self.app(environ, start_response)
        except (DropConnection, OSError):
            raise
        except Exception:
            log.exception("error on %s %s", environ["REQUEST_METHOD"], environ["PATH_INFO"])
            state["status"] = None
            result = InternalServerError()(environ, start_response)
            keep = False
        try:
            for data in result:
                if data:
                    self._write(environ, state, data, keep)
            if not state["sent"]:
                self._write(environ, state, b"", keep)
            if state.get("chunked"):
                self.sock.sendall(b"0\r\n\r\n")
        except (DropConnection, OSError):
            raise
        except Exception:
            log.exception("error on %s %s", environ["REQUEST_METHOD"], environ["PATH_INFO"])
            if not state["sent"]:
                state["status"] = None
                for data in InternalServerError()(environ, start_response):
                    self._write(environ, state, data, False)
            return False, str(state["status"])
        finally:
            close = getattr(result, "close", None)
            if close is not None:
                close()
        return bool(state.get("keep", keep)), str(state["status"])

    def _write(self, environ: WSGIEnvironment, state: dict[str, Any], data: bytes, keep: bool) -> None:
        if state["status"] is None:
            raise AssertionError("write() before start_response")
        if not state["sent"]:
            state["sent"] = True
            head, state["chunked"], state["keep"] = _head(environ, state["status"], state["headers"], keep)
            if environ["REQUEST_METHOD"] == "HEAD":
                self.sock.sendall(head)
                return
            if state["chunked"] and data:
                data = b"%x\r\n%s\r\n" % (len(data), data)
            self.sock.sendall(head + data if len(data) < MAX_DRAIN else head)
            if len(data) >= MAX_DRAIN:
                self.sock.sendall(data)
            return
        if environ["REQUEST_METHOD"] == "HEAD" or not data:
            return
        self.sock.sendall(b"%x\r\n%s\r\n" % (len(data), data) if state["chunked"] else data)

    def _refused(self, exc: BadRequest) -> None:
        """Answer a request this server could not read, then close (its rest is read past first, briefly, so
        the client sees the answer rather than a reset)."""
        reason = HTTPStatus(exc.code).phrase if exc.code in HTTPStatus._value2member_map_ else "Error"
        if self.log_line is not None:
            self.log_line(self.client, "", f"code {exc.code}, message {exc.message}")
        answer = self.refuse(exc.code, exc.message, exc.path) if self.refuse and exc.path else None
        if answer is None:
            body = f"<html><body><h1>{exc.code} {reason}</h1><p>{exc.message}</p></body></html>".encode()
            answer = (f"{exc.code} {reason}", [("Content-Type", "text/html; charset=utf-8")], body)
        status, headers, body = answer
        lines = [f"HTTP/1.1 {status}", *(f"{k}: {v}" for k, v in headers if k.lower() != "content-length")]
        lines += [f"Content-Length: {len(body)}", f"Date: {DATE()}", "Connection: close", "", ""]
        with contextlib.suppress(OSError):
            self.sock.sendall("\r\n".join(lines).encode("latin-1") + body)
            self.sock.shutdown(socket.SHUT_WR)
            self.sock.settimeout(0.2)
            read = 0
            while read < MAX_DRAIN and (chunk := self.sock.recv(MAX_LINE)):
                read += len(chunk)


def _head(
    environ: WSGIEnvironment, status: str, headers: list[tuple[str, str]], keep: bool
) -> tuple[bytes, bool, bool]:
    """The status line and headers; whether the body goes chunked; whether the connection stays open."""
    code = int(status[:3])
    names = {k.lower() for k, _ in headers}
    chunked = False
    if "connection" in names:
        keep = keep and not any(k.lower() == "connection" and "close" in v.lower() for k, v in headers)
    if not (
        "content-length" in names or environ["REQUEST_METHOD"] == "HEAD" or code < 200 or code in BODYLESS
    ):
        if environ["SERVER_PROTOCOL"] == "HTTP/1.1":
            chunked = True
        else:
            keep = False  # the body ends where the connection does
    lines = [f"HTTP/1.1 {status}\r\n", *(f"{k}: {v}\r\n" for k, v in headers)]
    if "date" not in names:
        lines.append(f"Date: {DATE()}\r\n")
    if chunked:
        lines.append("Transfer-Encoding: chunked\r\n")
    if not keep:
        lines.append("Connection: close\r\n")
    elif environ["SERVER_PROTOCOL"] == "HTTP/1.0":
        lines.append("Connection: keep-alive\r\n")
    lines.append("\r\n")
    return "".join(lines).encode("latin-1"), chunked, keep


def _drained(stream: Any) -> bool:
    """The request's body read to its end (what the app left unread), so the next request starts where it
    should; False when that would take more than MAX_DRAIN bytes or the body cannot be read."""
    if isinstance(stream, io.BytesIO):
        return True
    read = 0
    try:
        while read <= MAX_DRAIN:
            chunk = stream.read(MAX_LINE)
            if not chunk:
                return True
            read += len(chunk)
    except (OSError, ValueError):
        return False
    except Exception:  # werkzeug's ClientDisconnected: the body was cut short
        return False
    return False


def _path_of(requestline: bytes) -> str | None:
    """The path of a (possibly cut) request line, without its query: `GET /api/x?y=… HTTP/1.1` → /api/x."""
    parts = requestline.split(b" ", 2)
    if len(parts) < 2 or not parts[1].startswith(b"/"):
        return None
    return parts[1].split(b"?", 1)[0][:2000].decode("latin-1")
