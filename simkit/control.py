"""The /__sim control plane (the contract in docs/control-plane.md), identical on both simulators."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, request

from . import __version__
from .errors import BadInput


def _world():
    return current_app.extensions["kasim.world"]


def json_body(optional: bool = False) -> dict:
    data = request.get_json(silent=True)
    if data is None:
        if optional and not request.get_data():
            return {}
        raise BadInput("body", "expected a JSON object (Content-Type: application/json)")
    if not isinstance(data, dict):
        raise BadInput("body", "expected a JSON object")
    return data


def _namespace() -> str | None:
    """Control-plane calls act on one namespace only when they say so with ?namespace= (the X-Kasim-Namespace
    header routes ordinary requests; it must never silently narrow a reset, a fault clear or a journal)."""
    return request.args.get("namespace") or None


def control_blueprint() -> Blueprint:
    bp = Blueprint("sim_control", __name__, url_prefix="/__sim")

    @bp.errorhandler(BadInput)
    def bad_input(exc: BadInput):
        status = 404 if exc.code == "not_found" else 400
        return jsonify(exc.to_json()), status

    @bp.get("/health")
    def health():
        world = _world()
        return jsonify({"status": "ok", "app": world.name, "version": __version__})

    @bp.post("/reset")
    def reset():
        return jsonify(_world().reset(_namespace()))

    @bp.post("/seed")
    def seed():
        return jsonify(_world().seed_world(json_body(optional=True)))

    @bp.get("/state")
    def get_state():
        return jsonify(_world().export_state(_namespace()))

    @bp.put("/state")
    def put_state():
        return jsonify(_world().import_state(json_body()))

    # The clock takes its namespace only from ?namespace= (never from the routing header): moving one
    # namespace's time is always explicit.
    @bp.get("/clock")
    def get_clock():
        return jsonify(_world().clock.to_json(request.args.get("namespace") or None))

    @bp.post("/clock")
    def post_clock():
        namespace = request.args.get("namespace") or None
        try:
            if namespace:
                return jsonify(_world().clock.shift(namespace, json_body()))
            return jsonify(_world().clock.apply(json_body()))
        except BadInput:
            raise
        except ValueError as exc:
            raise BadInput("clock", str(exc)) from None

    @bp.get("/faults")
    def list_faults():
        faults = _world().faults
        return jsonify({"faults": faults.list(_namespace()), "held": faults.held(_namespace())})

    @bp.post("/faults/release")
    def release_faults():
        """Let the requests a late or hold fault keeps go: late ones are processed now, held replies sent."""
        return jsonify({"released": _world().faults.release(_namespace())})

    @bp.post("/faults")
    def add_fault():
        body = json_body()
        rules = body.get("faults") if "faults" in body else [body]
        if not isinstance(rules, list):
            raise BadInput("faults", "expected a list of fault objects")
        added = [r.to_json() for r in _world().faults.add_all(rules)]
        return jsonify({"faults": added} if "faults" in body else added[0]), 201

    @bp.delete("/faults")
    def clear_faults():
        rule_id = request.args.get("id")
        if rule_id is not None and not rule_id.isdigit():
            raise BadInput("id", "must be a fault id (an integer)")
        removed = _world().faults.clear(_namespace(), int(rule_id) if rule_id else None)
        return jsonify({"removed": removed})

    @bp.get("/journal")
    def get_journal():
        since = request.args.get("since", "0")
        if not since.isdigit():
            raise BadInput("since", "must be a journal sequence number")
        world = _world()
        entries = world.journal.entries(_namespace(), request.args.get("correlation"), int(since))
        return jsonify({"app": world.name, "entries": entries, "last": world.journal.last_seq})

    @bp.delete("/journal")
    def clear_journal():
        return jsonify({"removed": _world().journal.clear(_namespace())})

    return bp
