"""Sign-in, sign-out and My Profile."""

from __future__ import annotations

from flask import flash, g, redirect, render_template, request, session, url_for
from werkzeug.wrappers import Response

from simkit.forms import refused, take_refused

from ..domain import companies, tokens, vendor_users
from .base import bp, company_id, safe_next, signed_in, world

DEMO_IMPORTER_USERS, DEMO_VENDOR_USERS = 5, 4


def demo_users() -> list[dict]:
    """Who can sign in, shown on the sign-in page as a hint (it's a simulator; seeded passwords are komet123):
    the importers' users, then a few vendor logins (K24), the ones linked to several importers first."""
    from ..seeding import PASSWORD

    importers = companies.list_users(world())[:DEMO_IMPORTER_USERS]
    logins: dict[str, int] = {}
    for v in vendor_users.list_vendor_users(world()):
        logins[v["username"]] = logins.get(v["username"], 0) + 1
    vendors = sorted(logins, key=lambda name: -logins[name])[:DEMO_VENDOR_USERS]
    return [{**u, "password": PASSWORD} for u in importers] + [
        {
            "username": name,
            "role": f"Vendor ({logins[name]} importer{'s' if logins[name] > 1 else ''})",
            "password": PASSWORD,
        }
        for name in vendors
    ]


@bp.get("/")
def home() -> Response:
    if session.get("user"):
        return redirect(url_for("komet_portal.purchase_orders"))
    if session.get("vendor"):
        return redirect(url_for("komet_portal.vendor_home"))
    return redirect(url_for("komet_portal.login"))


@bp.route("/login", methods=["GET", "POST"])
def login() -> str | Response | tuple[str, int]:
    next_url = safe_next(request.values.get("next"), url_for("komet_portal.purchase_orders"))
    if request.method == "GET":
        if session.get("user"):
            return redirect(next_url)
        if session.get("vendor"):
            return redirect(url_for("komet_portal.vendor_home"))
        kept = take_refused()  # a refused sign-in, after its redirect: the username typed and why
        username, errors, status = kept or ("", {}, 200)
        return render_template(
            "login.html", username=username, error=errors.get("form"), next=next_url, demo_users=demo_users()
        ), status
    username = request.form.get("username", "").strip()
    password = request.form.get("password", "")
    row = tokens.check_user(world(), username, password) if username and password else None
    vendor = vendor_users.sign_in(world(), username, password) if username and password and not row else None
    if vendor is not None:  # a vendor's login: the vendor portal (K24), never the importer's pages
        session.clear()
        session["vendor"] = vendor
        wanted = request.values.get("next") or ""
        return redirect(
            safe_next(wanted if wanted.startswith("/vendor") else None, url_for("komet_portal.vendor_home"))
        )
    if row is None:
        error = (
            "Enter your username and password."
            if not (username and password)
            else "Wrong username or password."
        )
        # Redirected (the password is never kept): a refresh shows the page, it does not post it again.
        return refused(
            url_for("komet_portal.login", next=request.values.get("next") or None),
            username,
            {"form": error},
            401,
        )
    session.clear()
    session["user"] = {
        "id": row["id"],
        "username": row["username"],
        "name": row["name"],
        "role": row["role"],
        "companyId": row["company_id"],
    }
    return redirect(next_url)


@bp.route("/logout", methods=["GET", "POST"])
def logout() -> Response:
    session.clear()
    flash("You have signed out.", "info")
    return redirect(url_for("komet_portal.login"))


@bp.get("/profile")
@signed_in
def profile() -> str:
    company = companies.get_company(world(), company_id())
    return render_template("profile.html", user=g.user, company=company)
