"""The one test kit every test directory shares: the wired pair of simulators, the importer's own Company
token, reading portal pages (either app's), and polling a journal instead of sleeping.

Each directory keeps only its app's own verbs on top of it: tests/komet/kometkit.py (API calls in a known
state), tests/komet/importer_portal_kit.py and tests/asinfo/grower_portal_kit.py (each portal's steps),
tests/asinfo/asinfokit.py (both sides of an integration), tests/simkit/toykit.py (the toy simulator).
"""

from __future__ import annotations

import html as htmllib
import re
import time
from collections.abc import Callable
from typing import Any, cast

from harness.clients import AsinfoSimClient, KometSimClient
from harness.topology import InProcessTopology, ServedTopology

KOMET_SEED = 7
PASSWORD = "komet123"  # every seeded login's (komet_sim.seeding.PASSWORD)


# --- both simulators wired ---------------------------------------------------------------------------------
class _Wired:
    """What wire() adds to a topology, typed: the Komet seed reply, the connected grower (token, vendor,
    account, connection), and the importer's Company token once asinfokit.importer_token made it."""

    world: dict[str, Any]
    grower: dict[str, Any]
    company_token: str


class WiredInProcess(_Wired, InProcessTopology):
    asinfo: AsinfoSimClient  # wire() always has our ASINFO


class WiredServed(_Wired, ServedTopology):
    asinfo: AsinfoSimClient


Wired = WiredInProcess | WiredServed


def wire(mode: str = "in-process", **kw: Any) -> Wired:
    """Both simulators wired (in process, or each on its own real socket), the seed-7 Komet world, and a grower
    connected through a Vendor token made with the ASINFO preset. `.world` is the Komet seed reply; `.grower`
    has token, vendor, account and connection."""
    # build() makes an instance of the class it is called on (cls(...)); its annotation names the base
    topo = (
        cast(WiredInProcess, WiredInProcess.build(seed=KOMET_SEED, **kw))
        if mode == "in-process"
        else cast(WiredServed, WiredServed.build(seed=KOMET_SEED, **kw))
    )
    topo.world = topo.komet.seed(seed=KOMET_SEED)
    topo.komet.namespace = str(topo.world["companyId"])
    topo.grower = topo.connect_grower(topo.world)
    return topo


# --- the importer's own view of Komet ---------------------------------------------------------------------
def company_token(komet: KometSimClient, description: str = "importer checks") -> str:
    """A Company token with every method: what the importer itself sees through the API."""
    return komet.create_token(type="Company", methods="all", description=description)["token"]


# --- portal pages (either app) ----------------------------------------------------------------------------
def html(reply) -> str:
    return reply.get_data(as_text=True)


def field_error(page: str, field: str) -> str | None:
    """The message shown next to a form field (data-field), unescaped, or None."""
    match = re.search(rf'class="field-error" data-field="{re.escape(field)}"[^>]*>([^<]*)<', page)
    return htmllib.unescape(match.group(1)) if match else None


def flashes(page: str) -> list[tuple[str, str]]:
    return [
        (kind, htmllib.unescape(text))
        for kind, text in re.findall(r'class="flash flash-(\w+)" role="status">([^<]*)<', page)
    ]


def input_value(page: str, name: str) -> str | None:
    match = re.search(rf'<input[^>]*name="{re.escape(name)}"[^>]*value="([^"]*)"', page)
    return htmllib.unescape(match.group(1)) if match else None


def follow(client, reply) -> str:
    """The page a form's redirect leads to."""
    assert reply.status_code == 302, html(reply)[:2000]
    return html(client.get(reply.headers["Location"]))


def see_other(client, reply):
    """A post answered 303 See Other (simkit.forms: a refused form, a token just made, a Receive): the page it
    leads to, which shows once what the post kept for it."""
    assert reply.status_code == 303, html(reply)[:2000]
    return client.get(reply.headers["Location"])


# --- waiting on the simulators, not on the wall clock -----------------------------------------------------
def wait_for(condition: Callable[[], object], what: str, limit: float = 10.0) -> object:
    """Poll until `condition()` is truthy (its value is returned): for work another thread finishes (a request
    over a socket completing after its client gave up). `limit` only bounds a failure; a pass takes as long as
    the work does."""
    deadline = time.monotonic() + limit
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"still waiting after {limit} s for {what}")
        time.sleep(0.02)
