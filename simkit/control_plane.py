"""The /__sim control plane (the contract in docs/control-plane.md), identical on both simulators."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request

from . import __version__
from .errors import BadInput
from .openapi import describe
from .params import P
from .web import current_world, json_body, parse_body, parse_query, requested_namespace

CLOCK_MOVE = (P("advance", "duration"), P("set", "datetime"), P("running", "bool"))
CLOCK_SHIFT = CLOCK_MOVE[:2]  # one namespace's offset: its time is never stopped or started on its own
JOURNAL_QUERY = (
    P("since", "int", default=0, reason="must be a journal sequence number"),
    P("correlation", "str"),
)
FAULT_QUERY = (P("id", "int", reason="must be a fault id (an integer)"),)


def _namespace() -> str | None:
    """Control-plane calls act on one namespace only when they say so with ?namespace= (the X-Kasim-Namespace
    header routes ordinary requests; it must never silently narrow a reset, a fault clear or a journal)."""
    return requested_namespace(header=False)


def control_blueprint() -> Blueprint:
    bp = Blueprint("sim_control", __name__, url_prefix="/__sim")

    @bp.errorhandler(BadInput)
    def bad_input(exc: BadInput) -> tuple[Response, int]:
        return jsonify(exc.to_json()), exc.http_status

    @bp.get("/health")
    def health() -> Response:
        world = current_world()
        # ready: no seed is half-made (kasim serve binds only once it has seeded, so it answers ready at once)
        return jsonify({"status": "ok", "app": world.name, "version": __version__, "ready": world.ready})

    @bp.post("/reset")
    def reset() -> Response:
        return jsonify(current_world().reset(_namespace()))

    @bp.post("/seed")
    def seed() -> Response:
        return jsonify(current_world().apply_seed(json_body(optional=True)))

    @bp.get("/state")
    def get_state() -> Response:
        world, namespace = current_world(), _namespace()
        if namespace is None:
            return jsonify(world.export_state(None))
        # One namespace's snapshot carries an ETag; asked again with If-None-Match, an unchanged one is a bodiless
        # 304 (the property machine reads both snapshots after every step, and half its steps change nothing).
        tag = world.state_tag(namespace)
        if request.if_none_match.contains(tag):
            unchanged = Response(status=304)
            unchanged.set_etag(tag)
            return unchanged
        reply = jsonify(world.export_state(namespace))
        reply.set_etag(tag)
        return reply

    @bp.put("/state")
    def put_state() -> Response:
        return jsonify(current_world().import_state(json_body()))

    # The clock takes its namespace only from ?namespace= (never from the routing header): moving one
    # namespace's time is always explicit.
    @bp.get("/clock")
    def get_clock() -> Response:
        return jsonify(current_world().clock.to_json(_namespace()))

    @bp.post("/clock")
    def post_clock() -> Response:
        namespace = _namespace()
        move = parse_body(CLOCK_SHIFT if namespace else CLOCK_MOVE)
        if not move:
            raise BadInput("advance", "give 'advance' (e.g. '36h') or 'set' (e.g. '2026-11-27T06:00:00')")
        clock = current_world().clock
        try:
            if namespace:
                return jsonify(clock.shift(namespace, advance=move.get("advance"), at=move.get("set")))
            return jsonify(
                clock.apply(advance=move.get("advance"), at=move.get("set"), running=move.get("running"))
            )
        except ValueError as exc:  # past the clock's range: nothing moved
            raise BadInput("advance" if "advance" in move else "set", str(exc)) from None

    @bp.get("/faults")
    def list_faults() -> Response:
        faults = current_world().faults
        return jsonify({"faults": faults.list(_namespace()), "held": faults.held(_namespace())})

    @bp.post("/faults/release")
    def release_faults() -> Response:
        """Let the requests a late or hold fault keeps go: late ones are processed now, held replies sent."""
        return jsonify({"released": current_world().faults.release(_namespace())})

    @bp.post("/faults")
    def add_fault() -> tuple[Response, int]:
        body = json_body()
        rules = body.get("faults") if "faults" in body else [body]
        if not isinstance(rules, list):
            raise BadInput("faults", "expected a list of fault objects")
        added = [r.to_json() for r in current_world().faults.add_all(rules)]
        return jsonify({"faults": added} if "faults" in body else added[0]), 201

    @bp.delete("/faults")
    @describe(query=FAULT_QUERY)
    def clear_faults() -> Response:
        removed = current_world().faults.clear(_namespace(), parse_query(FAULT_QUERY).get("id"))
        return jsonify({"removed": removed})

    @bp.get("/journal")
    @describe(query=JOURNAL_QUERY)
    def get_journal() -> Response:
        query = parse_query(JOURNAL_QUERY)
        world = current_world()
        entries = world.journal.entries(_namespace(), query.get("correlation"), query["since"])
        return jsonify({"app": world.name, "entries": entries, "last": world.journal.last_seq})

    @bp.delete("/journal")
    def clear_journal() -> Response:
        return jsonify({"removed": current_world().journal.clear(_namespace())})

    return bp
