"""The portals' shared stylesheet, served by each app at /static/kasim/portal-base.css, and their shared
template parts (`_pager.html`)."""

from flask import Blueprint


def assets_blueprint() -> Blueprint:
    return Blueprint(
        "kasim_assets",
        __name__,
        static_folder="static",
        static_url_path="/static/kasim",
        template_folder="templates",
    )
