"""The /__sim control plane on Komet (docs/control-plane.md) and the importer's JSON actions under /__sim/komet."""

from __future__ import annotations

import re

import pytest
import requests

from simkit import __version__

# --- health, seed, tokens: the contract shapes ------------------------------------------------------------


def test_health_names_the_app_and_version(komet):
    assert komet.health() == {"status": "ok", "app": "komet", "version": __version__, "ready": True}


def test_seed_answers_the_contract_shape(komet):
    made = komet.seed(seed=3)
    assert isinstance(made["companyId"], int)
    assert made["vendors"] and all(set(v) >= {"id", "name", "code"} for v in made["vendors"])
    assert all(
        isinstance(v["id"], int) and isinstance(v["name"], str) and isinstance(v["code"], str)
        for v in made["vendors"]
    )
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


BAD_SEEDS = [
    ({"vendors": 0}, "vendors"),
    ({"vendors": "3"}, "vendors"),
    ({"posPerDay": 501}, "posPerDay"),
    ({"seed": "x"}, "seed"),
    ({"profile": "lenient"}, "profile"),
    ({"reset": "no"}, "reset"),
    ({"quotaPerUser": 0}, "quotaPerUser"),
    ({"colour": "red"}, "colour"),
    ({"companyName": "N" * 101}, "companyName"),
    ({"shipDays": 60, "posPerDay": 500, "linesPerPo": 50}, "linesPerPo"),  # 1.5 million lines
]


def test_seed_refuses_bad_options_naming_them(komet):
    before = komet.state()
    for body, field in BAD_SEEDS:
        resp = komet.request("POST", "/__sim/seed", json=body)
        assert resp.status_code == 400 and resp.json()["error"]["field"] == field, body
    assert komet.state() == before


def test_seed_lines_are_bounded_by_their_product_not_only_each_size(komet):
    resp = komet.request("POST", "/__sim/seed", json={"shipDays": 10, "posPerDay": 50, "linesPerPo": 41})
    assert resp.status_code == 400
    assert "20500 lines" in resp.json()["error"]["message"]


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
        "purchase.order.list",
        "purchase.order.item.confirm",
        "purchase.order.item.awb.add",
        "purchase.order.items.awb.add",
        "box.code.change",
        "purchase.order.item.delete",
        "purchase.order.create",
        "boxtype.list",
        "product.list",
        "carrier.list",
        "customer.list",
        "vendor.list",
        "location.list",
    }


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
    for body, field in [
        ({"profile": "loose"}, "profile"),
        ({"paidUsers": 0}, "paidUsers"),
        ({"name": "X"}, "name"),
        ({"quotaPerUser": True}, "quotaPerUser"),
    ]:
        resp = komet.request("PATCH", "/__sim/komet/company", json=body)
        assert resp.status_code == 400 and resp.json()["error"]["field"] == field, body
    assert komet.company() == before


def test_with_two_companies_the_importer_must_say_which(komet, seeded):
    second = komet.seed(seed=8, reset=False)
    resp = komet.request("GET", "/__sim/komet/company")
    assert resp.status_code == 400 and resp.json()["error"]["field"] == "namespace"
    picked = komet.json("GET", "/__sim/komet/company", params={"namespace": second["companyId"]})
    assert picked["companyId"] == second["companyId"]
    by_header = komet.json(
        "GET", "/__sim/komet/company", headers={"X-Kasim-Namespace": str(seeded["companyId"])}
    )
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
    for body in (
        {},
        {"advance": "soon"},
        {"set": "tomorrow"},
        {"advance": "1h", "speed": 2},
        {"running": "yes"},
        {"advance": True},
        [1],
    ):
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
        resp = komet.api_response(
            "purchase.order.item.confirm", kit.company_token, poItemId=line, quantityConfirmed=1
        )
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
    other = komet.json(
        "POST",
        "/__sim/komet/tokens",
        {"type": "Company", "methods": "all", "description": "b"},
        params={"namespace": second["companyId"]},
    )["token"]
    komet.add_fault(kind="error", namespace=str(seeded["companyId"]), method="boxtype.list")
    assert komet.api_response("boxtype.list", token).status_code == 500
    assert komet.api_response("boxtype.list", other).status_code == 200


def test_a_lost_response_is_processed_but_never_answered(komet, kit):
    line = kit.new_line(boxes=2)
    komet.add_fault(kind="lost_response", method="purchase.order.item.confirm", times=1)
    with pytest.raises(requests.exceptions.ConnectionError):
        komet.api(
            "purchase.order.item.confirm", kit.company_token, poItemId=line["poItemId"], quantityConfirmed=2
        )
    assert kit.line(line["poItemId"])["quantityConfirmed"] == 2


def test_a_duplicate_delivery_processes_the_request_twice(komet, kit):
    line = kit.new_line(boxes=2)
    kit.confirm(line)
    komet.add_fault(kind="duplicate", method="purchase.order.item.awb.add", times=1)
    reply = kit.ship(line, ["DUP1", "DUP2"])
    assert reply["boxCodes"] == ["DUP1", "DUP2"]
    entry = next(e for e in komet.journal()["entries"] if e.get("fault") == "duplicate")
    assert (
        entry["duplicate"]["body"]["message"]
        == f"Purchase order item {line['poItemId']} has already been shipped."
    )


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
    for body, field in [
        ({"kind": "explode"}, "kind"),
        ({"kind": "error", "status": 200}, "status"),
        ({"kind": "latency"}, "delay"),
        ({"kind": "error", "times": 0}, "times"),
        ({"kind": "error", "probability": 1.5}, "probability"),
        ({"kind": "error", "when": "now"}, "when"),
        ({"faults": {"kind": "error"}}, "faults"),
    ]:
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
    komet.request(
        "POST",
        "/api/purchase.order.item.confirm",
        data=f'{{"authenticationToken": "{token}", "poI',
        headers={"Content-Type": "application/json"},
    )
    komet.request(
        "POST",
        "/api/purchase.order.item.confirm",
        data=f'{{"authenticationToken": "{token}"}}',
        headers={"Content-Type": "text/plain"},
    )
    komet.request(
        "POST",
        "/api/login",
        data="username=admin%40x.example&password=komet123",
        headers={"Content-Type": "text/plain"},
    )
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
