"""The importer's portal pages, through the Flask test client: one test per rule and per refusal."""

from __future__ import annotations

import re

import pytest

from komet_sim.decisions import ASINFO_PRESET, PO_STATUS_TEXT, TOKEN_METHODS
from komet_sim.domain import orders, tokens, tracking

PASSWORD = "komet123"


# --- helpers -----------------------------------------------------------------------------------------

def sign_in(client, seeded: dict, role: str = "Admin"):
    user = next(u for u in seeded["users"] if u["role"] == role)
    reply = client.post("/login", data={"username": user["username"], "password": PASSWORD})
    assert reply.status_code == 302, reply.data
    return client


@pytest.fixture
def client(komet_app, seeded):
    return sign_in(komet_app.test_client(), seeded)


def html(reply) -> str:
    return reply.get_data(as_text=True)


def field_error(page: str, field: str) -> str | None:
    """The message shown next to a form field (data-field), or None."""
    match = re.search(rf'class="field-error" data-field="{re.escape(field)}"[^>]*>([^<]*)<', page)
    return match.group(1) if match else None


def checked_methods(page: str) -> list[str]:
    return re.findall(r'name="methods" value="([^"]+)" checked', page)


def po_ids(world, company_id: int) -> list[int]:
    me = orders.importer(world, company_id)
    return [po["id"] for d in orders.ship_dates(world, company_id)
            for po in orders.list_purchase_orders(world, me, {"date": d})]


def api(client, method: str, body: dict) -> dict:
    reply = client.post(f"/api/{method}", json=body)
    data = reply.get_json()
    assert data["status"] in ("1", 1), data
    return data


def company_token(client) -> str:
    reply = client.post("/__sim/komet/tokens", json={"type": "Company", "description": "test", "methods": "all"})
    assert reply.status_code == 201, reply.data
    return reply.get_json()["token"]


def ship_first_line(client, seeded: dict, boxes: int = 2) -> tuple[dict, list[str]]:
    """Confirm and ship the first seeded PO's first line through the API; returns (po, box codes)."""
    po = seeded["purchaseOrders"][0]
    item_id = po["poItemIds"][0]
    token = company_token(client)
    detail = client.get(f"/__sim/komet/purchase-orders/{po['id']}").get_json()
    ordered = next(line["totalBoxes"] for line in detail["details"] if line["poItemId"] == item_id)
    boxes = min(boxes, ordered)
    api(client, "purchase.order.item.confirm", {"authenticationToken": token, "poItemId": item_id,
                                                "quantityConfirmed": boxes})
    codes = [f"TB{n:05d}" for n in range(1, boxes + 1)]
    api(client, "purchase.order.item.awb.add", {"authenticationToken": token, "poItemId": item_id,
                                                "awb": "729-1234-5675", "shipDate": po["shipDate"],
                                                "boxCodes": codes})
    return po, codes


# --- sign-in -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/purchase-orders", "/in-transit", "/setup/tokens", "/setup/tokens/new",
                                  "/profile", "/purchase-orders/new"])
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
    reply = client.post("/login", data={"username": seeded["users"][0]["username"], "password": "wrong"})
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
    for label in ("Purchase Orders", "Confirmed &amp; In transit", "Setup", "Settings", "Tokens", "My Profile",
                  "Sign out"):
        assert label in page


# --- tokens ------------------------------------------------------------------------------------------

def test_asinfo_preset_without_javascript_ticks_exactly_the_preset(client, seeded):
    vendor = seeded["vendors"][0]
    reply = client.post("/setup/tokens/new", data={"type": "Vendor", "vendorId": vendor["id"],
                                                   "description": "ASINFO", "methods": ["awb.list"],
                                                   "preset": "asinfo"})
    page = html(reply)
    assert reply.status_code == 200
    assert checked_methods(page) == [m for m in TOKEN_METHODS if m in ASINFO_PRESET]
    assert 'value="ASINFO"' in page and f'value="{vendor["id"]}" selected' in page


