"""The /__sim control plane on Komet (DESIGN.md contract) and the importer's JSON actions under /__sim/komet."""

from __future__ import annotations

import re

import pytest
import requests

from simkit import __version__

# --- health, seed, tokens: the contract shapes ------------------------------------------------------------


def test_health_names_the_app_and_version(komet):
    assert komet.health() == {"status": "ok", "app": "komet", "version": __version__}


def test_seed_answers_the_contract_shape(komet):
    made = komet.seed(seed=3)
    assert isinstance(made["companyId"], int)
    assert made["vendors"] and all(set(v) >= {"id", "name", "code"} for v in made["vendors"])
    assert all(isinstance(v["id"], int) and isinstance(v["name"], str) and isinstance(v["code"], str)
               for v in made["vendors"])
    assert made["shipDates"] and all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", d) for d in made["shipDates"])


def test_seed_ship_dates_are_the_dates_that_have_pos(komet):
    made = komet.seed(seed=3, shipDays=2, posPerDay=2)
    assert made["shipDates"] == sorted({po["shipDate"] for po in made["purchaseOrders"]})
    assert komet.json("GET", "/__sim/komet/purchase-orders")["shipDates"] == made["shipDates"]


def test_seed_sizes_are_honoured(komet):
    made = komet.seed(seed=3, vendors=5, customers=2, products=6, shipDays=2, posPerDay=3, linesPerPo=2)
    assert made["counts"] == {"vendors": 5, "customers": 2, "products": 6, "purchaseOrders": 6, "lines": 12}


def test_seed_vendors_ship_from_bog_mde_or_uio(komet):
    made = komet.seed(seed=4, vendors=12)
    assert {v["portOrigin"] for v in made["vendors"]} <= {"BOG", "MDE", "UIO"}


def test_seed_with_no_pos_has_no_ship_dates(komet):
    assert komet.seed(seed=3, posPerDay=0)["shipDates"] == []


BAD_SEEDS = [({"vendors": 0}, "vendors"), ({"vendors": "3"}, "vendors"), ({"posPerDay": 501}, "posPerDay"),
             ({"seed": "x"}, "seed"), ({"profile": "lenient"}, "profile"), ({"reset": "no"}, "reset"),
             ({"quotaPerUser": 0}, "quotaPerUser"), ({"colour": "red"}, "colour")]


def test_seed_refuses_bad_options_naming_them(komet):
    before = komet.state()
    for body, field in BAD_SEEDS:
        resp = komet.request("POST", "/__sim/seed", json=body)
        assert resp.status_code == 400 and resp.json()["error"]["field"] == field, body
    assert komet.state() == before


def test_seed_refuses_a_body_that_is_not_an_object(komet):
    resp = komet.request("POST", "/__sim/seed", json=[1])
    assert resp.status_code == 400


def test_token_creation_answers_the_contract_shape(komet, vendor):
    made = komet.create_token(type="Vendor", vendor_id=vendor["id"], methods="asinfo", description="ASINFO")
    assert re.fullmatch(r"[a-z0-9]{26}", made["token"])
    assert made["type"] == "Vendor" and made["vendorId"] == vendor["id"]


def test_the_asinfo_preset_ticks_the_integration_methods(komet, vendor):
    made = komet.create_token(type="Vendor", vendor_id=vendor["id"], methods="asinfo")
    assert set(made["methods"]) == {
        "purchase.order.list", "purchase.order.item.confirm", "purchase.order.item.awb.add",
        "purchase.order.items.awb.add", "box.code.change", "purchase.order.item.delete", "purchase.order.create",
        "boxtype.list", "product.list", "carrier.list", "customer.list", "vendor.list", "location.list"}


def test_a_token_with_a_list_of_methods_carries_exactly_those(komet):
    made = komet.create_token(type="Company", methods=["vendor.list", "boxtype.list"])
    assert sorted(made["methods"]) == ["boxtype.list", "vendor.list"]


