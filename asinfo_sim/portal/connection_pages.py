"""Connections (A1): the importers this farm sells to, each with its Komet URL, Vendor token and company ID;
create, edit, delete, Test connection and Sync now."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from simkit.forms import refused, take_refused
from simkit.params import parse, snake

from ..domain import connections, sync
from ..domain.errors import BadInput
from .base import account_id, bp, form_text, refusal, sync_counts, world

FORM_FIELDS = ("name", "kometUrl", "token", "companyId", "customerId", "syncDays")
EMPTY_FORM = {"name": "", "kometUrl": "", "token": "", "companyId": "", "customerId": "", "syncDays": "7"}


def sync_message(entry: dict, name: str) -> tuple[str, str]:
    """(text, category) of one sync, for a flash."""
    if entry["result"] == "error":
        return f"Sync of {name} failed: {entry['error']}", "error"
    dates = entry["shipDates"]
    span = f"{dates[0]} to {dates[-1]}" if len(dates) > 1 else dates[0] if dates else "no dates"
    return f"Synced {name} (ship dates {span}): {sync_counts(entry['counts'])}.", "success"


def _names() -> dict[int, str]:
    return {c["id"]: c["name"] for c in connections.list_connections(world(), account_id())}


def _read_form() -> dict:
    return {key: form_text(key) for key in FORM_FIELDS}


def _values(form: dict, editing: bool) -> dict:
    """The form checked by the same spec as the API; an empty token on edit keeps the old one."""
    body = dict(form)
    if editing and not form["token"]:
        del body["token"]
    return snake(parse(connections.CONNECTION, body, partial=editing))


def _render_form(
    form: dict, connection: dict | None = None, errors: dict | None = None, status: int = 200
) -> tuple[str, int]:
    return render_template(
        "connection_form.html", form=form, connection=connection, errors=errors or {}
    ), status


@bp.get("/connections")
def connection_list() -> str:
    return render_template(
        "connections.html", connections=connections.list_connections(world(), account_id())
    )


@bp.route("/connections/new", methods=["GET", "POST"])
def connection_new() -> tuple[str, int] | Response:
    if request.method == "GET":
        kept = take_refused()
        if kept:
            form, errors, status = kept
            return _render_form(form, errors=errors, status=status)
        return _render_form(dict(EMPTY_FORM))
    form = _read_form()
    try:
        made = connections.create_connection(world(), account_id(), **_values(form, editing=False))
    except BadInput as exc:
        field, message = refusal(exc)
        return refused(url_for("asinfo_portal.connection_new"), form, {field: message}, exc.http_status)
    flash(f"Connection to {made['name']} saved. Test it, then sync to see its purchase orders.", "success")
    return redirect(url_for("asinfo_portal.connection_list", _anchor=f"connection-{made['id']}"))


@bp.route("/connections/<int:cid>/edit", methods=["GET", "POST"])
def connection_edit(cid: int) -> tuple[str, int] | Response:
    connection = connections.get_connection(world(), account_id(), cid)
    if request.method == "GET":
        kept = take_refused()
        if kept:
            form, errors, status = kept
            return _render_form(form, connection, errors, status)
        form = {
            "name": connection["name"],
            "kometUrl": connection["kometUrl"],
            "token": "",
            "companyId": str(connection["companyId"]),
            "customerId": connection["customerId"] or "",
            "syncDays": str(connection["syncDays"]),
        }
        return _render_form(form, connection)
    form = _read_form()
    try:
        saved = connections.update_connection(world(), account_id(), cid, **_values(form, editing=True))
    except BadInput as exc:
        field, message = refusal(exc)
        return refused(
            url_for("asinfo_portal.connection_edit", cid=cid), form, {field: message}, exc.http_status
        )
    flash(f"Connection to {saved['name']} saved.", "success")
    return redirect(url_for("asinfo_portal.connection_list", _anchor=f"connection-{cid}"))


@bp.post("/connections/<int:cid>/delete")
def connection_delete(cid: int) -> Response:
    name = _names().get(cid, f"connection {cid}")
    try:
        connections.delete_connection(world(), account_id(), cid)
    except BadInput as exc:
        flash(f"{name} was not deleted: {exc.message}", "error")
    else:
        flash(f"Connection to {name} deleted, with its purchase orders, AWBs and sync log.", "success")
    return redirect(url_for("asinfo_portal.connection_list"))


@bp.post("/connections/<int:cid>/test")
def connection_test(cid: int) -> Response:
    result = connections.test_connection(world(), account_id(), cid)
    flash(f"{result['connection']['name']}: {result['message']}", "success" if result["ok"] else "error")
    return redirect(url_for("asinfo_portal.connection_list", _anchor=f"connection-{cid}"))


@bp.post("/connections/<int:cid>/sync")
def connection_sync(cid: int) -> Response:
    names = _names()
    entry = sync.sync_connection(world(), account_id(), cid)
    text, category = sync_message(entry, names.get(cid, f"connection {cid}"))
    flash(text, category)
    return redirect(url_for("asinfo_portal.connection_list", _anchor=f"connection-{cid}"))
