"""Sign-in, sign-out and My Profile."""

from __future__ import annotations

from flask import flash, g, redirect, render_template, request, session, url_for
from werkzeug.wrappers import Response

from ..domain import companies, tokens
from .base import bp, company_id, safe_next, signed_in, world


def demo_users() -> list[dict]:
    """Who can sign in, shown on the sign-in page as a hint (it's a simulator; seeded passwords are komet123)."""
    from ..seeding import PASSWORD

    return [{**u, "password": PASSWORD} for u in companies.list_users(world())][:8]


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
        error = (
            "Enter your username and password."
            if not (username and password)
            else "Wrong username or password."
        )
        return render_template(
            "login.html", username=username, error=error, next=next_url, demo_users=demo_users()
        ), 401
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
