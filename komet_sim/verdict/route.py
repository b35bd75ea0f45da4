"""GET /__sim/komet/verdict[?since=SEQ][&namespace=COMPANY][&pollInterval=S][&pollBurst=N]: the protocol
verdict on every client's traffic Komet journaled (since a journal position, of one company)."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, request

from simkit.params import P, ParamError
from simkit.web import parse_query

from . import facts_from, judge

bp = Blueprint("komet_verdict", __name__, url_prefix="/__sim/komet")
QUERY = (
    P("since", "int", low=0, default=0),
    P("pollInterval", "int", low=1, high=86400, default=60),
    P("pollBurst", "int", low=1, high=1000, default=6),
)


@bp.get("/verdict")
def verdict():
    world = current_app.extensions["kasim.world"]
    query = parse_query(QUERY)
    namespace = request.args.get("namespace") or None
    entries = world.journal.entries(namespace=namespace, since=query["since"])
    facts = facts_from(world, query["pollInterval"], query["pollBurst"])
    return jsonify({"since": query["since"], "namespace": namespace, **judge(entries, facts)})


@bp.errorhandler(ParamError)
def bad_param(exc: ParamError):
    return jsonify(exc.to_json()), 400