def test_generate_a_vendor_token_with_the_asinfo_preset(client, seeded, komet_world):
    vendor = seeded["vendors"][1]
    reply = client.post("/setup/tokens/new", data={"type": "Vendor", "vendorId": vendor["id"],
                                                   "description": "ASINFO integration",
                                                   "methods": list(ASINFO_PRESET), "action": "generate"})
    assert reply.status_code == 200
    made = tokens.list_tokens(komet_world, seeded["companyId"])
    assert len(made) == 1
    token = made[0]
    assert token["type"] == "Vendor" and token["vendorId"] == vendor["id"]
    assert sorted(token["methods"]) == sorted(ASINFO_PRESET)
    page = html(reply)
    assert f'id="token-value" type="text" readonly value="{token["token"]}"' in page
    assert 'id="copy-token"' in page and 'id="save-token"' in page
    listing = html(client.get(f"/setup/tokens?saved={token['id']}"))
    assert "ASINFO integration" in listing and vendor["name"] in listing
    assert token["token"] not in listing  # the list shows it masked
    assert token["token"][:4] in listing


def test_a_second_token_for_a_vendor_replaces_the_first(client, seeded, komet_world):
    form = {"type": "Vendor", "vendorId": seeded["vendors"][0]["id"], "methods": ["purchase.order.list"],
            "action": "generate"}
    client.post("/setup/tokens/new", data={**form, "description": "first"})
    first = tokens.list_tokens(komet_world, seeded["companyId"])[0]
    page = html(client.post("/setup/tokens/new", data={**form, "description": "second"}))
    assert f"replaces the earlier Vendor token for {seeded['vendors'][0]['name']} (token #{first['id']})" in page
    assert [t["description"] for t in tokens.list_tokens(komet_world, seeded["companyId"])] == ["second"]


@pytest.mark.parametrize(("form", "field", "message"), [
    ({"type": "Company", "description": "  ", "methods": ["product.list"]}, "description", "needs a description"),
    ({"type": "Vendor", "vendorId": "", "description": "v", "methods": ["product.list"]}, "vendorId",
     "choose one"),
    ({"type": "Vendor", "vendorId": "999999", "description": "v", "methods": ["product.list"]}, "vendorId",
     "not a vendor of this company"),
    ({"type": "Customer", "customerId": "", "description": "c", "methods": ["product.list"]}, "customerId",
     "choose one"),
    ({"type": "Company", "description": "no methods"}, "methods", "Tick at least one API method"),
    ({"type": "Robot", "description": "x", "methods": ["product.list"]}, "type", "Company, Vendor or Customer"),
])
def test_token_form_refusals_name_the_field_and_create_nothing(client, seeded, komet_world, form, field, message):
    before = tokens.list_tokens(komet_world, seeded["companyId"])
    reply = client.post("/setup/tokens/new", data={**form, "action": "generate"})
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


# --- purchase orders ---------------------------------------------------------------------------------

def test_purchase_orders_by_ship_date(client, seeded):
    day = seeded["shipDates"][1]
    page = html(client.get(f"/purchase-orders?shipDate={day}"))
    numbers = [po["number"] for po in seeded["purchaseOrders"] if po["shipDate"] == day]
    assert numbers and all(f">{n}</a>" in page for n in numbers)
    assert PO_STATUS_TEXT["A"] in page
    other = [po["number"] for po in seeded["purchaseOrders"] if po["shipDate"] != day]
    assert not any(f">{n}</a>" in page for n in other)


def test_a_bad_ship_date_gets_a_friendly_page(client):
    reply = client.get("/purchase-orders?shipDate=tomorrow")
    assert reply.status_code == 400
    assert "shipDate: must be a date YYYY-MM-DD" in html(reply) and "Traceback" not in html(reply)


def test_purchase_order_detail_lists_its_lines(client, seeded):
    po = seeded["purchaseOrders"][0]
    page = html(client.get(f"/purchase-orders/{po['id']}"))
    for item_id in po["poItemIds"]:
        assert f'data-line-id="{item_id}"' in page
    assert "Pending" in page


def test_an_unknown_purchase_order_is_a_friendly_404(client):
    reply = client.get("/purchase-orders/1")
    assert reply.status_code == 404 and "purchase order 1 does not exist" in html(reply)


def new_po_form(seeded: dict, **lines0) -> dict:
    line = {"productId": "", "boxTypeCode": "HB", "boxes": "3", "customerId": str(seeded["customers"][0]["id"]),
            "cost": ""} | lines0
    form = {"vendorId": str(seeded["vendors"][0]["id"]), "shipDate": seeded["shipDates"][0],
            "status": "Pending Approval", "rows": "2", "action": "create"}
    form.update({f"lines-0-{k}": v for k, v in line.items()})
    form.update({"lines-1-boxTypeCode": "HB"})  # a blank row is ignored
    return form


def product_id(client) -> str:
    page = html(client.get("/purchase-orders/new"))
    return re.search(r'name="lines-0-productId".*?<option value="(\d+)"', page, re.S).group(1)


