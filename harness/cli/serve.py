"""kasim serve: the simulators on real sockets, with a running clock, wired together by default:
ASINFO pre-connected to the local Komet through a Vendor token made the way an importer makes it."""

from __future__ import annotations

import argparse
import gc
import socket
import time
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from asinfo_sim.decisions import POLL_INTERVAL_SECONDS
from komet_sim.decisions import PROFILES
from simkit.clock import VirtualClock
from simkit.journal import DEFAULT_MAX_BYTES
from simkit.server import ServerThread
from simkit.store import StateInUse

from ..clients import AsinfoSimClient, KometSimClient, SimError
from ..live_topology import LiveTopology

if TYPE_CHECKING:
    from rich.console import Console

NAME = "serve"
HELP = "serve the simulators (both, wired together, by default)"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("which", nargs="?", choices=["both", "komet", "asinfo"], default="both")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--state", metavar="DIR", help="keep state in DIR (survives restarts)")
    p.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on (default 127.0.0.1, this machine only; 0.0.0.0 opens both apps to the network)",
    )
    p.add_argument(
        "--allow-host",
        action="append",
        default=[],
        metavar="NAME",
        help="another Host name clients use to reach the servers (a Docker service name, a DNS alias); "
        "repeatable. Requests naming any other host are refused (DNS rebinding)",
    )
    p.add_argument("--port", type=int, help="port of the one app served (komet 5001, asinfo 5002)")
    p.add_argument("--komet-port", type=int, default=5001)
    p.add_argument("--asinfo-port", type=int, default=5002)
    p.add_argument("--komet-url", help="asinfo: the Komet to connect to")
    p.add_argument("--token", help="asinfo: the Vendor token the importer sent")
    p.add_argument("--company-id", type=int, help="asinfo: the importer's Komet company ID")
    p.add_argument(
        "--poll",
        type=float,
        default=POLL_INTERVAL_SECONDS,
        help="asinfo: seconds between background syncs (0: off; default 60, docs/decisions.md A2)",
    )
    p.add_argument("--profile", choices=PROFILES, default=PROFILES[0])
    p.add_argument(
        "--journal-mb",
        type=float,
        default=DEFAULT_MAX_BYTES / 2**20,
        metavar="MB",
        help=f"how much each app's journal (GET /__sim/journal) keeps before dropping its oldest entries "
        f"(default {DEFAULT_MAX_BYTES // 2**20})",
    )
    p.add_argument("--verbose", action="store_true", help="log every request")


def run(args: argparse.Namespace, console: Console) -> int:
    # One running clock per app, from the same instant: each app's per-namespace offsets stay its own
    # (a Komet company and an ASINFO account may share an id).
    start = datetime.utcnow().replace(microsecond=0)
    komet_clock, asinfo_clock = VirtualClock(start, running=True), VirtualClock(start, running=True)
    state = Path(args.state) if args.state else None
    busy = _busy_port(args)
    if busy:
        console.print(f"kasim serve: {busy}; nothing was started", style="red", markup=False, highlight=False)
        return 2
    servers: list[ServerThread] = []
    # Start-up makes nothing short-lived worth collecting: no collection until both apps answer, and what the
    # start made is then set aside for good (gc.freeze), so later collections never walk it again.
    gc.disable()
    banner = Banner()
    try:
        try:
            if args.which in ("both", "komet"):
                port = args.port if args.which == "komet" and args.port is not None else args.komet_port
                komet_url = _komet(args, komet_clock, state, port, servers, banner)
            else:
                komet_url = args.komet_url
            if args.which in ("both", "asinfo"):
                if not komet_url:
                    banner.print(
                        "kasim serve asinfo: give --komet-url (and --token, --company-id)", style="red"
                    )
                    return 2
                port = args.port if args.which == "asinfo" and args.port is not None else args.asinfo_port
                _asinfo(args, asinfo_clock, state, port, komet_url, servers, banner)
        finally:
            gc.freeze()
            gc.enable()
            banner.show(console)  # once both answer: rich is imported after, not before, they serve
        if any(s.public for s in servers):
            _warn_public(console, servers)
        console.print("\nCtrl+C stops the servers.", style="dim")
        while all(s.alive for s in servers):
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    except StateInUse as exc:
        console.print(f"kasim serve: {exc}", style="red", highlight=False)
        return 2
    except SimError as exc:  # setting up the worlds went wrong: said in words, never a traceback
        console.print(f"kasim serve: could not set up the simulators: {exc}", style="red", highlight=False)
        return 2
    except OSError as exc:
        console.print(
            f"kasim serve: {exc} (choose another with --port, --komet-port or --asinfo-port)", style="red"
        )
        return 2
    finally:
        for s in servers:
            s.stop()
    return 0


