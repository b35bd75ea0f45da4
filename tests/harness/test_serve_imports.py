"""What `kasim serve` leaves unimported (harness/serve_imports.py) and how it binds without Werkzeug's server."""

from __future__ import annotations

import os
import socket
import subprocess
import sys

import pytest

from simkit.server import address, listen
from tests.harness.test_cli_commands import ROOT


def _python(code: str, **env: str) -> str:
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()


# `kasim serve` as a user starts it, stopped where both apps answer and the banner is about to print.
SERVE_UNTIL_READY = """
import os, sys
from harness import cli, serve_banner, serve_imports

def show(self, console):
    names = ("http.server", "http.client", "ssl", "socketserver", "encodings.idna")
    print("deferred" if serve_imports.deferred() else "imported", *(n for n in names if n in sys.modules))
    sys.stdout.flush()
    os._exit(0)

serve_banner.Banner.show = show
cli.main(["serve", "--poll", "0", "--komet-port", "0", "--asinfo-port", "0"])
"""


def test_serve_answers_without_importing_werkzeugs_development_server(tmp_path):
    """Werkzeug's server (and http.server, http.client, ssl with it) is never imported by a start the cache
    serves: the first start sets up (requests brings http.client), the second is the one every later start is."""
    _python(SERVE_UNTIL_READY, XDG_CACHE_HOME=str(tmp_path))
    assert _python(SERVE_UNTIL_READY, XDG_CACHE_HOME=str(tmp_path)) == "deferred"


# `kasim serve` as a user starts it, and its first clients answered as the start-up bench's "ready" asks
# (bench/speed.py): a token made now, purchase.order.list with it, ASINFO's health. Then: which of the modules a
# start leaves for their first use are imported.
SERVE_FIRST_ANSWERS = """
import json, os, sys, urllib.request
from harness import cli, serve_banner
from komet_sim.domain.world import ID_STARTS
from simkit.server import ServerThread

served = []
serve = ServerThread.serve
ServerThread.serve = lambda self: served.append(self) or serve(self)

def call(url, body=None, **headers):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data, {"Content-Type": "application/json", **headers})
    with urllib.request.urlopen(request, timeout=10) as reply:
        return json.loads(reply.read())

def show(self, console):
    komet, asinfo = (s.url for s in served)
    ns = {"X-Kasim-Namespace": str(ID_STARTS["company"])}
    made = {"type": "Company", "methods": "all", "description": "ready"}
    token = call(komet + "/__sim/komet/tokens", made, **ns)["token"]
    listed = call(f"{komet}/api/purchase.order.list?authenticationToken={token}&date=2030-01-01")
    health = call(asinfo + "/__sim/health")
    assert str(listed["status"]) == "1" and health["status"] == "ok", (listed, health)
    print(*(name for name in sys.argv[1:] if name in sys.modules))
    sys.stdout.flush()
    os._exit(0)

serve_banner.Banner.show = show
cli.main(["serve", "--poll", "0", "--komet-port", "0", "--asinfo-port", "0"])
"""

# What `kasim serve` loads on first use, not at start: each of these is needed by none of its first answers, and
# imported at start it would cost every start a measurable part of its 0.2 s (bench/README.md, start-up).
LOADED_ON_FIRST_USE = (
    "komet_sim.verdict.calls",  # the protocol verdict: GET /__sim/komet/verdict
    "komet_sim.verdict.rules",
    "simkit.paging",  # the portals' paginated lists
    "asinfo_sim.domain.sync_lines",  # the grower's sync of a Komet PO's lines
)


def _first_answers(tmp_path, *modules: str) -> list[str]:
    run = [sys.executable, "-c", SERVE_FIRST_ANSWERS, *modules]
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path)}
    return subprocess.run(run, cwd=ROOT, env=env, capture_output=True, text=True, check=True).stdout.split()


def test_serve_answers_its_first_clients_without_what_it_loads_on_first_use(tmp_path):
    """Measured against the second start (restored from the start-up cache), as every start after a day's first
    is: the first sets the worlds up, and seeding may use any of them. komet_sim.methods, which every answer
    needs, shows the check sees what was imported."""
    _first_answers(tmp_path)
    assert _first_answers(tmp_path, "komet_sim.methods", *LOADED_ON_FIRST_USE) == ["komet_sim.methods"]


def test_the_stand_in_gives_the_real_module_to_whoever_uses_it():
    code = """
from harness.serve_imports import defer_werkzeug_serving, deferred
assert defer_werkzeug_serving()
import flask, werkzeug
import werkzeug.serving
assert deferred() and not flask.app.is_running_from_reloader()   # called through: the real one answers
from werkzeug.serving import make_server, run_simple
assert not deferred() and run_simple is werkzeug.serving.run_simple
print(make_server.__module__, werkzeug.serving.WSGIRequestHandler.__name__)
"""
    assert _python(code) == "werkzeug.serving WSGIRequestHandler"


def test_an_attribute_of_werkzeug_serving_loads_it():
    code = """
from harness.serve_imports import defer_werkzeug_serving, deferred
defer_werkzeug_serving()
import werkzeug.serving
print(werkzeug.serving.BaseWSGIServer.__module__, deferred())
"""
    assert _python(code) == "werkzeug.serving False"


def test_a_process_that_has_imported_werkzeug_is_left_as_it_is():
    from harness.serve_imports import defer_werkzeug_serving, deferred

    assert "werkzeug" in sys.modules  # pytest's process: the apps under test are Flask apps
    before = sys.modules.get("werkzeug.serving")
    assert defer_werkzeug_serving() is False
    assert sys.modules.get("werkzeug.serving") is before and not deferred()


@pytest.mark.parametrize(
    ("host", "family"),
    [("127.0.0.1", socket.AF_INET), ("localhost", socket.AF_INET), ("::1", socket.AF_INET6)],
)
def test_the_address_a_server_binds(host, family):
    found, sockaddr = address(host, 5001)
    assert found == family and sockaddr[1] == 5001


def test_a_name_that_does_not_resolve_is_refused_by_bind():
    family, sockaddr = address("no-such-host.invalid", 5001)
    assert (family, sockaddr) == (socket.AF_INET, ("no-such-host.invalid", 5001))
    with pytest.raises(socket.gaierror):
        listen("no-such-host.invalid", 0)


def test_a_name_beyond_ascii_is_looked_up_as_a_name():
    """ASCII names go to the resolver as bytes (no idna codec at start); others still as text, through it."""
    assert address("bücher.invalid", 5001) == (socket.AF_INET, ("bücher.invalid", 5001))
    assert address("xn--bcher-kva.invalid", 5001) == (socket.AF_INET, ("xn--bcher-kva.invalid", 5001))


def test_listen_takes_a_free_port_and_refuses_a_taken_one():
    sock = listen("127.0.0.1", 0)
    try:
        with pytest.raises(OSError):
            listen("127.0.0.1", sock.getsockname()[1])
    finally:
        sock.close()
