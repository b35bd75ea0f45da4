"""What every grower portal page shares: the blueprint, the world, the grower account acted for, and the
form-error helpers.

Pages call the same domain functions as the JSON API (`asinfo_sim.api`); nothing here writes SQL.
The grower account is the only one there is, or the one chosen with `?account=<id>` (remembered in the
session). No sign-in: ASINFO's own login is out of the simulator's scope.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from flask import Blueprint, current_app, g, render_template, request, session

from simkit.context import act_for

from ..domain import accounts
from ..domain.errors import HTTP_STATUS, BadInput
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


def world() -> Any:
    return current_app.extensions["kasim.world"]


def account_id() -> int:
    """The grower account of this request (resolved before every page by `choose_account`)."""
    return g.account["accountId"]


class ChooseAccount(Exception):
    """No account can be picked on our own: none exists yet, or several do and none was chosen."""

    def __init__(self, known: list[str], asked: str | None = None):
        super().__init__("choose a grower account")
        self.known = known
        self.asked = asked


def resolve_account() -> dict:
    known = world().namespaces()
    asked = request.args.get("account")
    if asked:
        if asked not in known:
            raise ChooseAccount(known, asked)
        session["account"] = asked
        chosen = asked
    elif session.get("account") in known:
        chosen = session["account"]
    elif len(known) == 1:
        chosen = known[0]
    else:
        raise ChooseAccount(known)
    return accounts.get_account(world(), int(chosen))


@bp.before_request
def choose_account() -> tuple[str, int] | None:
    """Every page acts for one grower account; the journal names it and the page's operation."""
    request.environ["kasim.op"] = "portal." + (request.endpoint or "").rsplit(".", 1)[-1]
    try:
        g.account = resolve_account()
    except ChooseAccount as exc:
        return account_chooser(exc)
    act_for(request.environ, g.account["accountId"])
    return None


def account_chooser(exc: ChooseAccount) -> tuple[str, int]:
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


def status_of(exc: BadInput) -> int:
    return HTTP_STATUS.get(exc.code, 400)


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
    code = status_of(exc)
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


@bp.app_template_filter("summary")
def summary(counts: dict | None) -> str:
    """{"accepted": 2, "none": 1} → "2 accepted · 1 none"; zeros left out."""
    parts = [f"{n} {name}" for name, n in (counts or {}).items() if n]
    return " · ".join(parts) or "—"


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
