"""What every grower portal page shares: the blueprint, the world, the grower account acted for, and the
form-error helpers.

Pages call the same domain functions as the JSON API (`asinfo_sim.api`); nothing here writes SQL.
The grower account is the only one there is, or the one chosen with `?account=<id>` (remembered in the
session). No sign-in: ASINFO's own login is out of the simulator's scope.
"""

from __future__ import annotations

import re
from typing import cast
from urllib.parse import urlsplit

from flask import Blueprint, g, render_template, request, session

from simkit.web import NoNamespace, current_namespace, current_world, requested_namespace

from ..domain import accounts
from ..domain.errors import BadInput
from ..domain.world import AsinfoWorld
from ..komet_client import KometRefused, KometUnavailable
from ..messages import explain

bp = Blueprint("asinfo_portal", __name__)

ERROR_NAMES = {
    400: "Bad request",
    404: "Not found",
    409: "Conflict",
    422: "Refused by Komet",
    502: "Komet unavailable",
}
LIST_FIELD = re.compile(r"^lines\[(\d+)\](?:\.(\w+))?$")


def world() -> AsinfoWorld:
    """The ASINFO world serving this request (simkit.web.current_world knows it only as a World)."""
    return cast(AsinfoWorld, current_world())


def account_id() -> int:
    """The grower account of this request (resolved before every page by `choose_account`)."""
    return g.account["accountId"]


def resolve_account() -> dict:
    """The account of this request (simkit.web's precedence, with the one chosen earlier in this session);
    a choice by ?account= is remembered."""
    chosen = current_namespace("account", "grower account", remembered=session.get("account"))
    if requested_namespace():
        session["account"] = chosen
    return accounts.get_account(world(), int(chosen))


@bp.before_request
def choose_account() -> tuple[str, int] | None:
    """Every page acts for one grower account; the journal names it and the page's operation."""
    request.environ["kasim.op"] = "portal." + (request.endpoint or "").rsplit(".", 1)[-1]
    try:
        g.account = resolve_account()
    except NoNamespace as exc:
        return account_chooser(exc)
    return None


def account_chooser(exc: NoNamespace) -> tuple[str, int]:
    farms = [accounts.get_account(world(), int(ns)) for ns in exc.known]
    status = 404 if exc.asked else 200
    return render_template("choose_account.html", farms=farms, asked=exc.asked), status


@bp.app_context_processor
def portal_context() -> dict:
    account = g.get("account")
    farms: list[dict] = []
    if account is not None:
        known = world().namespaces()
        if len(known) > 1:
            farms = [accounts.get_account(world(), int(ns)) for ns in known]
    return {"account": account, "farms": farms}


# --- forms ----------------------------------------------------------------------------------------------
def form_text(name: str) -> str:
    return request.form.get(name, "").strip()


def refusal(exc: BadInput) -> tuple[str, str]:
    """(field, message) of a refused form."""
    return exc.field or "form", exc.message


def list_index(field: str | None) -> tuple[int, str] | None:
    """`lines[2].boxes` → (2, "boxes"): which entry of a list a domain refusal names."""
    match = LIST_FIELD.match(field or "")
    if not match:
        return None
    return int(match.group(1)), match.group(2) or "lineId"


def safe_next(target: str | None, default: str) -> str:
    """Only a path on this site: never redirect to another host after a form."""
    if not target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return default
    return target


def error_page(code: int, name: str, description: str) -> tuple[str, int]:
    return render_template("error.html", code=code, name=name, description=description), code


@bp.errorhandler(BadInput)
def bad_input(exc: BadInput) -> tuple[str, int]:
    """A refusal no form catches (an unknown id in the URL, a bad query parameter): a readable page."""
    code = exc.http_status
    where = f"{exc.field}: " if exc.field and code not in (404, 502) else ""
    return error_page(code, ERROR_NAMES.get(code, "Bad request"), where + exc.message)


@bp.errorhandler(KometRefused)
@bp.errorhandler(KometUnavailable)
def komet_failed(exc: KometRefused | KometUnavailable) -> tuple[str, int]:
    """A Komet failure no domain function turned into a state: said in words, never a traceback."""
    return error_page(502, ERROR_NAMES[502], explain(exc))


# --- template helpers -----------------------------------------------------------------------------------
@bp.app_template_filter("when")
def when(stamp: str | None) -> str:
    """2026-11-26T06:00:00 → 2026-11-26 06:00."""
    if not stamp:
        return "—"
    return stamp.replace("T", " ")[:16]


# A line's confirmation state, as a count of lines says it ("3 not confirmed", never "3 none").
CONFIRMATION_WORDS = {
    "none": "not confirmed",
    "pending": "waiting for Komet",
    "sent": "sent, Komet's answer unknown",
    "accepted": "accepted by Komet",
    "refused": "refused by Komet",
}


@bp.app_template_filter("confirmations")
def confirmation_summary(counts: dict | None) -> str:
    """{"accepted": 2, "none": 1} → "2 accepted by Komet · 1 not confirmed"; zeros left out."""
    parts = [f"{n} {CONFIRMATION_WORDS.get(name, name)}" for name, n in (counts or {}).items() if n]
    return " · ".join(parts) or "no open line"


@bp.app_template_filter("sync_counts")
def sync_counts(counts: dict | None) -> str:
    words = {
        "newOrders": "new PO",
        "newLines": "new line",
        "changed": "changed",
        "cancelled": "cancelled",
        "split": "split",
        "missing": "missing",
    }
    parts = []
    for key, word in words.items():
        n = (counts or {}).get(key, 0)
        if n:
            plural = "s" if n != 1 and word.startswith("new") else ""
            parts.append(f"{n} {word}{plural}")
    return ", ".join(parts) or "no changes"