BAD_TOKENS = [
    ({"type": "Admin", "description": "x", "methods": "all"}, "type"),
    ({"type": "Vendor", "description": "x", "methods": "all"}, "vendorId"),
    ({"type": "Vendor", "vendorId": 1, "description": "x", "methods": "all"}, "vendorId"),
    ({"type": "Vendor", "vendorId": "3401", "description": "x", "methods": "all"}, "vendorId"),
    ({"type": "Customer", "description": "x", "methods": "all"}, "customerId"),
    ({"type": "Company", "description": "", "methods": "all"}, "description"),
    ({"type": "Company", "description": "x", "methods": ["box.move.awb"]}, "methods"),
    ({"type": "Company", "description": "x", "methods": []}, "methods"),
    ({"type": "Company", "description": "x", "methods": "all", "expires": "never"}, "expires"),
    ({"type": "Vendor", "vendorId": 10**30, "description": "x", "methods": "all"}, "vendorId"),
]


def test_token_creation_refuses_bad_input_naming_the_field(komet):
    before = komet.state()
    for body, field in BAD_TOKENS:
        resp = komet.request("POST", "/__sim/komet/tokens", json=body)
        assert resp.status_code in (400, 404), resp.text
        assert resp.json()["error"]["field"] == field, body
    assert komet.state() == before


def test_tokens_are_listed_and_deleted(komet, vendor):
    made = komet.create_token(type="Vendor", vendor_id=vendor["id"])
    listed = komet.json("GET", "/__sim/komet/tokens")["tokens"]
    assert [t["id"] for t in listed] == [made["id"]]
    assert komet.delete_token(made["id"]) == {"deleted": made["id"]}
    assert komet.json("GET", "/__sim/komet/tokens")["tokens"] == []
    assert komet.request("DELETE", f"/__sim/komet/tokens/{made['id']}").status_code == 404


# --- company ----------------------------------------------------------------------------------------------

def test_company_shows_its_id_users_quota_and_profile(komet, seeded):
    company = komet.company()
    assert company["companyId"] == seeded["companyId"]
    assert (company["paidUsers"], company["quotaPerUser"], company["profile"]) == (3, 1000, "documented")


def test_company_settings_refuse_bad_values(komet):
    before = komet.company()
    for body, field in [({"profile": "loose"}, "profile"), ({"paidUsers": 0}, "paidUsers"), ({"name": "X"}, "name"),
                        ({"quotaPerUser": True}, "quotaPerUser")]:
        resp = komet.request("PATCH", "/__sim/komet/company", json=body)
        assert resp.status_code == 400 and resp.json()["error"]["field"] == field, body
    assert komet.company() == before


def test_with_two_companies_the_importer_must_say_which(komet, seeded):
    second = komet.seed(seed=8, reset=False)
    resp = komet.request("GET", "/__sim/komet/company")
    assert resp.status_code == 400 and resp.json()["error"]["field"] == "namespace"
    picked = komet.json("GET", "/__sim/komet/company", params={"namespace": second["companyId"]})
    assert picked["companyId"] == second["companyId"]
    by_header = komet.json("GET", "/__sim/komet/company", headers={"X-Kasim-Namespace": str(seeded["companyId"])})
    assert by_header["companyId"] == seeded["companyId"]


def test_an_unknown_company_is_404(komet):
    resp = komet.request("GET", "/__sim/komet/company", params={"namespace": "1"})
    assert resp.status_code == 404


# --- clock ------------------------------------------------------------------------------------------------

def test_the_clock_starts_frozen_at_the_default_start(komet):
    assert komet.clock() == {"now": "2026-11-26T06:00:00", "today": "2026-11-26", "running": False}


def test_the_clock_advances_and_sets(komet):
    assert komet.clock(advance="36h")["now"] == "2026-11-27T18:00:00"
    assert komet.clock(set="2026-12-01T08:30:00")["now"] == "2026-12-01T08:30:00"


