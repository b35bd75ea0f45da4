"""create_app(config=None): a fresh ASINFO grower portal; nothing global at import time."""

from __future__ import annotations

import hashlib
import logging

from flask import Flask, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from simkit.assets import assets_blueprint
from simkit.control import control_blueprint
from simkit.middleware import SimMiddleware

from .api.routes import bp as api_bp
from .decisions import KOMET_TIMEOUT_SECONDS
from .domain.world import AsinfoWorld
from .worker import Worker

log = logging.getLogger("kasim.asinfo")
PLANTS = ("skip-reconcile",)
DEFAULTS = {"plant": None, "seed": 0, "state_dir": None, "clock": None, "world": None, "session_factory": None,
            "komet_timeout": KOMET_TIMEOUT_SECONDS, "seed_world": None, "poll_interval": 0, "worker": False}


def build_world(config: dict | None = None) -> AsinfoWorld:
    """The state of one simulator; create_app serves it, and a harness may give an existing app a new one."""
    cfg = {**DEFAULTS, **(config or {})}
    if cfg["world"] is not None:
        return cfg["world"]
    world = AsinfoWorld(seed=cfg["seed"], state_dir=cfg["state_dir"], clock=cfg["clock"],
                                  session_factory=cfg["session_factory"], komet_timeout=cfg["komet_timeout"])
    if cfg["plant"] is not None and cfg["plant"] not in PLANTS:
        raise ValueError(f"unknown planted bug {cfg['plant']!r}; asinfo plants: {', '.join(PLANTS)}")
    world.plant = cfg["plant"]
    return world


def create_app(config: dict | None = None) -> Flask:
    cfg = {**DEFAULTS, **(config or {})}
    world = build_world(cfg)
    app = Flask(__name__)
    app.config["SECRET_KEY"] = hashlib.sha256(f"asinfo-{world.seed}-{id(world)}".encode()).hexdigest()
    # Both simulators usually share 127.0.0.1 and browsers share cookies across ports: distinct names.
    app.config["SESSION_COOKIE_NAME"] = "asinfo_session"
    app.extensions["kasim.world"] = world
    app.register_blueprint(api_bp)
    app.register_blueprint(control_blueprint())
    app.register_blueprint(assets_blueprint())
    from .portal import bp as portal_bp
    app.register_blueprint(portal_bp)
    _error_pages(app)
    app.wsgi_app = SimMiddleware(app.wsgi_app, world)
    if cfg["seed_world"] is not None and not world.namespaces():
        app.extensions["kasim.seeded"] = world.seed_world(cfg["seed_world"])
    if cfg["worker"]:
        app.extensions["kasim.worker"] = Worker(world, cfg["poll_interval"]).start()
    return app


def _error_pages(app: Flask) -> None:
    """No request ever gets a traceback: the API answers JSON naming the problem, pages answer HTML."""

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        return _answer(exc.code or 500, exc.name, exc.description or "")

    @app.errorhandler(Exception)
    def unexpected(exc: Exception):
        log.exception("unexpected error on %s %s", request.method, request.path)
        return _answer(500, "Internal error", "The simulator hit an unexpected error; it has been logged.")


def _answer(code: int, name: str, description: str):
    if request.path.startswith(("/api", "/__sim")):
        return jsonify({"error": {"code": name.lower().replace(" ", "_"), "message": description, "field": None}}), code
    return render_template("error.html", code=code, name=name, description=description), code
