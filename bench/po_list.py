"""purchase.order.list for one ship date of 20 POs × 5 lines (issue 2), against a bare Flask route that
returns the identical bytes.

In process (Flask test client), interleaved round by round:
  komet                 the whole simulator: journal/fault middleware, Flask, auth, quota, SQLite, JSON
  komet, no middleware  the same Flask app without SimMiddleware (what journaling costs)    [diagnostic]
  domain only           authenticate + parse + quota + handler + json.dumps, no HTTP at all [diagnostic]
  bare route            baseline: a minimal Flask app whose one route returns the pre-serialised body
Over a real socket (simkit.server.ServerThread + requests.Session, keep-alive), interleaved:
  komet                 the simulator served by the runner `kasim serve` uses
  bare route            baseline: the bare app served the same way

Every reply is checked (outside the timed region) to be 200 with exactly the expected bytes, so a refusal
(a quota, a token) can never pass for a fast answer.

    python bench/po_list.py            # 200 calls per case
    python bench/po_list.py --quick    # 30
"""

from __future__ import annotations

import json
import sys

import _common as bc

SEED = {"seed": 7, "vendors": 1, "shipDays": 1, "posPerDay": 20, "linesPerPo": 5}
TOKEN = {"type": "Company", "methods": "all", "description": "bench"}
WARMUP = 10


def komet_world():
    """A fresh Komet app seeded with one day of 20 POs × 5 lines, a Company token, and the reply bytes."""
    import komet_sim

    app = komet_sim.create_app({"seed": SEED["seed"]})
    client = app.test_client()
    world = client.post("/__sim/seed", json=SEED).get_json()
    token = client.post("/__sim/komet/tokens", json=TOKEN).get_json()["token"]
    query = {"authenticationToken": token, "date": world["shipDates"][0]}
    reply = client.get("/api/purchase.order.list", query_string=query)
    body = reply.get_data()
    data = json.loads(body)
    assert reply.status_code == 200 and str(data.get("status")) == "1", body[:300]
    pos = data["purchaseOrders"]
    assert len(pos) == 20 and sum(len(p["details"]) for p in pos) == 100, "expected 20 POs × 5 lines"
    return app, query, body


def bare_app(body: bytes):
    """The baseline: Flask, one route at the same path, the identical pre-serialised body, nothing else."""
    from flask import Flask, Response

    bare = Flask("bare")

    @bare.get("/api/purchase.order.list")
    def po_list():
        return Response(body, mimetype="application/json")

    return bare


def domain_call(app, query: dict):
    """The same work as the API route minus HTTP: what Flask + WSGI + middleware add on top of this."""
    from komet_sim.api import handlers
    from komet_sim.domain import companies, tokens
    from komet_sim.methods import METHODS
    from simkit.params import parse

    world = app.extensions["kasim.world"]
    method = METHODS["purchase.order.list"]
    raw = {k: v for k, v in query.items() if k != "authenticationToken"}

    def call() -> bytes:
        caller = tokens.authenticate(world, query["authenticationToken"])
        params = parse(method.params, dict(raw))
        with world.store.tx():
            companies.consume_quota(world, caller.company_id)
            reply = getattr(handlers, method.handler)(world, caller, params)
        return json.dumps(reply, ensure_ascii=False).encode()

    return call


def in_process(runs: int) -> dict:
    from werkzeug.test import Client

    app, query, body = komet_world()
    bare = bare_app(body)
    komet_client = app.test_client()
    inner_client = Client(app.wsgi_app.app)  # the Flask app inside SimMiddleware
    bare_client = bare.test_client()
    path = "/api/purchase.order.list"
    cases = {
        "komet": lambda: komet_client.get(path, query_string=query),
        "komet, no middleware": lambda: inner_client.get(path, query_string=query),
        "domain only": domain_call(app, query),
        "bare route": lambda: bare_client.get(path, query_string=query),
    }

    def check(name, reply):
        if name == "domain only":
            assert reply == body, "domain reply differs from the API reply"
        else:
            assert reply.status_code == 200 and reply.get_data() == body, (name, reply.get_data()[:300])

    samples = bc.interleaved(cases, runs, WARMUP, check)
    return {"samples": samples, "bytes": len(body)}


def over_socket(runs: int) -> dict:
    import requests

    from simkit.server import ServerThread

    app, query, body = komet_world()
    servers = [ServerThread(app).start(), ServerThread(bare_app(body)).start()]
    try:
        sessions = [requests.Session(), requests.Session()]
        urls = [s.url + "/api/purchase.order.list" for s in servers]
        cases = {
            "komet": lambda: sessions[0].get(urls[0], params=query, timeout=30),
            "bare route": lambda: sessions[1].get(urls[1], params=query, timeout=30),
        }

        def check(name, reply):
            assert reply.status_code == 200 and reply.content == body, (name, reply.content[:300])

        samples = bc.interleaved(cases, runs, WARMUP, check)
        for s in sessions:
            s.close()
    finally:
        for server in servers:
            server.stop()
    return {"samples": samples, "bytes": len(body)}


def report(info: dict, runs: int, inproc: dict, socket: dict) -> dict:
    print(bc.header("po_list", info))
    print(
        f"purchase.order.list, one ship date, 20 POs × 5 lines, reply {inproc['bytes']:,} bytes; "
        f"{runs} calls per case after {WARMUP} warm-up, interleaved\n"
    )
    rows, in_results = bc.against(inproc["samples"], "bare route")
    print(
        bc.table(bc.STAT_HEADERS, rows, "In process (Flask test client); ratio = median / bare route median")
    )
    rows, socket_results = bc.against(socket["samples"], "bare route")
    print()
    print(
        bc.table(
            bc.STAT_HEADERS, rows, "Real socket (ServerThread + requests.Session); ratio = median / bare"
        )
    )
    return {"in_process": in_results, "socket": socket_results}


def main(argv: list[str] | None = None) -> int:
    args = bc.parser(__doc__.split("\n")[0], runs=200, quick_runs=30).parse_args(argv)
    runs = bc.runs_from(args)
    info = bc.machine()
    inproc = in_process(runs)
    socket = over_socket(runs)
    results = report(info, runs, inproc, socket)
    if not args.no_json:
        path = bc.write_json(
            "po_list",
            {
                "benchmark": "po_list",
                "machine": info,
                "runs": runs,
                "warmup": WARMUP,
                "seed": SEED,
                "reply_bytes": inproc["bytes"],
                "baseline": "bare Flask route returning the identical bytes",
                **results,
            },
        )
        print(f"\nwrote {path.relative_to(bc.ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