def test_the_clock_refuses_what_it_cannot_read(komet):
    for body in ({}, {"advance": "soon"}, {"set": "tomorrow"}, {"advance": "1h", "speed": 2}, {"running": "yes"},
                 {"advance": True}, [1]):
        assert komet.request("POST", "/__sim/clock", json=body).status_code == 400, body
    assert komet.clock()["now"] == "2026-11-26T06:00:00"


# --- faults and journal ----------------------------------------------------------------------------------

def test_faults_are_added_listed_and_cleared(komet):
    rule = komet.add_fault(kind="error", method="purchase.order.list", status=503, times=2)
    assert (rule["kind"], rule["status"], rule["times"]) == ("error", 503, 2)
    assert [f["id"] for f in komet.json("GET", "/__sim/faults")["faults"]] == [rule["id"]]
    assert komet.clear_faults() == {"removed": 1}
    assert komet.json("GET", "/__sim/faults")["faults"] == []


def test_an_error_fault_answers_its_status_without_processing(komet, kit, seeded):
    kit.company_token  # noqa: B018 (made before the fault)
    komet.add_fault(kind="error", method="purchase.order.item.confirm", status=503, times=1)
    line = seeded["purchaseOrders"][0]["poItemIds"][0]
    with kit.unchanged():
        resp = komet.api_response("purchase.order.item.confirm", kit.company_token, poItemId=line,
                                  quantityConfirmed=1)
    assert resp.status_code == 503
    again = komet.api("purchase.order.item.confirm", kit.company_token, poItemId=line, quantityConfirmed=1)
    assert again == {"status": "1", "message": "OK"}


def test_a_rate_limit_fault_answers_429_with_retry_after(komet, kit):
    komet.add_fault(kind="rate_limit", route="/api/*", retryAfter=7)
    resp = komet.api_response("boxtype.list", kit.company_token)
    assert resp.status_code == 429 and resp.headers["Retry-After"] == "7"


def test_a_fault_scoped_to_one_company_spares_the_other(komet, kit, seeded):
    token = kit.company_token
    second = komet.seed(seed=8, reset=False)
    other = komet.json("POST", "/__sim/komet/tokens", {"type": "Company", "methods": "all", "description": "b"},
                       params={"namespace": second["companyId"]})["token"]
    komet.add_fault(kind="error", namespace=str(seeded["companyId"]), method="boxtype.list")
    assert komet.api_response("boxtype.list", token).status_code == 500
    assert komet.api_response("boxtype.list", other).status_code == 200


def test_a_lost_response_is_processed_but_never_answered(komet, kit):
    line = kit.new_line(boxes=2)
    komet.add_fault(kind="lost_response", method="purchase.order.item.confirm", times=1)
    with pytest.raises(requests.exceptions.ConnectionError):
        komet.api("purchase.order.item.confirm", kit.company_token, poItemId=line["poItemId"], quantityConfirmed=2)
    assert kit.line(line["poItemId"])["quantityConfirmed"] == 2


def test_a_duplicate_delivery_processes_the_request_twice(komet, kit):
    line = kit.new_line(boxes=2)
    kit.confirm(line)
    komet.add_fault(kind="duplicate", method="purchase.order.item.awb.add", times=1)
    reply = kit.ship(line, ["DUP1", "DUP2"])
    assert reply["boxCodes"] == ["DUP1", "DUP2"]
    entry = [e for e in komet.journal()["entries"] if e.get("fault") == "duplicate"][0]
    assert entry["duplicate"]["body"]["message"] == f"Purchase order item {line['poItemId']} has already been shipped."


