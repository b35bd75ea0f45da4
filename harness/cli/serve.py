"""kasim serve: the simulators on real sockets, with a running clock, wired together by default:
ASINFO pre-connected to the local Komet through a Vendor token made the way an importer makes it."""

from __future__ import annotations

import argparse
import gc
import socket
import time
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from asinfo_sim.decisions import POLL_INTERVAL_SECONDS
from komet_sim.decisions import PROFILES
from simkit import snapshot
from simkit.clock import VirtualClock
from simkit.journal import DEFAULT_MAX_BYTES
from simkit.server import ServerThread, address
from simkit.store import StateInUse

from .. import serve_cache
from ..serve_banner import Banner, addresses, asinfo_banner, komet_banner, warn_public
from ..serve_setup import SetupFailed

if TYPE_CHECKING:
    from rich.console import Console

NAME = "serve"
# The banner waits until no client has been connected for BANNER_QUIET seconds, BANNER_AT_MOST at most
BANNER_QUIET, BANNER_AT_MOST = 0.1, 1.0
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
    p.add_argument(
        "--no-cache",
        action="store_true",
        help="set the worlds up afresh, neither reading nor writing the start-up cache (~/.cache/kasim, where "
        f"the next start restores them from; also {serve_cache.OFF_ENV}=1)",
    )


def run(args: argparse.Namespace, console: Console) -> int:
    # One clock per app, from the same instant: each app's per-namespace offsets stay its own (a Komet company
    # and an ASINFO account may share an id). They stand still while the worlds are set up, then run.
    start = datetime.utcnow().replace(microsecond=0)
    clocks = {"komet": VirtualClock(start, running=True), "asinfo": VirtualClock(start, running=True)}
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
            if args.which == "asinfo":
                if not args.komet_url:
                    banner.print(
                        "kasim serve asinfo: give --komet-url (and --token, --company-id)", style="red"
                    )
                    return 2
                port = args.port if args.port is not None else args.asinfo_port
                _asinfo(args, clocks["asinfo"], state, port, args.komet_url, servers, banner)
            else:
                _pair(args, clocks, state, servers, banner)
        finally:
            gc.freeze()
            gc.enable()
            # Once both answer, and their first clients (a CI job polling until they do) are answered: importing
            # rich and printing would take the interpreter from them.
            for server in servers:
                server.wait_quiet(BANNER_QUIET, BANNER_AT_MOST)
            banner.show(console)
        if any(s.public for s in servers):
            warn_public(console, servers)
        console.print("\nCtrl+C stops the servers.", style="dim")
        while all(s.alive for s in servers):
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    except StateInUse as exc:
        console.print(f"kasim serve: {exc}", style="red", highlight=False)
        return 2
    except SetupFailed as exc:  # setting up the worlds went wrong: said in words, never a traceback
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
    for app, port, flag in _ports(args):
        if not port:
            continue  # 0: the system picks a free one
        family, sockaddr = address(args.host, port)  # the socket the server will open, as it opens it
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server will
            try:
                probe.bind(sockaddr)
            except socket.gaierror as exc:
                return f"cannot listen on --host {args.host}: {exc.strerror}"
            except OSError as exc:
                return (
                    f"port {port} on {args.host} is not free for {app} ({exc.strerror}); "
                    f"choose another with {flag}"
                )
    return None


def _pair(args, clocks: dict[str, VirtualClock], state, servers, console) -> None:
    """Komet, and ASINFO with it unless Komet is served alone: both bound (a port in use fails at once), their
    worlds set up in process (or restored from the start-up cache, or from --state), then both answering. A client
    that connects meanwhile (a CI job polling health) waits, and never meets a half-made world (S7)."""
    import komet_sim

    config = {"seed": args.seed, "state_dir": state, "journal_bytes": _journal_bytes(args)}
    kapp = komet_sim.create_app({**config, "clock": clocks["komet"], "profile": args.profile})
    port = args.port if args.which == "komet" and args.port is not None else args.komet_port
    kserver = ServerThread(kapp, args.host, port, verbose=args.verbose, allow_hosts=args.allow_host).bind()
    servers.append(kserver)
    apps = {"komet": (kapp, kserver)}
    if args.which == "both":
        import asinfo_sim

        aapp = asinfo_sim.create_app({**config, "clock": clocks["asinfo"]})
        aserver = ServerThread(
            aapp, args.host, args.asinfo_port, verbose=args.verbose, allow_hosts=args.allow_host
        )
        servers.append(aserver.bind())
        apps["asinfo"] = (aapp, aserver)
    worlds = {name: app.extensions["kasim.world"] for name, (app, _) in apps.items()}
    made: dict | None = None
    if not any(world.namespaces() for world in worlds.values()):
        made = _set_up(args, apps, clocks)
    kapp.extensions["kasim.serve.seeded"] = made["seeded"] if made else None
    komet_banner(console, args.which, kapp, kserver, made)
    if "asinfo" in apps:
        from asinfo_sim.worker import Worker

        aapp.extensions["kasim.worker"] = Worker(worlds["asinfo"], args.poll).start()
        asinfo_banner(console, aapp, aserver, kserver.url, made)
    for _, server in apps.values():
        server.serve()


