"""bench/speed.py's figures measured in this process: `purchase.order.list` through Flask's test client against a bare
route returning the same bytes, and the list computed with 1 M lines stored against 10 k."""

from __future__ import annotations

import _common as bc
import _servers as sv
import _speed_world as sw


def in_process(runs: int) -> dict:
    app, query, body = sw.seeded_app()
    world = app.extensions["kasim.world"]
    from flask import Flask, Response

    bare = Flask("bare")

    @bare.get(sv.PATH)
    def po_list():
        return Response(body, mimetype="application/json")

    kc, bc_ = app.test_client(), bare.test_client()

    def uncached():
        world.replies.clear()
        return kc.get(sv.PATH, query_string=query)

    cases = {
        "kasim": lambda: kc.get(sv.PATH, query_string=query),
        "bare Flask route": lambda: bc_.get(sv.PATH, query_string=query),
        "kasim, reply computed (first read after a write)": uncached,
    }

    def check(name, reply):
        assert reply.status_code == 200 and reply.get_data() == body, (name, reply.get_data()[:200])

    samples = bc.interleaved(cases, runs, 20, check)
    rows, results = bc.against(samples, "bare Flask route", keep_samples=False)
    return {"rows": rows, "results": results, "bytes": len(body)}


def scaling(runs: int, big: int, small: int) -> dict:
    apps = {f"{n:,} lines": sw.scaled_app(n) for n in (big, small)}
    cases, bodies = {}, {}
    for name, (app, query, body, _) in apps.items():
        world, client = app.extensions["kasim.world"], app.test_client()

        def computed(world=world, client=client, query=query):
            world.replies.clear()
            return client.get(sv.PATH, query_string=query)

        cases[name], bodies[name] = computed, body

    def check(name, reply):
        assert reply.get_data() == bodies[name], name

    samples = bc.interleaved(cases, runs, 5, check)
    rows, results = bc.against(samples, f"{small:,} lines", keep_samples=False)
    return {"rows": rows, "results": results, "stored": {n: a[3] for n, a in apps.items()}}
