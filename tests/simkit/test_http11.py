"""simkit.http11 under ServerThread: HTTP/1.1 keep-alive, bodies framed both ways, faults as network faults on
a kept connection, and the errors it answers itself."""

from __future__ import annotations

import contextlib
import http.client
import json
import socket

import pytest

import komet_sim
from simkit.server import ServerThread

from .toykit import notes


def _connection(server: ServerThread) -> http.client.HTTPConnection:
    return http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)


def _exchange(server: ServerThread, raw: bytes) -> tuple[bytes, bytes]:
    """Send raw bytes on a fresh socket; (everything read until the server closed, the status line)."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as s:
        s.sendall(raw)
        data = b""
        while chunk := s.recv(64 * 1024):
            data += chunk
    return data, data.split(b"\r\n", 1)[0]


def _plain_app(body: bytes = b"hello", headers: list[tuple[str, str]] | None = None):
    seen: list[dict] = []

    def app(environ, start_response):
        seen.append(dict(environ))
        start_response("200 OK", headers if headers is not None else [("Content-Length", str(len(body)))])
        return [body]

    return app, seen


def test_requests_on_one_connection_share_it():
    app, seen = _plain_app()
    with ServerThread(app) as server:
        conn = _connection(server)
        for _ in range(3):
            conn.request("GET", "/x")
            reply = conn.getresponse()
            assert reply.status == 200 and reply.read() == b"hello"
            assert reply.getheader("Connection") is None
        first = conn.sock
        conn.request("GET", "/y")
        conn.getresponse().read()
        assert conn.sock is first  # never reopened
        conn.close()
    assert [e["PATH_INFO"] for e in seen] == ["/x", "/x", "/x", "/y"]


def test_an_http_10_request_is_answered_then_closed():
    with ServerThread(_plain_app()[0]) as server:
        data, status = _exchange(server, b"GET / HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")
    assert status == b"HTTP/1.1 200 OK" and b"Connection: close" in data and data.endswith(b"hello")


def test_connection_close_from_the_client_is_honoured():
    with ServerThread(_plain_app()[0]) as server:
        data, _ = _exchange(server, b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
    assert b"Connection: close" in data and data.endswith(b"hello")


def test_a_reply_without_a_length_goes_chunked_and_the_connection_stays():
    def app(environ, start_response):
        start_response("200 OK", [("Content-Type", "text/plain")])
        yield b"one,"
        yield b""
        yield b"two"

    with ServerThread(app) as server:
        conn = _connection(server)
        for _ in range(2):
            conn.request("GET", "/")
            reply = conn.getresponse()
            assert reply.getheader("Transfer-Encoding") == "chunked" and reply.read() == b"one,two"
        conn.close()


def test_a_head_request_gets_the_headers_only():
    with ServerThread(_plain_app()[0]) as server:
        conn = _connection(server)
        conn.request("HEAD", "/")
        reply = conn.getresponse()
        assert reply.getheader("Content-Length") == "5" and reply.read() == b""
        conn.request("GET", "/")
        assert conn.getresponse().read() == b"hello"
        conn.close()


def test_a_body_the_app_left_unread_does_not_spoil_the_next_request():
    app, seen = _plain_app()
    with ServerThread(app) as server:
        conn = _connection(server)
        conn.request("POST", "/unread", body=b"x" * 100_000)
        assert conn.getresponse().read() == b"hello"
        conn.request("GET", "/next")
        assert conn.getresponse().read() == b"hello"
        conn.close()
    assert [e["PATH_INFO"] for e in seen] == ["/unread", "/next"]


def test_a_chunked_request_body_is_read_and_the_connection_kept():
    got: list[bytes] = []

    def app(environ, start_response):
        got.append(environ["wsgi.input"].read() if environ.get("wsgi.input_terminated") else b"")
        start_response("200 OK", [("Content-Length", "2")])
        return [b"ok"]

    with ServerThread(app) as server:
        conn = _connection(server)
        conn.request("POST", "/", body=iter([b"abc", b"def"]), encode_chunked=True)
        assert conn.getresponse().read() == b"ok"
        conn.request("GET", "/")
        assert conn.getresponse().read() == b"ok"
        conn.close()
    assert got == [b"abcdef", b""]


def test_expect_100_continue_is_answered_before_the_body():
    def echo(environ, start_response):
        body = environ["wsgi.input"].read(int(environ["CONTENT_LENGTH"]))
        start_response("200 OK", [("Content-Length", str(len(body)))])
        return [body]

    with (
        ServerThread(echo) as server,
        socket.create_connection(("127.0.0.1", server.port), timeout=5) as s,
    ):
        s.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nExpect: 100-continue\r\n\r\n")
        assert s.recv(100) == b"HTTP/1.1 100 Continue\r\n\r\n"
        s.sendall(b"abc")
        reply = s.recv(1000)
        assert reply.startswith(b"HTTP/1.1 200 OK") and reply.endswith(b"\r\n\r\nabc")


def test_the_environ_is_as_wsgi_says():
    app, seen = _plain_app()
    with ServerThread(app) as server:
        _exchange(
            server,
            b"GET /a%20b/%C3%A9?q=1&r=%20 HTTP/1.1\r\nHost: h\r\nX-Two: 1\r\nX-Two: 2\r\nX_Sneaky: 1\r\n"
            b"Content-Type: text/plain\r\nConnection: close\r\n\r\n",
        )
    env = seen[0]
    assert env["PATH_INFO"] == "/a b/é".encode().decode("latin-1")
    assert env["QUERY_STRING"] == "q=1&r=%20" and env["REQUEST_URI"] == "/a%20b/%C3%A9?q=1&r=%20"
    assert env["HTTP_X_TWO"] == "1,2" and env["CONTENT_TYPE"] == "text/plain" and env["HTTP_HOST"] == "h"
    assert not any("SNEAKY" in k for k in env)  # an underscore would pass for a dash: dropped
    assert env["SERVER_PROTOCOL"] == "HTTP/1.1" and env["REMOTE_ADDR"] == "127.0.0.1"
    assert env["wsgi.multithread"] is True and env["SERVER_PORT"] == str(server.port)


@pytest.mark.parametrize(
    ("raw", "status"),
    [
        (b"NONSENSE\r\n\r\n", b"HTTP/1.1 400 Bad Request"),
        (b"GET / HTTP/2.0\r\n\r\n", b"HTTP/1.1 505 HTTP Version Not Supported"),
        (b"GET / HTTP/1.1\r\nno colon here\r\n\r\n", b"HTTP/1.1 400 Bad Request"),
        (b"GET / HTTP/1.1\r\nContent-Length: -3\r\n\r\n", b"HTTP/1.1 400 Bad Request"),
        (
            b"GET / HTTP/1.1\r\n" + b"X-A: 1\r\n" * 101 + b"\r\n",
            b"HTTP/1.1 431 Request Header Fields Too Large",
        ),
        (
            b"GET / HTTP/1.1\r\nX-A: " + b"a" * 70_000 + b"\r\n\r\n",
            b"HTTP/1.1 431 Request Header Fields Too Large",
        ),
        (b"GET /" + b"a" * 70_000 + b" HTTP/1.1\r\n\r\n", b"HTTP/1.1 414 Request-URI Too Long"),
    ],
    ids=["request-line", "version", "header-line", "length", "headers", "header-size", "uri"],
)
def test_a_request_the_server_cannot_read_is_answered_and_closed(raw, status):
    app, seen = _plain_app()
    with ServerThread(app) as server:
        data, line = _exchange(server, raw)
    assert line == status and b"Connection: close" in data and seen == []


def test_too_many_headers_get_the_komet_envelope():
    with ServerThread(komet_sim.create_app({"seed": 7})) as server:
        data, line = _exchange(
            server, b"GET /api/vendor.list HTTP/1.1\r\nHost: 127.0.0.1\r\n" + b"X-A: 1\r\n" * 101 + b"\r\n"
        )
    assert line.startswith(b"HTTP/1.1 431 ")
    assert json.loads(data.split(b"\r\n\r\n", 1)[1]) == {
        "status": "0",
        "message": "Request size exceeds the maximum of 64 KB.",
    }


def test_an_app_that_crashes_gives_a_500_and_the_connection_closes(caplog):
    def app(environ, start_response):
        raise RuntimeError("boom")

    with ServerThread(app) as server:
        data, line = _exchange(server, b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
    assert line == b"HTTP/1.1 500 INTERNAL SERVER ERROR" and b"Connection: close" in data
    assert "boom" in caplog.text


def test_a_reset_fault_is_a_reset_not_a_close(toy_app, toy_world):
    before = notes(toy_world)
    with ServerThread(toy_app) as server:
        _connection_json(server, "POST", "/__sim/faults", {"kind": "reset", "route": "/api/note", "times": 1})
        with socket.create_connection(("127.0.0.1", server.port), timeout=5) as s:
            s.sendall(_post("/api/note", b'{"text": "x"}'))
            with pytest.raises(ConnectionResetError):
                s.recv(1000)
    assert notes(toy_world) == before


def test_a_lost_reply_on_a_kept_connection_is_a_reset_after_the_work(toy_app, toy_world):
    before = notes(toy_world)
    with ServerThread(toy_app) as server:
        _connection_json(
            server, "POST", "/__sim/faults", {"kind": "lost_response", "route": "/api/note", "times": 1}
        )
        with socket.create_connection(("127.0.0.1", server.port), timeout=5) as s:
            s.sendall(b"GET /api/notes HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            assert s.recv(10_000).startswith(b"HTTP/1.1 200")  # the connection is kept ...
            s.sendall(_post("/api/note", b'{"text": "x"}'))
            with pytest.raises(ConnectionResetError):  # ... and reset after the write
                s.recv(1000)
    assert notes(toy_world) == before + 1


def test_stop_ends_idle_kept_connections():
    with ServerThread(_plain_app()[0]) as server:
        conn = _connection(server)
        conn.request("GET", "/")
        conn.getresponse().read()
        sock = conn.sock
    with contextlib.suppress(ConnectionResetError):  # either way closed by stop(), not left to serve on
        assert sock.recv(10) == b""
    conn.close()


def _post(path: str, body: bytes) -> bytes:
    return (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    ).encode() + body


def _connection_json(server: ServerThread, verb: str, path: str, body: dict) -> dict:
    conn = _connection(server)
    conn.request(verb, path, body=json.dumps(body), headers={"Content-Type": "application/json"})
    reply = conn.getresponse()
    data = json.loads(reply.read())
    conn.close()
    assert reply.status < 300, data
    return data


def test_an_absolute_target_names_the_host():
    app, seen = _plain_app()
    with ServerThread(app) as server:
        _exchange(server, b"GET http://other.example?q=1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        _exchange(server, b"GET http://b.example/p/q HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    assert [(e["HTTP_HOST"], e["PATH_INFO"], e["QUERY_STRING"]) for e in seen] == [
        ("other.example", "/", "q=1"),
        ("b.example", "/p/q", ""),
    ]


def test_an_empty_line_between_requests_is_skipped():
    app, seen = _plain_app()
    with ServerThread(app) as server:
        data, _ = _exchange(
            server,
            b"GET /a HTTP/1.1\r\nHost: x\r\n\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        )
    assert data.count(b"HTTP/1.1 200 OK") == 2 and [e["PATH_INFO"] for e in seen] == ["/a", "/b"]
