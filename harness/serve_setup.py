"""What `kasim serve` sets up before either app answers, in this process: the importer and its partner seeded in
Komet, and then either the grower connected (ASINFO's Vendor token made as an importer makes it, the grower's
account, the connection and its first sync) or, Komet alone, a Vendor token for the user's own grower system.

Everything goes through the apps' own routes, in process (no socket): ASINFO reaches Komet through a WSGI
transport mounted on Komet's served URL, so what both journals and both states hold is what the same requests
over the network would leave. Both clocks stand still meanwhile, so the whole set-up happens at one instant: a
set-up restored from the start-up cache (serve_cache.py) is this one with that instant moved (docs/decisions.md
S8).
"""

from __future__ import annotations

from typing import Any


class SetupFailed(Exception):
    """Setting up the worlds went wrong; said in words (never a traceback)."""


def set_up(args: Any, which: str, komet: tuple[Any, str], asinfo: tuple[Any, str] | None) -> dict[str, Any]:
    """(app, url) of Komet and of ASINFO (None: Komet alone). Returns what the banner shows (plain JSON)."""
    from .clients import SimError

    try:
        return _set_up(args, which, komet, asinfo)
    except SimError as exc:
        raise SetupFailed(str(exc)) from None


def _set_up(args: Any, which: str, komet: tuple[Any, str], asinfo: tuple[Any, str] | None) -> dict[str, Any]:
    import requests

    from simkit.transport import mount

    from .clients import AsinfoSimClient, KometSimClient
    from .live_topology import LiveTopology

    kapp, komet_url = komet
    client = KometSimClient(komet_url, app=kapp)
    seeded = client.seed(seed=args.seed, profile=args.profile)
    partner = client.seed(**partner_options(args, seeded))
    client.namespace = str(seeded["companyId"])
    made: dict[str, Any] = {"seeded": seeded, "partner": partner, "company": client.company()}
    if which == "komet":  # Komet alone: the user brings the grower
        vendor = seeded["vendors"][0]
        made["yourToken"] = client.create_token(
            vendor_id=vendor["id"], methods="asinfo", description="your grower system"
        )
        return made
    if asinfo is None:
        raise ValueError("both apps are set up together")
    aapp, asinfo_url = asinfo
    aworld = aapp.extensions["kasim.world"]
    served = aworld.session_factory
    aworld.session_factory = lambda: mount(requests.Session(), komet_url, kapp)
    try:
        topo = LiveTopology(client, AsinfoSimClient(asinfo_url, app=aapp), komet_url)
        grower = topo.connect_grower({**seeded, "seed": args.seed})
        topo.asinfo_sim().sync(grower["connection"]["id"], expect=(200, 502))
    finally:
        aworld.session_factory = served
    made["grower"] = grower
    return made


def partner_options(args: Any, seeded: dict) -> dict:
    """A second, smaller importer buying from the grower's vendor too, so the vendor's sign-in shows how a vendor
    several importers buy from selects the one it works for (docs/decisions.md K24)."""
    return {
        "seed": args.seed,
        "reset": False,
        "profile": args.profile,
        "vendors": 2,
        "shipDays": 2,
        "posPerDay": 2,
        "linesPerPo": 2,
        "linkCompany": seeded["companyId"],
        "linkVendors": 1,
    }
