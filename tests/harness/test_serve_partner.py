"""kasim serve seeds a second importer buying from the grower's vendor (docs/decisions.md K24)."""

from __future__ import annotations

import argparse
import io

from rich.console import Console

from harness.cli import serve
from komet_sim.domain import vendor_users
from simkit.clock import VirtualClock


def test_serve_seeds_a_partner_importer_linked_to_the_growers_vendor():
    args = argparse.Namespace(
        which="komet",
        seed=7,
        profile="documented",
        host="127.0.0.1",
        verbose=False,
        allow_host=[],
        port=0,
        journal_mb=16.0,
        state=None,
        no_cache=True,
    )
    servers: list = []
    out = io.StringIO()
    try:
        clocks = {"komet": VirtualClock(), "asinfo": VirtualClock()}
        serve._pair(args, clocks, None, servers, Console(file=out, width=200))
        app = servers[0].app
        world = app.extensions["kasim.world"]
        seeded = app.extensions["kasim.serve.seeded"]
        assert len(world.namespaces()) == 2
        login = seeded["vendorUsers"][0]["username"]
        assert [link["companyId"] for link in vendor_users.links(world, login)] == [
            int(ns) for ns in world.namespaces()
        ]
        assert f"vendor portal: sign in as {login}" in out.getvalue()
        assert f"company ID {seeded['companyId']}" in out.getvalue()
    finally:
        for server in servers:
            server.stop()