def _set_up(args, apps: dict, clocks: dict[str, VirtualClock]) -> dict:
    """The worlds' set-up (serve_setup.py), at one instant with both clocks standing still, or the same set-up
    restored from the start-up cache (serve_cache.py); then the clocks run from now."""
    at = clocks["komet"].base()
    for clock in clocks.values():
        clock.set(at, running=False)
    stamp = at.strftime("%Y-%m-%dT%H:%M:%S")  # as the clock stamps what it sees (K13)
    worlds = {name: app.extensions["kasim.world"] for name, (app, _) in apps.items()}
    urls = {name: server.url for name, (_, server) in apps.items()}
    cache_key = serve_cache.key(args, at.date()) if serve_cache.enabled(args) else None
    made = _restored(cache_key, worlds, stamp, urls) if cache_key else None
    if made is None:
        from ..serve_setup import set_up

        asinfo = (apps["asinfo"][0], urls["asinfo"]) if "asinfo" in apps else None
        made = set_up(args, args.which, (apps["komet"][0], urls["komet"]), asinfo)
        if cache_key:  # taken before anyone is answered: the set-up and nothing else
            entry = serve_cache.Entry(stamp, urls, made, {n: snapshot.take(w) for n, w in worlds.items()})
            serve_cache.save(cache_key, entry)
    now = datetime.utcnow().replace(microsecond=0)
    for clock in clocks.values():
        clock.set(max(now, at), running=True)
    return made


def _restored(cache_key: str, worlds: dict, stamp: str, urls: dict[str, str]) -> dict | None:
    """What the set-up made, its worlds restored from the cache; None (and the worlds untouched) when the cache
    has no entry that fits."""
    entry = serve_cache.load(cache_key)
    if entry is None:
        return None
    try:
        entry = serve_cache.moved(entry, stamp, urls)
        for name, world in worlds.items():
            snapshot.check(world, entry.worlds[name])
    except (ValueError, KeyError):
        return None
    for name, world in worlds.items():  # both checked above: neither is touched unless both can be made
        snapshot.restore(world, entry.worlds[name], checked=True)
    return entry.made


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
    """ASINFO alone, against a Komet of the user's: seeded, and connected when given a token and company ID."""
    from ..clients import AsinfoSimClient, SimError

    asinfo = AsinfoSimClient(server.url, app=app)
    world = app.extensions["kasim.world"]
    console.print(f"[bold]ASINFO grower portal[/]   {addresses(server)}")
    if world.namespaces():
        console.print("  state restored: accounts and connections as they were", style="dim")
        return
    try:
        asinfo.seed(seed=args.seed)
        if not (args.token and args.company_id):
            console.print(
                "  no connection yet: add one on the Connections page, or pass --token and --company-id",
                style="yellow",
            )
            return
        conn = asinfo.connect(komet_url, args.token, args.company_id)
    except SimError as exc:
        raise SetupFailed(str(exc)) from None
    try:
        test = asinfo.test_connection(conn["id"])
        console.print(
            f"  connection to {komet_url}: {test['message']}", style="green" if test["ok"] else "red"
        )
    except SimError as exc:
        console.print(f"  connection test failed: {exc}", style="red")


def _journal_bytes(args) -> int:
    return int(getattr(args, "journal_mb", DEFAULT_MAX_BYTES / 2**20) * 2**20)
