"""The vendor's own tokens (K25): the list at the importer it works for, New Token (ASINFO preset), Generate,
Copy, Send to the importer, Revoke."""

from __future__ import annotations

from flask import flash, g, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from simkit.errors import BadInput
from simkit.forms import keep_for, refused, take, take_refused

from ..decisions import VENDOR_MADE_METHODS
from ..domain import vendor_tokens
from ..methods import ASINFO_PRESET
from .base import bp, world
from .vendor_base import vendor_signed_in

PRESETS: dict[str, tuple[str, ...]] = {"asinfo": ASINFO_PRESET, "all": VENDOR_MADE_METHODS, "none": ()}


def _render_form(form: dict, errors: dict[str, str] | None = None, status: int = 200) -> tuple[str, int]:
    return render_template(
        "vendor_token_new.html",
        form=form,
        errors=errors or {},
        methods=VENDOR_MADE_METHODS,
        asinfo_preset=ASINFO_PRESET,
    ), status


@bp.get("/vendor/tokens")
@vendor_signed_in
def vendor_token_list() -> str:
    return render_template(
        "vendor_tokens.html",
        tokens=vendor_tokens.list_mine(world(), g.caller),
        made=request.args.get("made", type=int),
    )


@bp.route("/vendor/tokens/new", methods=["GET", "POST"])
@vendor_signed_in
def vendor_token_new() -> tuple[str, int] | Response:
    if request.method == "GET":
        kept = take_refused()
        if kept:
            return _render_form(*kept)
        return _render_form({"description": f"ASINFO — {g.importer['companyName']}", "methods": []})
    form: dict = {
        "description": request.form.get("description", ""),
        "methods": [m for m in request.form.getlist("methods") if m in VENDOR_MADE_METHODS],
    }
    preset = request.form.get("preset")
    if preset is not None:  # the preset buttons without JavaScript: tick exactly that set
        if preset not in PRESETS:
            return _render_form(form, {"methods": f"unknown preset {preset!r}"}, 400)
        form["methods"] = list(PRESETS[preset])
        return _render_form(form)
    try:
        made = vendor_tokens.create(world(), g.caller, form["description"], form["methods"])
    except BadInput as exc:
        message = exc.message
        if exc.field == "methods" and not form["methods"]:
            message = "Tick at least one API method."
        return refused(url_for("komet_portal.vendor_token_new"), form, {exc.field or "form": message}, 400)
    if made["replaced"]:
        flash(
            f"This token replaces token #{made['replaced']}, made by the {made['replacedMadeBy']}, which no longer "
            "works: Komet keeps one token per vendor.",
            "warning",
        )
    # Shown once on the page the redirect leads to: a refresh there cannot generate (and replace) it again.
    return keep_for(url_for("komet_portal.vendor_token_created"), {"token": made})


@bp.get("/vendor/tokens/created")
@vendor_signed_in
def vendor_token_created() -> str | Response:
    kept = take()
    if not isinstance(kept, dict) or "token" not in kept:
        flash("A token's value is shown once, when it is generated; the token is listed here.", "info")
        return redirect(url_for("komet_portal.vendor_token_list"))
    return render_template("vendor_token_created.html", token=kept["token"])


@bp.post("/vendor/tokens/<int:token_id>/send")
@vendor_signed_in
def vendor_token_send(token_id: int) -> Response:
    try:
        vendor_tokens.send(world(), g.caller, token_id)
    except BadInput as exc:
        flash(exc.message, "error")
    else:
        flash(f"Token #{token_id} sent to {g.importer['companyName']}.", "success")
    return redirect(url_for("komet_portal.vendor_token_list", made=token_id))


@bp.post("/vendor/tokens/<int:token_id>/revoke")
@vendor_signed_in
def vendor_token_revoke(token_id: int) -> Response:
    try:
        vendor_tokens.revoke(world(), g.caller, token_id)
    except BadInput as exc:
        flash(exc.message, "error")
    else:
        flash(f"Token #{token_id} revoked: it stops working at once.", "success")
    return redirect(url_for("komet_portal.vendor_token_list"))