def test_create_approve_and_cancel_a_purchase_order(client, seeded, komet_world):
    reply = client.post("/purchase-orders/new", data=new_po_form(seeded, productId=product_id(client)))
    assert reply.status_code == 302
    po_id = int(reply.headers["Location"].rsplit("/", 1)[1])
    me = orders.importer(komet_world, seeded["companyId"])
    po = orders.get_purchase_order(komet_world, me, po_id)
    assert po["status"] == "PA" and len(po["details"]) == 1 and po["details"][0]["totalBoxes"] == 3
    assert "Approve" in html(client.get(f"/purchase-orders?shipDate={po['shipDate']}"))

    client.post(f"/purchase-orders/{po_id}/approve", data={"next": "/purchase-orders"})
    assert orders.get_purchase_order(komet_world, me, po_id)["status"] == "A"

    client.post(f"/purchase-orders/{po_id}/cancel")
    po = orders.get_purchase_order(komet_world, me, po_id)
    assert po["status"] == "CA" and {line["lineItemStatus"] for line in po["details"]} == {"X"}
    assert "cancelled" in html(client.get(f"/purchase-orders/{po_id}"))


def test_approving_an_approved_purchase_order_is_refused(client, seeded, komet_world):
    po = seeded["purchaseOrders"][0]
    client.post(f"/purchase-orders/{po['id']}/approve")
    page = html(client.get(f"/purchase-orders/{po['id']}"))
    assert "was not approved: only a Pending Approval PO can be approved" in page
    me = orders.importer(komet_world, seeded["companyId"])
    assert orders.get_purchase_order(komet_world, me, po["id"])["status"] == "A"


def test_a_purchase_order_with_shipped_lines_cannot_be_cancelled(client, seeded, komet_world):
    po, _ = ship_first_line(client, seeded)
    client.post(f"/purchase-orders/{po['id']}/cancel")
    assert "shipped lines cannot be cancelled" in html(client.get(f"/purchase-orders/{po['id']}"))
    me = orders.importer(komet_world, seeded["companyId"])
    assert orders.get_purchase_order(komet_world, me, po["id"])["status"] != "CA"


def test_cancel_a_line(client, seeded, komet_world):
    po = seeded["purchaseOrders"][0]
    item_id = po["poItemIds"][1]
    client.post(f"/purchase-orders/{po['id']}/lines/{item_id}/cancel")
    me = orders.importer(komet_world, seeded["companyId"])
    lines = orders.get_purchase_order(komet_world, me, po["id"])["details"]
    assert next(line for line in lines if line["poItemId"] == item_id)["lineItemStatus"] == "X"


@pytest.mark.parametrize(("change", "field", "form_key", "message"), [
    ({"boxes": "abc"}, "purchaseOrderItems[0].boxes", "lines-0-boxes", "whole number, 1 or more"),
    ({"boxes": "0"}, "purchaseOrderItems[0].boxes", "lines-0-boxes", "whole number, 1 or more"),
    ({"productId": ""}, "purchaseOrderItems[0].productId", "lines-0-productId", "needs productId"),
    ({"productId": "999999"}, "purchaseOrderItems[0].productId", "lines-0-productId", "999999"),
    ({"boxTypeCode": "ZZ"}, "purchaseOrderItems[0].boxTypeCode", "lines-0-boxTypeCode", "ZZ"),
    ({"cost": "cheap"}, "purchaseOrderItems[0].cost", "lines-0-cost", "must be a number"),
    ({"vendorId": ""}, "vendorId", "vendorId", "choose the vendor"),
    ({"shipDate": "next week"}, "shipDate", "shipDate", "YYYY-MM-DD"),
    ({"status": "Confirmed"}, "status", "status", "Pending Approval or Approved"),
])
def test_new_purchase_order_refusals_name_the_field_and_create_nothing(client, seeded, komet_world, change,
                                                                       field, form_key, message):
    form = new_po_form(seeded, productId=product_id(client))
    for key, value in change.items():
        form[key if key in form and not key.startswith("lines") else f"lines-0-{key}"] = value
    before = po_ids(komet_world, seeded["companyId"])
    reply = client.post("/purchase-orders/new", data=form)
    page = html(reply)
    assert reply.status_code == 400
    assert f'<code class="refused-field">{field}</code>' in page
    shown = field_error(page, form_key)
    assert shown is not None and message.lower() in shown.lower()
    assert po_ids(komet_world, seeded["companyId"]) == before


