"""kasim proxy: stand between a grower system and a Komet, forward every call unchanged, record each API
exchange (tokens redacted) as a recording (docs/recording-format.md)."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime

from rich.console import Console

NAME = "proxy"
HELP = "forward a grower's calls to a Komet unchanged and record every exchange (JSON Lines)"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--to", required=True, metavar="URL", help="the Komet to forward to, e.g. https://komet.example"
    )
    p.add_argument("--port", type=int, default=5010, help="port to listen on (default 5010)")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument(
        "--out",
        metavar="FILE",
        help="the recording (default recordings/komet-<UTC time>.jsonl); an existing recording is continued",
    )
    p.add_argument("--timeout", type=float, default=60.0, metavar="S", help="seconds to wait for the target")


def run(args: argparse.Namespace, console: Console) -> int:
    from simkit import __version__
    from simkit.server import ServerThread

    from ..recording import format as fmt
    from ..recording.proxy import RecordingProxy

    if not args.to.startswith(("http://", "https://")):
        console.print(f"kasim proxy: --to {args.to!r} is not an http(s) URL", style="red", markup=False)
        return 2
    started = datetime.now(UTC)
    out = args.out or f"recordings/komet-{started:%Y%m%d-%H%M%S}.jsonl"
    head = fmt.header(args.to, started.strftime("%Y-%m-%dT%H:%M:%SZ"), f"kasim {__version__} proxy")
    try:
        writer = fmt.Writer(out, head)
    except (OSError, ValueError) as exc:
        console.print(f"kasim proxy: {exc}", style="red", markup=False)
        return 2
    proxy = RecordingProxy(args.to, writer, timeout=args.timeout)
    try:
        server = ServerThread(proxy, args.host, args.port).start()
    except OSError as exc:
        writer.close()
        console.print(f"kasim proxy: {exc} (choose another with --port)", style="red", markup=False)
        return 2
    kind = "a kasim Komet simulator (its virtual time is recorded)" if proxy.simulator else "a Komet"
    console.print(f"[bold]Recording proxy[/]  {server.url}  →  {args.to}  ({kind})", highlight=False)
    console.print(f"  recording to {out}", highlight=False, markup=False)
    console.print(f"  point your grower system at {server.url} instead of {args.to}", highlight=False)
    console.print("\nCtrl+C stops the proxy.", style="dim")
    try:
        server.run_until_interrupted()
    finally:
        writer.close()
    console.print(f"{proxy.recorded} exchange(s) recorded to {out}", highlight=False, markup=False)
    return 0
