"""ServerThread.wait_quiet: whether no client has been connected for a while, waiting no longer than a bound
(kasim serve prints its banner then, so that its first clients are answered first)."""

from __future__ import annotations

import http.client

from simkit.server import ServerThread


def test_a_server_not_serving_is_quiet(toy_app):
    server = ServerThread(toy_app).bind()
    try:
        assert server.wait_quiet(60, 60) is True  # not serving yet: nothing to wait for
    finally:
        server.stop()


def test_quiet_once_the_last_client_has_gone(toy_app):
    with ServerThread(toy_app) as server:
        client = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
        client.request("GET", "/__sim/health")
        assert client.getresponse().read()  # answered, and the connection kept (HTTP/1.1 keep-alive)
        assert (
            server.wait_quiet(0, 0) is False
        )  # a client still connected: not quiet, and no waiting past 0 s
        client.close()
        assert server.wait_quiet(0, 30) is True  # woken when the server sees it go