def _as_text(value):
    if isinstance(value, dict):
        return {k: _as_text(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_as_text(v) for v in value]
    return str(value)


def test_a_type_drift_fault_flips_types_but_not_values(komet, kit):
    plain = komet.api("boxtype.list", kit.company_token)
    komet.add_fault(kind="type_drift", method="boxtype.list")
    drifted = komet.api("boxtype.list", kit.company_token)
    assert drifted != plain
    assert _as_text(drifted) == _as_text(plain)


def test_a_bad_fault_rule_is_refused_naming_the_field(komet):
    for body, field in [({"kind": "explode"}, "kind"), ({"kind": "error", "status": 200}, "status"),
                        ({"kind": "latency"}, "delay"), ({"kind": "error", "times": 0}, "times"),
                        ({"kind": "error", "probability": 1.5}, "probability"), ({"kind": "error", "when": "now"}, "when"),
                        ({"faults": {"kind": "error"}}, "faults")]:
        resp = komet.request("POST", "/__sim/faults", json=body)
        assert resp.status_code == 400 and resp.json()["error"]["field"] == field, body
    assert komet.json("GET", "/__sim/faults")["faults"] == []


def test_the_journal_records_api_calls_in_order_with_tokens_redacted(komet, kit, seeded):
    token = kit.company_token
    komet.request("DELETE", "/__sim/journal")
    komet.api("purchase.order.list", token, date=seeded["shipDates"][0])
    komet.api("purchase.order.item.delete", token, poItemId=seeded["purchaseOrders"][0]["poItemIds"][0])
    entries = [e for e in komet.journal()["entries"] if e["request"]["path"].startswith("/api/")]
    assert [e["op"] for e in entries] == ["purchase.order.list", "purchase.order.item.delete"]
    assert entries[0]["request"]["query"]["authenticationToken"] == "[redacted]"
    assert entries[1]["request"]["body"]["authenticationToken"] == "[redacted]"
    assert token not in str(komet.journal())
    assert entries[1]["namespace"] == str(seeded["companyId"])


def test_the_journal_never_holds_a_token_even_in_a_malformed_body(komet, kit):
    token = kit.company_token
    komet.request("POST", "/api/purchase.order.item.confirm", data=f'{{"authenticationToken": "{token}", "poI',
                  headers={"Content-Type": "application/json"})
    komet.request("POST", "/api/purchase.order.item.confirm", data=f'{{"authenticationToken": "{token}"}}',
                  headers={"Content-Type": "text/plain"})
    komet.request("POST", "/api/login", data="username=admin%40x.example&password=komet123",
                  headers={"Content-Type": "text/plain"})
    journal = str(komet.journal())
    assert token not in journal and "komet123" not in journal


def test_the_journal_never_holds_an_api_key_from_login(komet, seeded):
    user = seeded["users"][0]
    key = komet.api("login", username=user["username"], password=user["password"])["apiKey"]
    journal = str(komet.journal())
    assert key not in journal and user["password"] not in journal


def test_clearing_the_journal_empties_it(komet, kit):
    komet.api("boxtype.list", kit.company_token)
    assert komet.journal()["entries"]
    komet.request("DELETE", "/__sim/journal")
    assert komet.journal()["entries"] == []


# --- importer actions -------------------------------------------------------------------------------------

def test_the_importer_creates_a_pending_approval_po_and_approves_it(komet, kit, vendor, seeded):
    po = komet.create_purchase_order(vendorId=vendor["id"], shipDate=seeded["shipDates"][0],
                                     lines=[{"productCode": kit.product_code(), "boxTypeCode": "QB", "boxes": 2}])
    assert po["status"] == "PA" and po["details"][0]["lineItemStatus"] == "P"
    assert komet.approve(po["id"])["status"] == "A"


def test_approving_twice_is_a_conflict(komet, kit, seeded):
    po = seeded["purchaseOrders"][0]
    resp = komet.request("POST", f"/__sim/komet/purchase-orders/{po['id']}/approve")
    assert resp.status_code == 409


def test_cancelling_a_po_cancels_its_lines(komet, kit, seeded):
    po = seeded["purchaseOrders"][0]
    cancelled = komet.cancel(po["id"])
    assert cancelled["status"] == "CA" and {d["lineItemStatus"] for d in cancelled["details"]} == {"X"}


def test_a_po_with_shipped_lines_cannot_be_cancelled(komet, kit):
    line = kit.confirmed_line()
    kit.ship(line)
    assert komet.request("POST", f"/__sim/komet/purchase-orders/{line['poId']}/cancel").status_code == 409


def test_the_importer_adds_and_changes_lines(komet, kit, seeded):
    po = seeded["purchaseOrders"][0]
    added = komet.add_line(po["id"], productCode=kit.product_code(), boxTypeCode="HB", boxes=4)
    new = added["details"][-1]
    assert (new["totalBoxes"], new["lineItemStatus"]) == (4, "P")
    kit.confirm({"poItemId": new["poItemId"], "totalBoxes": 4})
    changed = komet.change_line(new["poItemId"], totalBoxes=6, notes="more")
    line = [d for d in changed["details"] if d["poItemId"] == new["poItemId"]][0]
    assert (line["totalBoxes"], line["quantityConfirmed"], line["lineItemStatus"], line["notes"]) == (6, 0, "P",
                                                                                                       "more")


def test_line_changes_refuse_bad_values(komet, seeded):
    item = seeded["purchaseOrders"][0]["poItemIds"][0]
    before = komet.state()
    for body, field in [({"totalBoxes": 0}, "totalBoxes"), ({"colour": "red"}, "colour"), ({"unitCost": -1}, "unitCost"),
                        ({"totalBoxes": 10**30}, "totalBoxes"), ({"notes": ["x"]}, "notes")]:
        resp = komet.request("PATCH", f"/__sim/komet/lines/{item}", json=body)
        assert resp.status_code == 400 and resp.json()["error"]["field"] == field, body
    assert komet.state() == before


def test_importer_po_creation_refuses_bad_input(komet, vendor, seeded):
    resp = komet.request("POST", "/__sim/komet/purchase-orders", json={"vendorId": vendor["id"],
                                                                        "shipDate": "someday", "lines": []})
    assert resp.status_code == 400
    resp = komet.request("POST", "/__sim/komet/purchase-orders", json={"vendorId": 1, "shipDate": "2026-11-27",
                                                                        "lines": [{"productId": 1}]})
    assert resp.status_code in (400, 404)


def test_the_importer_receives_boxes_and_reads_in_transit(komet, kit):
    codes = kit.shipped_boxes(count=2)
    assert komet.in_transit()["inTransitBoxes"] == 2
    results = komet.receive([codes[0], "NOPE"], position="C3")["results"]
    assert results == [{"boxCode": codes[0], "status": "received"},
                       {"boxCode": "NOPE", "status": "refused", "message": "Box code does not exist"}]
    view = komet.in_transit()
    assert view["inTransitBoxes"] == 1 and view["awbs"][0]["piecesReceived"] == 1


def test_the_importer_lists_awbs_with_boxes(komet, kit):
    codes = kit.shipped_boxes(count=2)
    awbs = komet.awbs()
    assert [b["code"] for b in awbs[0]["boxes"]] == codes


def test_importer_actions_refuse_bad_bodies(komet):
    before = komet.state()
    for verb, path, body in [("POST", "/__sim/komet/boxes/receive", {"boxCodes": []}),
                             ("POST", "/__sim/komet/boxes/receive", {"boxCodes": ["A"], "position": "RACK1"}),
                             ("PATCH", "/__sim/komet/products/10001", {"unknown": "yes"}),
                             ("POST", "/__sim/komet/purchase-orders/500001/lines", {"boxes": 1})]:
        assert komet.request(verb, path, json=body).status_code == 400, (path, body)
    assert komet.state() == before


def test_importer_ids_too_large_for_any_row_are_refused_not_crashed(komet):
    for verb, path in [("GET", "/__sim/komet/purchase-orders/99999999999999999999999"),
                       ("PATCH", "/__sim/komet/lines/99999999999999999999999"),
                       ("DELETE", "/__sim/komet/tokens/99999999999999999999999")]:
        resp = komet.request(verb, path, json={"notes": "x"})
        assert resp.status_code in (400, 404), (path, resp.status_code)


def test_a_control_plane_body_that_is_not_json_is_400(komet):
    resp = komet.request("POST", "/__sim/seed", data="{nope", headers={"Content-Type": "application/json"})
    assert resp.status_code == 400 and resp.json()["error"]["field"] == "body"


def test_an_unknown_control_route_is_json_404(komet):
    resp = komet.request("GET", "/__sim/nothing")
    assert resp.status_code == 404 and resp.headers["Content-Type"].startswith("application/json")


# --- bad input on the importer's JSON never gives a 500 --------------------------------------------------

ODD = [None, "", -1, 0, 2**63, 10**30, 1.5, True, [1], {"a": 1}, "x" * 300, "2026-02-30", "\u0000"]
_LINE = {"productCode": "CSRED23", "boxTypeCode": "HB", "boxes": 2}
IMPORTER_BODIES = [
    ("POST", "/__sim/komet/purchase-orders", {"vendorId": 3401, "shipDate": "2026-11-27", "lines": [_LINE]}),
    ("POST", "/__sim/komet/purchase-orders/500001/lines",
     {**_LINE, "productId": 10001, "productDescription": "x", "boxTypeId": 1056, "unitType": "Stem", "bunches": 1,
      "stemsBunch": 1, "units": 1, "cost": 1, "unitCost": 1, "markCode": "M", "notes": "n", "customerId": 23401,
      "prebookItemId": 1, "breakdowns": [], "orderType": "P", "carrierId": 1360}),
    ("PATCH", "/__sim/komet/lines/265001", {"totalBoxes": 2, "notes": "n", "unitCost": 1, "markCode": "M"}),
    ("POST", "/__sim/komet/tokens", {"type": "Company", "vendorId": 3401, "customerId": 23401, "description": "x",
                                     "methods": "all"}),
    ("PATCH", "/__sim/komet/company", {"paidUsers": 1, "quotaPerUser": 1, "profile": "strict"}),
    ("POST", "/__sim/komet/boxes/receive", {"boxCodes": ["A"], "position": "A1"}),
    ("POST", "/__sim/clock", {"advance": "1h", "set": "2026-11-26T06:00:00", "running": False}),
    ("POST", "/__sim/faults", {"kind": "latency", "delay": "1ms", "route": "/nothing", "method": "x",
                               "httpMethod": "GET", "namespace": "1", "times": 1, "probability": 1, "status": 500,
                               "jitter": "1ms", "retryAfter": 1, "description": "d"}),
]


@pytest.mark.parametrize("verb, path, body", IMPORTER_BODIES, ids=[f"{v} {p}" for v, p, _ in IMPORTER_BODIES])
def test_odd_values_in_importer_bodies_never_give_a_500(komet_local, verb, path, body):
    for field in body:
        for value in ODD:
            resp = komet_local.request(verb, path, json={**body, field: value})
            assert resp.status_code < 500, (field, value, resp.text)
            if resp.status_code < 300 and path == "/__sim/faults":
                komet_local.clear_faults()  # a fault that fired on the next call would hide what it answers


def test_odd_values_in_seed_options_never_give_a_500(komet_local):
    for field in ("seed", "vendors", "customers", "products", "shipDays", "posPerDay", "linesPerPo", "paidUsers",
                  "firstShipDay", "reset", "profile", "quotaPerUser", "companyName"):
        for value in ODD:
            small = {"seed": 1, "vendors": 1, "customers": 1, "products": 1, "shipDays": 1, "posPerDay": 1}
            resp = komet_local.request("POST", "/__sim/seed", json={**small, field: value})
            assert resp.status_code < 500, (field, value, resp.text)
