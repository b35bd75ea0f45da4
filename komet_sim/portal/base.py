"""What every portal page shares: the blueprint, the signed-in user, the world, and form-error helpers.

Pages call the same domain functions as the JSON routes in `komet_sim.importer_actions`; nothing here writes SQL.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, cast
from urllib.parse import urlsplit

from flask import Blueprint, flash, g, redirect, render_template, request, session, url_for

from simkit.context import act_for
from simkit.errors import BadInput, http_status
from simkit.web import current_world

from ..domain import errors, orders
from ..domain.tokens import Caller
from ..domain.world import KometWorld

bp = Blueprint("komet_portal", __name__)


# Roles that may manage API tokens (docs/komet-api.md §1.9: "Admin, Setup (token generation)").
TOKEN_ROLES = ("Admin", "Setup")
ERROR_NAMES = {400: "Bad request", 404: "Not found", 409: "Refused"}


def world() -> KometWorld:
    """The Komet world serving this request (simkit.web.current_world knows it only as a World)."""
    return cast(KometWorld, current_world())


def caller() -> Caller:
    """The signed-in importer acting in its own portal (a Company caller), loaded by `signed_in`."""
    return g.caller


def company_id() -> int:
    return g.caller.company_id


def signed_in(view: Callable) -> Callable:
    """Every page but sign-in: no user in the session → /login (back here afterwards)."""

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        user = session.get("user")
        if not user and session.get("vendor"):  # a vendor's login never reaches the importer's pages (K24)
            return error_page(
                403,
                "Forbidden",
                f"This page is the importer's; you are signed in as the vendor {session['vendor']['username']}.",
            )
        if not user:  # back here after sign-in (a form post cannot be replayed: back to the start page)
            back = request.full_path.rstrip("?") if request.method == "GET" else None
            return redirect(url_for("komet_portal.login", next=back))
        try:
            g.caller = orders.importer(world(), int(user["companyId"]))
        except BadInput:
            session.clear()
            flash(
                "Your company no longer exists in the simulator (it was reset or reseeded): sign in again.",
                "error",
            )
            return redirect(url_for("komet_portal.login"))
        g.user = user
        act_for(request.environ, g.caller.company_id)
        return view(*args, **kwargs)

    return wrapper


def may_manage_tokens(user: dict | None) -> bool:
    return user is not None and user.get("role") in TOKEN_ROLES


def safe_next(target: str | None, default: str) -> str:
    """Only a path on this site: never redirect to another host after a form."""
    if not target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return default
    return target


def refusal(exc: BadInput | errors.KometError) -> tuple[str, str]:
    """(field, message) of a refused form: BadInput and KometError both carry `.field` and `.message`."""
    return exc.field or "form", exc.message


def error_page(code: int, name: str, description: str) -> tuple[str, int]:
    return render_template("error.html", code=code, name=name, description=description), code


@bp.app_template_filter("money")
def money(value: float | None) -> str:
    return f"${(value or 0):,.2f}"


@bp.app_template_filter("masked")
def masked(token: str) -> str:
    """A token in a list: its first and last four characters only."""
    return f"{token[:4]}{'•' * 8}{token[-4:]}" if len(token) > 8 else "•" * 8


@bp.app_context_processor
def portal_context() -> dict:
    return {
        "current_user": session.get("user"),
        "current_vendor": session.get("vendor"),
        "may_manage_tokens": may_manage_tokens(session.get("user")),
    }


@bp.errorhandler(BadInput)
@bp.errorhandler(errors.KometError)
def refused(exc: BadInput | errors.KometError) -> tuple[str, int]:
    """A refusal no form catches: the same status the JSON routes give it (simkit.errors.HTTP_STATUS)."""
    code = http_status(exc.code)
    where = f"{exc.field}: " if exc.field and code != 404 else ""
    return error_page(code, ERROR_NAMES[code], where + exc.message)
