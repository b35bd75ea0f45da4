"""Setup › Settings › Tokens: the list, New Token (with the ASINFO preset), Generate, Copy, Save, Delete."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from flask import flash, g, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from simkit.errors import BadInput
from simkit.forms import keep_for, refused, take, take_refused

from ..domain import catalog, tokens
from ..methods import ASINFO_PRESET, DOCUMENTED_TOKEN_TYPES, TOKEN_METHODS
from .base import bp, caller, company_id, error_page, may_manage_tokens, signed_in, world

PRESETS: dict[str, tuple[str, ...]] = {"asinfo": ASINFO_PRESET, "all": TOKEN_METHODS, "none": ()}
EMPTY_FORM = {"type": "Company", "description": "", "vendorId": "", "customerId": "", "methods": []}


def token_role(view: Callable) -> Callable:
    """Only Admin and Setup users generate tokens (docs/komet-api.md §1.9)."""

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if not may_manage_tokens(g.user):
            return error_page(
                403,
                "Forbidden",
                "Only Admin or Setup users can manage API tokens; you are "
                f"signed in as {g.user['username']} ({g.user['role']}).",
            )
        return view(*args, **kwargs)

    return wrapper


def _owners() -> tuple[list[dict], list[dict]]:
    everything = {"includeInactive": True}
    return (
        catalog.list_vendors(world(), caller(), everything),
        catalog.list_customers(world(), caller(), everything),
    )


def _owner_name(token: dict, vendors: list[dict], customers: list[dict]) -> str:
    if token["vendorId"] is not None:
        return next(
            (v["name"] for v in vendors if v["id"] == token["vendorId"]), f"vendor {token['vendorId']}"
        )
    if token["customerId"] is not None:
        return next(
            (c["name"] for c in customers if c["id"] == token["customerId"]),
            f"customer {token['customerId']}",
        )
    return ""


def _id(form: dict, key: str, what: str) -> int | None:
    value = form[key].strip()
    if not value:
        return None
    if not value.isdigit():
        raise BadInput(key, f"choose a {what} from the list")
    return int(value)


def _read_form() -> dict:
    return {
        "type": request.form.get("type", ""),
        "description": request.form.get("description", ""),
        "vendorId": request.form.get("vendorId", ""),
        "customerId": request.form.get("customerId", ""),
        "methods": [m for m in request.form.getlist("methods") if m in TOKEN_METHODS],
    }


def _render_form(form: dict, errors: dict[str, str] | None = None, status: int = 200) -> tuple[str, int]:
    vendors, customers = _owners()
    company_only = [m for m in TOKEN_METHODS if "Vendor" not in DOCUMENTED_TOKEN_TYPES[m]]
    return render_template(
        "token_new.html",
        form=form,
        errors=errors or {},
        vendors=vendors,
        customers=customers,
        methods=TOKEN_METHODS,
        company_only=company_only,
        token_types=tokens.TOKEN_TYPES,
        asinfo_preset=ASINFO_PRESET,
    ), status


@bp.get("/setup/tokens")
@signed_in
@token_role
def token_list() -> str:
    vendors, customers = _owners()
    rows = [
        {**t, "owner": _owner_name(t, vendors, customers)} for t in tokens.list_tokens(world(), company_id())
    ]
    return render_template("tokens.html", tokens=rows, saved=request.args.get("saved", type=int))


@bp.route("/setup/tokens/new", methods=["GET", "POST"])
@signed_in
@token_role
def token_new() -> tuple[str, int] | Response:
    if request.method == "GET":
        kept = take_refused()
        return _render_form(*kept) if kept else _render_form(dict(EMPTY_FORM))
    form = _read_form()
    preset = request.form.get("preset")
    if preset is not None:  # the preset buttons without JavaScript: tick exactly that set, keep the rest
        if preset not in PRESETS:
            return _render_form(form, {"methods": f"unknown preset {preset!r}"}, 400)
        form["methods"] = list(PRESETS[preset])
        return _render_form(form)
    try:
        vendor_id = _id(form, "vendorId", "vendor") if form["type"] == "Vendor" else None
        customer_id = _id(form, "customerId", "customer") if form["type"] == "Customer" else None
        made = tokens.create_token(
            world(), company_id(), form["type"], form["description"], form["methods"], vendor_id, customer_id
        )
    except BadInput as exc:
        message = exc.message
        if exc.field == "methods" and not form["methods"]:
            message = "Tick at least one API method."
        return refused(url_for("komet_portal.token_new"), form, {exc.field or "form": message}, 400)
    vendors, customers = _owners()
    owner = _owner_name(made, vendors, customers)
    if made.get("replaced"):
        flash(
            f"This token replaces the earlier {made['type']} token for {owner} (token #{made['replaced']}"
            f"{', made by the vendor' if made['replacedMadeBy'] == 'vendor' else ''}), "
            "which no longer works: Komet keeps one token per vendor or customer.",
            "warning",
        )
    # Shown once on the page the redirect leads to: a refresh there cannot generate (and replace) it again.
    return keep_for(url_for("komet_portal.token_created"), {"token": made, "owner": owner})


@bp.get("/setup/tokens/created")
@signed_in
@token_role
def token_created() -> str | Response:
    kept = take()
    if not isinstance(kept, dict) or "token" not in kept:
        flash("A token's value is shown once, when it is generated; the token is listed here.", "info")
        return redirect(url_for("komet_portal.token_list"))
    return render_template("token_created.html", token=kept["token"], owner=kept["owner"])


@bp.post("/setup/tokens/<int:token_id>/delete")
@signed_in
@token_role
def token_delete(token_id: int) -> Response:
    try:
        tokens.delete_token(world(), company_id(), token_id)
    except BadInput as exc:
        flash(exc.message, "error")
    else:
        flash(f"Token #{token_id} deleted: it stops working at once.", "success")
    return redirect(url_for("komet_portal.token_list"))
