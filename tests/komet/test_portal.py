"""The importer's portal pages, through the Flask test client: one test per rule and per refusal."""

from __future__ import annotations

import re

import pytest

from komet_sim.domain import tokens
from komet_sim.methods import ASINFO_PRESET, TOKEN_METHODS

from ..testkit import PASSWORD, field_error, html, see_other
from .importer_portal_kit import checked_methods, sign_in

# --- sign-in -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/purchase-orders",
        "/in-transit",
        "/setup/tokens",
        "/setup/tokens/new",
        "/profile",
        "/purchase-orders/new",
    ],
)
def test_signed_out_pages_redirect_to_login(komet_app, path):
    reply = komet_app.test_client().get(path)
    assert reply.status_code == 302
    assert reply.headers["Location"].startswith("/login?next=" + path)


def test_sign_in_returns_to_the_page_asked_for(komet_app, seeded):
    client = komet_app.test_client()
    user = seeded["users"][0]["username"]
    reply = client.post("/login", data={"username": user, "password": PASSWORD, "next": "/profile"})
    assert reply.headers["Location"] == "/profile"


def test_sign_in_never_redirects_off_site(komet_app, seeded):
    client = komet_app.test_client()
    user = seeded["users"][0]["username"]
    reply = client.post("/login", data={"username": user, "password": PASSWORD, "next": "//evil.example/x"})
    assert reply.headers["Location"] == "/purchase-orders"


def test_bad_password_is_refused(komet_app, seeded):
    client = komet_app.test_client()
    reply = see_other(
        client, client.post("/login", data={"username": seeded["users"][0]["username"], "password": "wrong"})
    )
    assert reply.status_code == 401
    assert "Wrong username or password" in html(reply)
    assert seeded["users"][0]["username"] in html(reply)  # what was typed is kept
    assert client.get("/profile").status_code == 302


def test_sign_in_page_shows_the_demo_usernames(komet_app, seeded):
    page = html(komet_app.test_client().get("/login"))
    for user in seeded["users"]:
        assert user["username"] in page


def test_the_portal_session_has_its_own_cookie(client):
    """Both simulators may run on 127.0.0.1, and browsers share cookies across ports."""
    assert client.get_cookie("komet_session") is not None
    assert client.get_cookie("session") is None


def test_sign_out_ends_the_session(client):
    assert client.get("/logout").headers["Location"] == "/login"
    assert client.get("/profile").status_code == 302


def test_a_reset_world_signs_the_user_out(client):
    client.post("/__sim/reset")
    reply = client.get("/profile")
    assert reply.status_code == 302 and reply.headers["Location"] == "/login"


def test_top_navigation(client):
    page = html(client.get("/purchase-orders"))
    for label in (
        "Purchase Orders",
        "Confirmed &amp; In transit",
        "Setup",
        "Settings",
        "Tokens",
        "My Profile",
        "Sign out",
    ):
        assert label in page


# --- tokens ------------------------------------------------------------------------------------------


def test_asinfo_preset_without_javascript_ticks_exactly_the_preset(client, seeded):
    vendor = seeded["vendors"][0]
    reply = client.post(
        "/setup/tokens/new",
        data={
            "type": "Vendor",
            "vendorId": vendor["id"],
            "description": "ASINFO",
            "methods": ["awb.list"],
            "preset": "asinfo",
        },
    )
    page = html(reply)
    assert reply.status_code == 200
    assert checked_methods(page) == [m for m in TOKEN_METHODS if m in ASINFO_PRESET]
    assert 'value="ASINFO"' in page and f'value="{vendor["id"]}" selected' in page


def test_generate_a_vendor_token_with_the_asinfo_preset(client, seeded, komet_world):
    vendor = seeded["vendors"][1]
    reply = see_other(
        client,
        client.post(
            "/setup/tokens/new",
            data={
                "type": "Vendor",
                "vendorId": vendor["id"],
                "description": "ASINFO integration",
                "methods": list(ASINFO_PRESET),
                "action": "generate",
            },
        ),
    )
    assert reply.status_code == 200
    made = tokens.list_tokens(komet_world, seeded["companyId"])
    assert len(made) == 1
    token = made[0]
    assert token["type"] == "Vendor" and token["vendorId"] == vendor["id"]
    assert sorted(token["methods"]) == sorted(ASINFO_PRESET)
    page = html(reply)
    assert f'id="token-value" type="text" readonly value="{token["token"]}"' in page
    assert 'id="copy-token"' in page and 'id="back-to-tokens"' in page
    listing = html(client.get(f"/setup/tokens?saved={token['id']}"))
    assert "ASINFO integration" in listing and vendor["name"] in listing
    assert token["token"] not in listing  # the list shows it masked
    assert token["token"][:4] in listing
    again = client.get("/setup/tokens/created")  # a refresh: no second token, the value not shown again
    assert again.status_code == 302 and len(tokens.list_tokens(komet_world, seeded["companyId"])) == 1


