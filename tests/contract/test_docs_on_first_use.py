"""/docs loads Swagger UI (flask-swagger-ui) when it is first asked for, not when an app is made: making an app
never imports it, and the page and its assets are then served as the library serves them."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.harness.test_cli_commands import ROOT

FIRST_USE = """
import sys
import asinfo_sim, komet_sim
clients = {"komet": komet_sim.create_app({"seed": 3}).test_client(),
           "asinfo": asinfo_sim.create_app({"seed": 3}).test_client()}
print("made", "flask_swagger_ui" in sys.modules)
client = clients[sys.argv[1]]
page = client.get("/docs/")
print("page", page.status_code, "SwaggerUIBundle" in page.get_data(as_text=True))
print("asked", "flask_swagger_ui" in sys.modules)
"""


@pytest.mark.parametrize("app", ["komet", "asinfo"])
def test_swagger_ui_is_imported_when_docs_is_first_asked_for(app):
    out = subprocess.run(
        [sys.executable, "-c", FIRST_USE, app], cwd=ROOT, env=dict(os.environ), capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines() == ["made False", "page 200 True", "asked True"]


@pytest.fixture(scope="module")
def client():
    import komet_sim

    return komet_sim.create_app({"seed": 3}).test_client()


def test_docs_answers_as_before_the_library_was_loaded_on_use(client):
    assert (
        client.get("/docs").status_code == 308
    )  # to /docs/, as Flask answers a folder's URL without its slash
    page = client.get("/docs/")
    assert page.headers["Content-Type"].startswith("text/html")
    assert (
        page.headers["X-Frame-Options"] == "SAMEORIGIN"
    )  # the app's own rules still apply to what it hands on
    asset = client.get("/docs/swagger-ui-bundle.js")
    assert asset.status_code == 200 and b"SwaggerUIBundle" in asset.data
    again = client.get("/docs/swagger-ui-bundle.js", headers={"If-None-Match": asset.headers["ETag"]})
    assert again.status_code == 304


def test_an_asset_swagger_ui_does_not_have_is_this_apps_not_found_page(client):
    reply = client.get("/docs/no-such-asset.js")
    assert reply.status_code == 404
    assert "Komet Sales (simulator)" in reply.get_data(as_text=True)  # the portal's page, not Werkzeug's


def test_the_portals_link_to_the_docs_by_swagger_uis_endpoint(client):
    from flask import url_for

    with client.application.test_request_context():  # base.html: url_for('swagger_ui.show')
        assert url_for("swagger_ui.show") == "/docs/"
