"""create_app(config=None): a fresh Komet simulator; nothing global at import time."""

from __future__ import annotations

from flask import Flask, render_template

from simkit.app import make_app
from simkit.journal import DEFAULT_MAX_BYTES
from simkit.openapi import docs_blueprints

from . import importer_actions, vendor_actions
from .api import openapi
from .api.routes import Api, http_error
from .domain.world import KometWorld
from .plants import PLANTS

DEFAULTS = {
    "seed": 0,
    "state_dir": None,
    "profile": "documented",
    "quota_per_user": 1000,
    "clock": None,
    "plant": None,
    "world": None,
    "seed_world": None,
    "journal_bytes": DEFAULT_MAX_BYTES,  # the journal's bound (its entry count is bounded too)
}


def build_world(config: dict | None = None) -> KometWorld:
    """The state of one simulator; create_app serves it, and a harness may give an existing app a new one."""
    cfg = {**DEFAULTS, **(config or {})}
    if cfg["world"] is not None:
        return cfg["world"]
    world = KometWorld(
        seed=cfg["seed"],
        state_dir=cfg["state_dir"],
        clock=cfg["clock"],
        profile=cfg["profile"],
        quota_per_user=cfg["quota_per_user"],
    )
    if cfg["plant"] is not None and cfg["plant"] not in PLANTS:
        raise ValueError(f"unknown planted bug {cfg['plant']!r}; komet plants: {', '.join(PLANTS)}")
    world.plant = cfg["plant"]
    world.journal.max_bytes = int(cfg["journal_bytes"])
    return world


def create_app(config: dict | None = None) -> Flask:
    cfg = {**DEFAULTS, **(config or {})}
    world = build_world(cfg)
    from .portal import bp as portal_bp
    from .verdict.route import bp as verdict_bp

    docs = docs_blueprints(openapi.build, "Komet simulator — API")
    app = make_app(
        __name__,
        world,
        [importer_actions.bp, vendor_actions.bp, verdict_bp, portal_bp, *docs],
        _page_error,
        lambda code, name: http_error(code, name).response(),
        front=Api,
    )
    if cfg["seed_world"] is not None and not world.namespaces():
        app.extensions["kasim.seeded"] = world.apply_seed(cfg["seed_world"])
    return app


def _page_error(code: int, name: str, description: str):
    return render_template("error.html", code=code, name=name, description=description), code