def test_a_second_token_for_a_vendor_replaces_the_first(client, seeded, komet_world):
    form = {
        "type": "Vendor",
        "vendorId": seeded["vendors"][0]["id"],
        "methods": ["purchase.order.list"],
        "action": "generate",
    }
    client.post("/setup/tokens/new", data={**form, "description": "first"})
    first = tokens.list_tokens(komet_world, seeded["companyId"])[0]
    page = html(see_other(client, client.post("/setup/tokens/new", data={**form, "description": "second"})))
    assert (
        f"replaces the earlier Vendor token for {seeded['vendors'][0]['name']} (token #{first['id']})" in page
    )
    assert [t["description"] for t in tokens.list_tokens(komet_world, seeded["companyId"])] == ["second"]


@pytest.mark.parametrize(
    ("form", "field", "message"),
    [
        (
            {"type": "Company", "description": "  ", "methods": ["product.list"]},
            "description",
            "needs a description",
        ),
        (
            {"type": "Vendor", "vendorId": "", "description": "v", "methods": ["product.list"]},
            "vendorId",
            "choose one",
        ),
        (
            {"type": "Vendor", "vendorId": "999999", "description": "v", "methods": ["product.list"]},
            "vendorId",
            "not a vendor of this company",
        ),
        (
            {"type": "Customer", "customerId": "", "description": "c", "methods": ["product.list"]},
            "customerId",
            "choose one",
        ),
        ({"type": "Company", "description": "no methods"}, "methods", "Tick at least one API method"),
        (
            {"type": "Robot", "description": "x", "methods": ["product.list"]},
            "type",
            "Company, Vendor or Customer",
        ),
    ],
)
def test_token_form_refusals_name_the_field_and_create_nothing(
    client, seeded, komet_world, form, field, message
):
    before = tokens.list_tokens(komet_world, seeded["companyId"])
    reply = see_other(client, client.post("/setup/tokens/new", data={**form, "action": "generate"}))
    assert reply.status_code == 400
    shown = field_error(html(reply), field)
    assert shown is not None and message.lower() in shown.lower()
    assert tokens.list_tokens(komet_world, seeded["companyId"]) == before
    if form["description"].strip():
        assert f'value="{form["description"]}"' in html(reply)  # what was typed is kept


def test_delete_a_token(client, seeded, komet_world):
    made = tokens.create_token(komet_world, seeded["companyId"], "Company", "to delete", "all")
    reply = client.post(f"/setup/tokens/{made['id']}/delete")
    assert reply.status_code == 302
    assert tokens.list_tokens(komet_world, seeded["companyId"]) == []
    assert "deleted" in html(client.get("/setup/tokens"))


def test_deleting_an_unknown_token_changes_nothing(client, seeded, komet_world):
    tokens.create_token(komet_world, seeded["companyId"], "Company", "keep", "all")
    before = tokens.list_tokens(komet_world, seeded["companyId"])
    client.post("/setup/tokens/424242/delete")
    assert "token 424242 does not exist" in html(client.get("/setup/tokens"))
    assert tokens.list_tokens(komet_world, seeded["companyId"]) == before


def test_only_admin_and_setup_users_manage_tokens(komet_app, seeded):
    client = sign_in(komet_app.test_client(), seeded, role="Sales")
    reply = client.get("/setup/tokens/new")
    assert reply.status_code == 403 and "Only Admin or Setup users" in html(reply)
    assert sign_in(komet_app.test_client(), seeded, role="Setup").get("/setup/tokens").status_code == 200


# --- profile -----------------------------------------------------------------------------------------


def test_profile_shows_the_company_id(client, seeded):
    page = html(client.get("/profile"))
    assert re.search(r'id="company-id">(\d+)<', page).group(1) == str(seeded["companyId"])
    assert seeded["companyName"] in page and seeded["users"][0]["username"] in page
    assert "Daily API limit" in page and "3,000 calls" in page  # 3 paid users x 1,000
