"""The vendor's side of the portal (K24): who is signed in, which importer it works for, and the decorator
every vendor page wears. A vendor acts as a Vendor caller of its vendor at the chosen importer, so its pages
see exactly what a Vendor token of that vendor would."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from flask import flash, g, redirect, request, session, url_for

from simkit.context import act_for

from ..domain import vendor_users
from .base import error_page, world


def vendor_signed_in(view: Callable) -> Callable:
    """A vendor page: a vendor login in the session, linked to the importer chosen (asked for when there are
    several; chosen for it when there is one)."""

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        vendor = session.get("vendor")
        if not vendor and session.get("user"):
            return error_page(
                403,
                "Forbidden",
                f"This page is a vendor's; you are signed in as the importer's user {session['user']['username']}.",
            )
        if not vendor:
            back = request.full_path.rstrip("?") if request.method == "GET" else None
            return redirect(url_for("komet_portal.login", next=back))
        links = vendor_users.links(world(), vendor["username"])
        if not links:
            session.clear()
            flash(
                "No importer links your vendor login any more (it was reset or reseeded): sign in again.",
                "error",
            )
            return redirect(url_for("komet_portal.login"))
        chosen = next((link for link in links if link["companyId"] == session.get("importer")), None)
        if chosen is None and len(links) == 1:
            chosen = links[0]
            session["importer"] = chosen["companyId"]
        if chosen is None:
            back = request.full_path.rstrip("?") if request.method == "GET" else None
            return redirect(url_for("komet_portal.vendor_importers", next=back))
        g.vendor, g.links, g.importer = vendor, links, chosen
        g.caller = vendor_users.vendor_caller(world(), vendor["username"], chosen["companyId"])
        act_for(request.environ, chosen["companyId"])
        return view(*args, **kwargs)

    return wrapper
