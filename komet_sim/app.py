"""create_app(config=None): a fresh Komet simulator; nothing global at import time."""

from __future__ import annotations

import hashlib
import json
import logging

from flask import Flask, Response, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from simkit.assets import assets_blueprint
from simkit.control import control_blueprint
from simkit.middleware import SimMiddleware

from . import control, wire
from .api.routes import bp as api_bp
from .domain.world import KometWorld
from .messages import text

log = logging.getLogger("kasim.komet")
PLANTS = ("confirm-adds",)
DEFAULTS = {"seed": 0, "state_dir": None, "profile": "documented", "quota_per_user": 1000, "clock": None, "plant": None,
            "world": None, "seed_world": None}


def build_world(config: dict | None = None) -> KometWorld:
    """The state of one simulator; create_app serves it, and a harness may give an existing app a new one."""
    cfg = {**DEFAULTS, **(config or {})}
    if cfg["world"] is not None:
        return cfg["world"]
    world = KometWorld(seed=cfg["seed"], state_dir=cfg["state_dir"], clock=cfg["clock"],
                                  profile=cfg["profile"], quota_per_user=cfg["quota_per_user"])
    if cfg["plant"] is not None and cfg["plant"] not in PLANTS:
        raise ValueError(f"unknown planted bug {cfg['plant']!r}; komet plants: {', '.join(PLANTS)}")
    world.plant = cfg["plant"]
    return world


def create_app(config: dict | None = None) -> Flask:
    cfg = {**DEFAULTS, **(config or {})}
    world = build_world(cfg)
    app = Flask(__name__)
    app.config["SECRET_KEY"] = hashlib.sha256(f"komet-{world.seed}-{id(world)}".encode()).hexdigest()
    app.extensions["kasim.world"] = world
    app.register_blueprint(api_bp)
    app.register_blueprint(control_blueprint())
    app.register_blueprint(assets_blueprint())
    app.register_blueprint(control.bp)
    from .portal import bp as portal_bp
    app.register_blueprint(portal_bp)
    _error_pages(app)
    app.wsgi_app = SimMiddleware(app.wsgi_app, world)
    if cfg["seed_world"] is not None and not world.namespaces():
        app.extensions["kasim.seeded"] = world.seed_world(cfg["seed_world"])
    return app


def _error_pages(app: Flask) -> None:
    """No request ever gets a traceback: the API answers its envelope, the control plane JSON, pages HTML."""

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        return _answer(exc.code or 500, exc.name, exc.description or "")

    @app.errorhandler(Exception)
    def unexpected(exc: Exception):
        log.exception("unexpected error on %s %s", request.method, request.path)
        return _answer(500, "Internal error", "The simulator hit an unexpected error; it has been logged.")


def _answer(code: int, name: str, description: str):
    path = request.path
    if path.startswith("/api"):
        message = text("method_not_found") if code == 404 else f"{name}."
        return Response(json.dumps(wire.failure(message)), status=code, mimetype="application/json")
    if path.startswith("/__sim"):
        return jsonify({"error": {"code": name.lower().replace(" ", "_"), "message": description, "field": None}}), code
    return render_template("error.html", code=code, name=name, description=description), code
