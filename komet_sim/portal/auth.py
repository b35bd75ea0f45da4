"""Sign-in, sign-out and My Profile."""

from __future__ import annotations

from flask import current_app, flash, g, redirect, render_template, request, session, url_for
from werkzeug.wrappers import Response

from ..domain import companies, tokens
from .base import bp, company_id, safe_next, signed_in, world


def demo_users() -> list[dict]:
    """The seeded users still signed-in-able, shown on the sign-in page as a hint (it's a simulator).

    The domain has no user list yet, so this reads what the app's start-up seed made and keeps those
    whose seeded password still works (a reset or a reseed drops them)."""
    seeded = current_app.extensions.get("kasim.seeded") or {}
    found = []
    for user in seeded.get("users", []):
        row = tokens.check_user(world(), user["username"], user["password"])
        if row is not None:
            found.append({"username": row["username"], "role": row["role"], "password": user["password"]})
    return found


@bp.get("/")
def home() -> Response:
    if session.get("user"):
        return redirect(url_for("komet_portal.purchase_orders"))
    return redirect(url_for("komet_portal.login"))


@bp.route("/login", methods=["GET", "POST"])
def login() -> str | Response | tuple[str, int]:
    next_url = safe_next(request.values.get("next"), url_for("komet_portal.purchase_orders"))
    if request.method == "GET":
        if session.get("user"):
            return redirect(next_url)
        return render_template("login.html", username="", error=None, next=next_url, demo_users=demo_users())
    username = request.form.get("username", "").strip()
    password = request.form.get("password", "")
    row = tokens.check_user(world(), username, password) if username and password else None
    if row is None:
        error = "Enter your username and password." if not (username and password) \
            else "Wrong username or password."
        return render_template("login.html", username=username, error=error, next=next_url,
                               demo_users=demo_users()), 401
    session.clear()
    session["user"] = {"id": row["id"], "username": row["username"], "name": row["name"], "role": row["role"],
                       "companyId": row["company_id"]}
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
