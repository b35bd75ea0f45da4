"""Memory of a served Komet over many purchase.order.list calls (issue 8: flat within ±50 MB over 2,000 calls;
it grew ~0.23 MB per call while the journal kept reply objects).

Two servers, each in a child process of its own so that its RSS is its own, side by side in one run:
  komet        the simulator served by simkit.server.ServerThread (what `kasim serve` runs), the journal at
               its default bound (or --journal-mb), one day of 20 POs × 5 lines, a Company token
  bare route   baseline: a minimal Flask app served the same way, returning the identical bytes
The calls alternate between the two servers. The RSS of each child is read from /proc every --every calls;
the journal's own byte count is read from the control plane (entries) at the end.

    python bench/journal_memory.py              # 2,000 calls each
    python bench/journal_memory.py --quick      # 300
    python bench/journal_memory.py --calls 5000 --journal-mb 64
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import _common as bc

SEED = {"seed": 7, "vendors": 1, "shipDays": 1, "posPerDay": 20, "linesPerPo": 5}


def serve(which: str, journal_mb: float) -> None:
    """In the child: build the app, serve it, print one JSON line (url, query), wait for stdin to close."""
    from flask import Flask, Response

    import komet_sim
    from simkit.server import ServerThread

    komet = komet_sim.create_app({"seed": 7, "journal_bytes": int(journal_mb * 2**20)})
    client = komet.test_client()
    world = client.post("/__sim/seed", json=SEED).get_json()
    token = client.post(
        "/__sim/komet/tokens", json={"type": "Company", "methods": "all", "description": "bench"}
    ).get_json()["token"]
    query = {"authenticationToken": token, "date": world["shipDates"][0]}
    app = komet
    if which == "bare":
        body = client.get("/api/purchase.order.list", query_string=query).get_data()
        app = Flask("bare")
        app.add_url_rule(
            "/api/purchase.order.list", "po_list", lambda: Response(body, mimetype="application/json")
        )
    with ServerThread(app) as server:
        print(json.dumps({"url": server.url, "query": query}), flush=True)
        sys.stdin.read()


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def main() -> None:
    p = bc.parser(__doc__.splitlines()[0], runs=2000, quick_runs=300)
    p.add_argument("--calls", type=int, help="list calls per server (default 2,000; --quick 300)")
    p.add_argument("--every", type=int, default=100, help="sample the RSS every N calls")
    p.add_argument(
        "--journal-mb", type=float, default=None, help="the served journal's bound (default: its own)"
    )
    p.add_argument("--serve", choices=["komet", "bare"], help=argparse_hidden())
    args = p.parse_args()
    from simkit.journal import DEFAULT_MAX_BYTES

    journal_mb = args.journal_mb if args.journal_mb is not None else DEFAULT_MAX_BYTES / 2**20
    if args.serve:
        serve(args.serve, journal_mb)
        return
    import requests

    calls = args.calls or bc.runs_from(args)
    info = bc.machine()
    print(bc.header("journal_memory", info))
    children, sessions, targets = {}, {}, {}
    for which in ("komet", "bare"):
        child = subprocess.Popen(
            [sys.executable, __file__, "--serve", which, "--journal-mb", str(journal_mb)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        children[which] = child
        assert child.stdout is not None and child.stdin is not None  # both piped above
        targets[which] = json.loads(child.stdout.readline())
        sessions[which] = requests.Session()
    samples: dict[str, list[tuple[int, float]]] = {w: [] for w in children}
    size = None
    try:
        for w in children:
            samples[w].append((0, rss_mb(children[w].pid)))
        for n in range(1, calls + 1):
            for w in children if n % 2 else reversed(list(children)):
                t = targets[w]
                reply = sessions[w].get(f"{t['url']}/api/purchase.order.list", params=t["query"], timeout=30)
                assert reply.status_code == 200 and reply.json()["status"] == "1", reply.text[:200]
                size = len(reply.content)
            if n % args.every == 0 or n == calls:
                for w in children:
                    samples[w].append((n, rss_mb(children[w].pid)))
        journal = sessions["komet"].get(f"{targets['komet']['url']}/__sim/journal", timeout=60).json()
    finally:
        for child in children.values():
            if child.stdin is not None:
                child.stdin.close()
            child.wait(timeout=30)
    rows = []
    for w, points in samples.items():
        start, end = points[0][1], points[-1][1]
        peak = max(r for _, r in points)
        rows.append(
            [
                w,
                f"{start:.1f}",
                f"{peak:.1f}",
                f"{end:.1f}",
                f"{end - start:+.1f}",
                f"{(end - start) / calls * 1024:+.1f}",
            ]
        )
    print(f"{calls} calls per server, {size:,} bytes per reply, journal bound {journal_mb:g} MB")
    print(bc.table(["server", "RSS start MB", "peak MB", "end MB", "growth MB", "KB per call"], rows))
    kept = len(journal["entries"])
    print(f"komet journal: {kept} entries kept of {journal['last']} recorded")
    if not args.no_json:
        path = bc.write_json(
            "journal_memory",
            {
                "machine": info,
                "calls": calls,
                "reply_bytes": size,
                "journal_mb": journal_mb,
                "journal_entries_kept": kept,
                "rss_mb": samples,
            },
        )
        print(f"wrote {path.relative_to(bc.ROOT)}")


def argparse_hidden() -> str:
    import argparse

    return argparse.SUPPRESS


if __name__ == "__main__":
    main()