class Banner:
    """What the start-up prints, kept until both apps answer (printing imports rich, which serving never needs)."""

    def __init__(self) -> None:
        self.lines: list[tuple[tuple[Any, ...], dict[str, Any]]] = []

    def print(self, *objects: Any, **options: Any) -> None:
        self.lines.append((objects, options))

    def show(self, console: Console) -> None:
        for objects, options in self.lines:
            console.print(*objects, **options)
        self.lines.clear()


def _ports(args: argparse.Namespace) -> list[tuple[str, int, str]]:
    """(app, port, the flag that chooses it) of every app this command serves."""
    out: list[tuple[str, int, str]] = []
    if args.which in ("both", "komet"):
        port = args.port if args.which == "komet" and args.port is not None else args.komet_port
        out.append(("komet", port, "--port" if args.which == "komet" else "--komet-port"))
    if args.which in ("both", "asinfo"):
        port = args.port if args.which == "asinfo" and args.port is not None else args.asinfo_port
        out.append(("asinfo", port, "--port" if args.which == "asinfo" else "--asinfo-port"))
    return out


def _busy_port(args: argparse.Namespace) -> str | None:
    """Every port is tried before anything starts, so a busy one stops the command before any banner."""
    from werkzeug.serving import get_sockaddr, select_address_family

    for app, port, flag in _ports(args):
        if not port:
            continue  # 0: the system picks a free one
        family = select_address_family(args.host, port)  # the socket the server will open, as it opens it
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server will
            try:
                probe.bind(get_sockaddr(args.host, port, family))
            except socket.gaierror as exc:
                return f"cannot listen on --host {args.host}: {exc.strerror}"
            except OSError as exc:
                return (
                    f"port {port} on {args.host} is not free for {app} ({exc.strerror}); "
                    f"choose another with {flag}"
                )
    return None


def _komet(args, clock, state, port, servers, console) -> str:
    import komet_sim

    app = komet_sim.create_app(
        {
            "seed": args.seed,
            "state_dir": state,
            "clock": clock,
            "profile": args.profile,
            "journal_bytes": _journal_bytes(args),
        }
    )
    # Bound first (a port in use fails at once), seeded in process, then answering: a client that connects
    # meanwhile (a CI job polling health) waits, and never meets a half-made world (S7).
    server = ServerThread(app, args.host, port, verbose=args.verbose, allow_hosts=args.allow_host).bind()
    servers.append(server)
    komet = KometSimClient(server.url, app=app)
    world = app.extensions["kasim.world"]
    seeded = partner = None
    if not world.namespaces():
        seeded = komet.seed(seed=args.seed, profile=args.profile)
        partner = komet.seed(**_partner(args, seeded))
    namespaces = world.namespaces()
    komet.namespace = str(seeded["companyId"]) if seeded else (namespaces[0] if namespaces else None)
    company = komet.company() if komet.namespace else None
    console.print(f"[bold]Komet Sales simulator[/]  {_addresses(server)}")
    if company:
        users = ", ".join(u["username"] for u in (seeded or {}).get("users", [])[:2]) or "the seeded users"
        console.print(
            f"  importer: {company['name']} · company ID [bold]{company['companyId']}[/] · "
            f"daily API limit {company['dailyLimit']}"
        )
        console.print(f"  portal: {server.url}/login  (sign in as {users}; password komet123)")
    if seeded and partner:
        vendor, login = seeded["vendors"][0], seeded["vendorUsers"][0]["username"]
        console.print(
            f"  vendor portal: sign in as {login} ({vendor['name']}), a vendor of {seeded['companyName']} and "
            f"of a second importer, {partner['companyName']} (company ID {partner['companyId']})"
        )
    elif len(namespaces) > 1:
        console.print(f"  state restored: {len(namespaces)} importer companies", style="dim")
    app.extensions["kasim.serve.seeded"] = seeded
    args._komet_app = app
    if getattr(args, "which", None) == "komet" and seeded:  # Komet alone: the user brings the grower
        _your_grower(console, komet, server.url, seeded)
    server.serve()
    return server.url


def _partner(args, seeded: dict) -> dict:
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


def _your_grower(console: Banner | Console, komet: KometSimClient, url: str, seeded: dict) -> None:
    """Komet alone: what a grower system of your own needs to connect, as an importer would send it."""
    komet.namespace = str(seeded["companyId"])
    vendor = seeded["vendors"][0]
    token = komet.create_token(vendor_id=vendor["id"], methods="asinfo", description="your grower system")
    console.print(
        f"""
[bold]Point your grower system at it[/] (vendor {vendor["code"]} · {vendor["name"]}):
  Komet URL   {url}
  token       {token["token"]}   (Vendor, the ASINFO preset of methods)
  company ID  {seeded["companyId"]}
Then run your flow, and ask Komet what it thinks of your traffic:
  kasim verdict --komet-url {url}""",
        highlight=False,
    )


