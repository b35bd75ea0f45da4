"""GET /__sim/komet/verdict[?since=SEQ|TIME][&namespace=COMPANY][&pollInterval=S][&pollBurst=N]: the protocol
verdict on every client's traffic Komet journaled (after a journal position or from a time on, of one
company)."""

from __future__ import annotations

from datetime import datetime

from flask import Blueprint, jsonify, request

from simkit.params import P, ParamError
from simkit.web import current_world, parse_query

from . import facts_from, judge

bp = Blueprint("komet_verdict", __name__, url_prefix="/__sim/komet")
QUERY = (
    P("since", "str", size=19, default="0"),
    P("pollInterval", "int", low=1, high=86400, default=60),
    P("pollBurst", "int", low=1, high=1000, default=6),
)


def _since(text: str) -> tuple[int, datetime | None]:
    """A journal position (`seq`), or a time YYYY-MM-DDTHH:MM:SS on Komet's clock."""
    if text.isdigit():
        return int(text), None
    try:
        return 0, datetime.fromisoformat(text)
    except ValueError:
        reason = "expected a journal position (a number) or a time YYYY-MM-DDTHH:MM:SS"
        raise ParamError("since", "invalid", reason) from None


@bp.get("/verdict")
def verdict():
    world = current_world()
    query = parse_query(QUERY)
    seq, start = _since(query["since"])
    namespace = request.args.get("namespace") or None
    entries = world.journal.entries(namespace=namespace, since=seq)
    if start is not None:
        entries = [e for e in entries if datetime.fromisoformat(e["at"]) >= start]
    facts = facts_from(world, query["pollInterval"], query["pollBurst"])
    return jsonify({"since": query["since"], "namespace": namespace, **judge(entries, facts)})


@bp.errorhandler(ParamError)
def bad_param(exc: ParamError):
    return jsonify(exc.to_json()), 400