def test_a_purchase_order_needs_a_line(client, seeded, komet_world):
    form = new_po_form(seeded)
    form.update({"lines-0-boxes": "", "lines-0-customerId": ""})
    before = po_ids(komet_world, seeded["companyId"])
    reply = client.post("/purchase-orders/new", data=form)
    assert reply.status_code == 400 and "at least one line" in field_error(html(reply), "purchaseOrderItems")
    assert po_ids(komet_world, seeded["companyId"]) == before


def test_add_line_without_javascript_keeps_the_form(client, seeded):
    form = new_po_form(seeded) | {"action": "add-line", "lines-0-boxes": "7"}
    page = html(client.post("/purchase-orders/new", data=form))
    assert 'name="lines-2-productId"' in page and 'name="lines-0-boxes" type="text" inputmode="numeric" size="4" value="7"' in page


def test_confirmed_by_farm_shows_the_v_mark(client, seeded, komet_world):
    po = seeded["purchaseOrders"][0]
    token = company_token(client)
    me = orders.importer(komet_world, seeded["companyId"])
    for line in orders.get_purchase_order(komet_world, me, po["id"])["details"]:
        api(client, "purchase.order.item.confirm", {"authenticationToken": token, "poItemId": line["poItemId"],
                                                    "quantityConfirmed": line["totalBoxes"]})
    page = html(client.get(f"/purchase-orders?shipDate={po['shipDate']}"))
    row = re.search(rf'data-po-id="{po["id"]}".*?</tr>', page, re.S).group(0)
    assert "Confirmed by Farm" in row and 'class="v-mark"' in row


# --- confirmed & in transit --------------------------------------------------------------------------

def test_in_transit_lists_the_shipped_boxes_by_awb(client, seeded):
    _, codes = ship_first_line(client, seeded)
    page = html(client.get("/in-transit"))
    assert "729-1234-5675" in page or "72912345675" in page
    for code in codes:
        assert f'name="boxCode" value="{code}"' in page


def test_receive_moves_a_box_to_received(client, seeded, komet_world):
    _, codes = ship_first_line(client, seeded)
    reply = client.post("/in-transit/receive", data={"boxCode": codes[0], "position": "A1"})
    assert reply.status_code == 200
    assert re.search(rf'data-box-code="{codes[0]}">.*?Received', html(reply), re.S)
    me = orders.importer(komet_world, seeded["companyId"])
    awb = tracking.confirmed_and_in_transit(komet_world, me)["awbs"][0]
    assert [b["boxCode"] for b in awb["received"]] == [codes[0]]
    assert awb["received"][0]["position"] == "A1" and awb["piecesReceived"] == 1
    assert [b["boxCode"] for b in awb["inTransit"]] == codes[1:]


def test_receiving_a_received_box_is_reported_per_box(client, seeded):
    _, codes = ship_first_line(client, seeded)
    client.post("/in-transit/receive", data={"boxCode": codes[0]})
    page = html(client.post("/in-transit/receive", data={"boxCode": [codes[0], "NOPE1"]}))
    assert re.search(rf'data-box-code="{codes[0]}">.*?Refused', page, re.S)
    assert re.search(r'data-box-code="NOPE1">.*?Refused', page, re.S)


@pytest.mark.parametrize(("data", "field"), [({}, "boxCodes"), ({"position": "TOO-LONG"}, "position")])
def test_receive_refusals_change_nothing(client, seeded, komet_world, data, field):
    _, codes = ship_first_line(client, seeded)
    if field == "position":
        data = {**data, "boxCode": codes[0]}
    awb_id = tracking.confirmed_and_in_transit(komet_world, orders.importer(komet_world, seeded["companyId"]))
    reply = client.post("/in-transit/receive", data={**data, "awbId": awb_id["awbs"][0]["awbId"]})
    assert reply.status_code == 400 and field_error(html(reply), field)
    after = tracking.confirmed_and_in_transit(komet_world, orders.importer(komet_world, seeded["companyId"]))
    assert after["awbs"][0]["piecesReceived"] == 0


# --- errors ------------------------------------------------------------------------------------------

def test_unknown_pages_get_the_friendly_error_page(client):
    reply = client.get("/no/such/page")
    assert reply.status_code == 404 and "Back to the portal" in html(reply)


def test_wrong_verb_gets_the_friendly_error_page(client):
    reply = client.get("/in-transit/receive")
    assert reply.status_code == 405 and "Back to the portal" in html(reply)