def _asinfo(args, clock, state, port, komet_url, servers, console) -> None:
    import asinfo_sim

    app = asinfo_sim.create_app(
        {
            "seed": args.seed,
            "state_dir": state,
            "clock": clock,
            "worker": True,
            "poll_interval": args.poll,
            "journal_bytes": _journal_bytes(args),
        }
    )
    server = ServerThread(app, args.host, port, verbose=args.verbose, allow_hosts=args.allow_host).bind()
    servers.append(server)
    try:
        _set_up_asinfo(args, app, server, komet_url, console)
    finally:
        server.serve()


def _set_up_asinfo(args, app, server: ServerThread, komet_url: str, console: Banner | Console) -> None:
    """Seeds and connects the grower in process, before ASINFO answers anyone; Komet is already serving."""
    asinfo = AsinfoSimClient(server.url, app=app)
    world = app.extensions["kasim.world"]
    console.print(f"[bold]ASINFO grower portal[/]   {_addresses(server)}")
    if world.namespaces():
        console.print("  state restored: accounts and connections as they were", style="dim")
        return
    if args.which == "both":
        topo = LiveTopology(KometSimClient(komet_url), asinfo, komet_url)
        seeded = args._komet_app.extensions.get("kasim.serve.seeded") or topo.komet.seed(seed=args.seed)
        topo.komet.namespace = str(seeded["companyId"])
        grower = topo.connect_grower({**seeded, "seed": args.seed})
        token, vendor, account = grower["token"], grower["vendor"], grower["account"]
        topo.asinfo_sim().sync(grower["connection"]["id"], expect=(200, 502))
        console.print(
            f"  grower: {account['account']['name']} (vendor {vendor['code']}), connected to company "
            f"{seeded['companyId']} with a Vendor token made with the ASINFO preset"
        )
        _walkthrough(console, komet_url, server.url, token["token"], seeded)
        return
    if not (args.token and args.company_id):
        console.print(
            "  no connection yet: add one on the Connections page, or pass --token and --company-id",
            style="yellow",
        )
        asinfo.seed(seed=args.seed)
        return
    asinfo.seed(seed=args.seed)
    conn = asinfo.connect(komet_url, args.token, args.company_id)
    try:
        test = asinfo.test_connection(conn["id"])
        console.print(
            f"  connection to {komet_url}: {test['message']}", style="green" if test["ok"] else "red"
        )
    except SimError as exc:
        console.print(f"  connection test failed: {exc}", style="red")


def _journal_bytes(args) -> int:
    return int(getattr(args, "journal_mb", DEFAULT_MAX_BYTES / 2**20) * 2**20)


def _addresses(server: ServerThread) -> str:
    """Where the server is reached: this machine's URL, and the network's when it listens on every interface."""
    return " · ".join(server.urls)


def _warn_public(console: Console, servers: list[ServerThread]) -> None:
    console.print(
        f"\n[bold]Warning:[/] listening on {servers[0].host or 'every interface'}: anyone who can reach this "
        "machine can use the control plane (/__sim: reset the world, read its state with every token and "
        "password, inject faults) and ASINFO's API (no sign-in). Serve on 127.0.0.1 unless the network is "
        "yours.",
        style="yellow",
        highlight=False,
    )


def _walkthrough(
    console: Banner | Console, komet_url: str, asinfo_url: str, token: str, seeded: dict
) -> None:
    day = seeded["shipDates"][0] if seeded.get("shipDates") else "YYYY-MM-DD"
    vendor_login = (seeded.get("vendorUsers") or [{"username": "the vendor's login"}])[0]["username"]
    console.print(
        f"""
[bold]Two browser tabs, one flow[/]
  1. Komet  {komet_url}/login — Purchase Orders: the Approved POs of the coming ship dates;
     Setup › Settings › Tokens: the Vendor token ASINFO holds; My Profile: the company ID.
  2. ASINFO {asinfo_url}/orders — already synced; open a PO, confirm boxes (all, some or none),
     AWBs › New AWB, add the confirmed boxes, Labels (PDF preview, ZPL), Ship to Komet.
  3. Komet  {komet_url}/in-transit — the boxes under that AWB; Receive them at the warehouse.
  4. Komet  {komet_url}/login as the grower, {vendor_login} — Purchase Orders › Confirm POs: the
     vendor's own view, confirming in Komet instead of ASINFO (sign out of the importer first).
[bold]The API, as a grower calls it[/]
  curl '{komet_url}/api/purchase.order.list?authenticationToken={token}&date={day}'
[bold]Control plane[/] (both apps): /__sim/health · /__sim/state · /__sim/clock · /__sim/faults · /__sim/journal
[bold]Scenarios against these servers[/]
  kasim run --komet-url {komet_url} --asinfo-url {asinfo_url}""",
        highlight=False,
    )
