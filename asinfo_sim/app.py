"""create_app(config=None): a fresh ASINFO grower portal; nothing global at import time."""

from __future__ import annotations

from flask import Flask, render_template

from simkit.app import make_app
from simkit.journal import DEFAULT_MAX_BYTES
from simkit.openapi import docs_blueprints

from .api import bp as api_bp
from .api import openapi
from .decisions import KOMET_TIMEOUT_SECONDS
from .domain.world import AsinfoWorld
from .plants import PLANTS
from .worker import Worker

DEFAULTS = {
    "plant": None,
    "seed": 0,
    "state_dir": None,
    "clock": None,
    "world": None,
    "session_factory": None,
    "komet_timeout": KOMET_TIMEOUT_SECONDS,
    "seed_world": None,
    "journal_bytes": DEFAULT_MAX_BYTES,  # the journal's bound (its entry count is bounded too)
    "poll_interval": 0,
    "worker": False,
}


def build_world(config: dict | None = None) -> AsinfoWorld:
    """The state of one simulator; create_app serves it, and a harness may give an existing app a new one."""
    cfg = {**DEFAULTS, **(config or {})}
    if cfg["world"] is not None:
        return cfg["world"]
    world = AsinfoWorld(
        seed=cfg["seed"],
        state_dir=cfg["state_dir"],
        clock=cfg["clock"],
        session_factory=cfg["session_factory"],
        komet_timeout=cfg["komet_timeout"],
    )
    if cfg["plant"] is not None and cfg["plant"] not in PLANTS:
        raise ValueError(f"unknown planted bug {cfg['plant']!r}; asinfo plants: {', '.join(PLANTS)}")
    world.plant = cfg["plant"]
    world.journal.max_bytes = int(cfg["journal_bytes"])
    return world


def create_app(config: dict | None = None) -> Flask:
    cfg = {**DEFAULTS, **(config or {})}
    world = build_world(cfg)
    from .portal import bp as portal_bp

    docs = docs_blueprints(openapi.build, "ASINFO simulator — API")
    app = make_app(__name__, world, [api_bp, portal_bp, *docs], _page_error)
    if cfg["seed_world"] is not None and not world.namespaces():
        app.extensions["kasim.seeded"] = world.apply_seed(cfg["seed_world"])
    if cfg["worker"]:
        app.extensions["kasim.worker"] = Worker(world, cfg["poll_interval"]).start()
    return app


def _page_error(code: int, name: str, description: str):
    return render_template("error.html", code=code, name=name, description=description), code
