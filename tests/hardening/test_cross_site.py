"""A page on another site cannot use either simulator through a visitor's browser (docs/decisions.md S1, A1):
cross-site posts are refused and change nothing, a connection's token only goes where it was given, cookies
and framing are locked to the site."""

from __future__ import annotations

import pytest

EVIL = "http://evil.example"


def komet_tokens(ip) -> list:
    return ip.komet.state()["tables"]["tokens"]


def connection(ip) -> dict:
    return ip.asinfo.connections()[0]


# --- S1: cross-site requests ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "headers",
    [{"Origin": EVIL}, {"Referer": f"{EVIL}/page.html"}, {"Origin": "null"}],
    ids=["origin", "referer", "null-origin"],
)
def test_a_cross_site_komet_portal_form_is_refused_and_makes_no_token(ip, komet_portal, headers):
    before = komet_tokens(ip)
    vendor = ip.world["vendors"][1]["id"]
    form = {"type": "Vendor", "vendorId": str(vendor), "description": "x", "methods": "purchase.order.list"}
    reply = komet_portal.post("/setup/tokens/new", data=form, headers=headers)
    assert reply.status_code == 403
    assert "another site" in reply.get_data(as_text=True)
    assert komet_tokens(ip) == before
    assert (
        komet_portal.post("/setup/tokens/new", data=form).status_code == 303
    )  # the same form, from the site: made, and shown on the page it redirects to
    assert len(komet_tokens(ip)) == len(before) + 1


def test_a_cross_site_asinfo_portal_form_cannot_repoint_a_connection(ip, asinfo_portal):
    before = connection(ip)
    reply = asinfo_portal.post(
        f"/connections/{before['id']}/edit",
        data={**_form(before), "kometUrl": "http://attacker.example"},
        headers={"Origin": EVIL},
    )
    assert reply.status_code == 403
    assert connection(ip) == before


def test_a_same_site_form_passes(ip, asinfo_portal):
    before = connection(ip)
    reply = asinfo_portal.post(
        f"/connections/{before['id']}/edit",
        data={**_form(before), "name": "Renamed importer"},
        headers={"Origin": "http://localhost"},
    )
    assert reply.status_code == 302
    assert connection(ip)["name"] == "Renamed importer"


@pytest.mark.parametrize(
    ("app", "path", "shape"),
    [
        (1, "/api/connections/{cid}/test", "error"),
        (1, "/api/sync", "error"),
        (1, "/__sim/reset", "error"),
        (0, "/__sim/reset", "error"),
        (0, "/api/purchase.order.item.confirm", "envelope"),
    ],
)
def test_a_cross_site_post_without_a_body_is_refused_in_the_routes_shape(ip, app, path, shape):
    """A page can POST with no body and no preflight: the JSON APIs and the control plane refuse it too."""
    client = ip.apps[app].test_client()
    before = (ip.komet.state(), ip.asinfo.state())
    reply = client.post(path.format(cid=connection(ip)["id"]), headers={"Origin": EVIL})
    assert reply.status_code == 403
    body = reply.get_json()
    if shape == "envelope":
        assert body["status"] == "0" and body["message"]
    else:
        assert body["error"]["code"] == "forbidden" and "another site" in body["error"]["message"]
    assert (ip.komet.state(), ip.asinfo.state()) == before


@pytest.mark.parametrize(
    ("app", "path"),
    [(1, "/api/connections"), (0, "/__sim/komet/tokens"), (0, "/__sim/faults"), (1, "/api/awbs")],
)
@pytest.mark.parametrize(
    ("body", "ctype"),
    [("name=x&token=y", "application/x-www-form-urlencoded"), ('{"name": "x"}', "text/plain")],
)
def test_json_routes_refuse_bodies_a_page_can_send_without_asking(ip, app, path, body, ctype):
    before = (ip.komet.state(), ip.asinfo.state())
    reply = ip.apps[app].test_client().post(path, data=body, headers={"Content-Type": ctype})
    assert reply.status_code == 400
    assert reply.get_json()["error"]["field"] == "body"
    assert (ip.komet.state(), ip.asinfo.state()) == before


# --- A1: the stored token only goes where it was given ---------------------------------------------


def test_moving_a_connection_to_another_url_needs_the_token_again(ip):
    before = connection(ip)
    reply = ip.asinfo.request(
        "PATCH", f"/api/connections/{before['id']}", json={"kometUrl": "http://attacker.example"}
    )
    assert reply.status_code == 400
    assert reply.json()["error"]["field"] == "token"
    assert connection(ip) == before


def test_moving_a_connection_with_its_token_is_allowed(ip):
    cid = connection(ip)["id"]
    token = ip.grower["token"]["token"]
    reply = ip.asinfo.request(
        "PATCH", f"/api/connections/{cid}", json={"kometUrl": "http://other.example", "token": token}
    )
    assert reply.status_code == 200
    assert reply.json()["kometUrl"] == "http://other.example"


def test_the_edit_form_keeps_the_token_when_the_url_stays(ip, asinfo_portal):
    before = connection(ip)
    reply = asinfo_portal.post(f"/connections/{before['id']}/edit", data={**_form(before), "syncDays": "3"})
    assert reply.status_code == 302
    assert connection(ip)["syncDays"] == 3


def test_the_edit_form_asks_for_the_token_when_the_url_moves(ip, asinfo_portal):
    before = connection(ip)
    reply = asinfo_portal.post(
        f"/connections/{before['id']}/edit", data={**_form(before), "kometUrl": "http://attacker.example"}
    )
    reply = asinfo_portal.get(reply.headers["Location"])  # a refused form redirects to itself (simkit.forms)
    assert reply.status_code == 400
    assert 'data-field="token"' in reply.get_data(as_text=True)
    assert connection(ip) == before


# --- cookies and framing -----------------------------------------------------------------------


def _session_cookie(reply) -> str:
    return next(v for v in reply.headers.getlist("Set-Cookie") if v.startswith("komet_session="))


def _sign_in(client, ip):
    user = next(u for u in ip.world["users"] if u["role"] == "Admin")
    return client.post("/login", data={"username": user["username"], "password": "komet123"})


def test_the_session_cookie_is_same_site_lax_and_http_only(ip):
    cookie = _session_cookie(_sign_in(ip.apps[0].test_client(), ip))
    assert "SameSite=Lax" in cookie and "HttpOnly" in cookie
    assert "Secure" not in cookie  # plain HTTP: a Secure cookie would never come back


def test_the_session_cookie_is_secure_over_tls(ip):
    client = ip.apps[0].test_client()
    reply = client.post(
        "/login",
        base_url="https://localhost",
        data={
            "username": next(u for u in ip.world["users"] if u["role"] == "Admin")["username"],
            "password": "komet123",
        },
    )
    assert "Secure" in _session_cookie(reply)


@pytest.mark.parametrize(("app", "path"), [(0, "/login"), (1, "/orders"), (1, "/api/account")])
def test_pages_may_be_framed_by_their_own_site_only(ip, app, path):
    reply = ip.apps[app].test_client().get(path)
    assert reply.headers["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in reply.headers["Content-Security-Policy"]


def _form(c: dict) -> dict:
    return {
        "name": c["name"],
        "kometUrl": c["kometUrl"],
        "token": "",
        "companyId": str(c["companyId"]),
        "customerId": c["customerId"] or "",
        "syncDays": str(c["syncDays"]),
    }
