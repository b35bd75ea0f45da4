"""Portal pages: placeholder until the pages land."""

from flask import Blueprint, redirect

bp = Blueprint("asinfo_portal", __name__)


@bp.get("/")
def home():
    return redirect("/__sim/health")
