"""Transport (K1) and envelope (K2, K3): verbs, unknown methods, bodies of every shape, never a 500."""

from __future__ import annotations

import json

import pytest
import requests

from komet_sim.methods import METHODS
from simkit.server import ServerThread

from .kometkit import refusal

POST_METHODS = sorted(name for name, m in METHODS.items() if m.verb == "POST")
GET_METHODS = sorted(name for name, m in METHODS.items() if m.verb == "GET")


def _post_raw(komet, method: str, data, content_type: str = "application/json"):
    return komet.request("POST", f"/api/{method}", data=data, headers={"Content-Type": content_type})


# --- verbs and methods --------------------------------------------------------------------------------


def test_a_post_method_called_with_get_is_405_with_the_envelope(komet, kit):
    with kit.unchanged():
        for method in POST_METHODS:
            resp = komet.request("GET", f"/api/{method}", params={"authenticationToken": kit.company_token})
            assert resp.status_code == 405, method
            assert resp.headers["Content-Type"].startswith("application/json")
            assert resp.json() == refusal("wrong_verb", method=method, verb="POST")


def test_a_get_method_called_with_post_is_405_with_the_envelope(komet, kit):
    with kit.unchanged():
        for method in GET_METHODS:
            resp = komet.request("POST", f"/api/{method}", json={"authenticationToken": kit.company_token})
            assert resp.status_code == 405, method
            assert resp.json() == refusal("wrong_verb", method=method, verb="GET")


def test_other_verbs_are_405_with_the_envelope(komet):
    for verb in ("PUT", "PATCH", "DELETE"):
        resp = komet.request(verb, "/api/purchase.order.item.confirm")
        assert resp.status_code == 405, verb
        assert resp.json() == refusal("wrong_verb", method="purchase.order.item.confirm", verb="POST")


def test_a_405_says_which_verb_is_allowed(komet):
    resp = komet.request("GET", "/api/purchase.order.item.confirm")
    assert resp.headers["Allow"] == "POST"


def test_an_unknown_method_is_404_method_not_found(komet):
    for path in (
        "/api/purchase.order.lst",
        "/api/purchase.order.list.v2",
        "/api/",
        "/api/PURCHASE.ORDER.LIST",
    ):
        resp = komet.request("GET", path)
        assert resp.status_code == 404, path
        assert resp.json() == {"status": "0", "message": "Method not found."}


def test_an_unknown_method_is_404_whatever_the_verb(komet):
    resp = komet.request("POST", "/api/box.move.anywhere", json={})
    assert (resp.status_code, resp.json()) == (404, {"status": "0", "message": "Method not found."})


@pytest.mark.parametrize(
    ("method", "verb"),
    [("prebook.create", "POST"), ("invoice.list", "GET"), ("box.move.awb", "GET"), ("inventory.add", "GET")],
)
def test_a_komet_method_kasim_does_not_simulate_says_so(komet, kit, method, verb):
    with kit.unchanged():
        resp = komet.request(verb, f"/api/{method}", params={"authenticationToken": kit.company_token})
    assert resp.status_code == 200
    assert resp.json() == {
        "status": "0",
        "message": f"{method} exists in Komet but is not simulated by kasim.",
    }


# --- tokens -------------------------------------------------------------------------------------------


def test_a_call_without_a_token_is_refused(komet, kit, seeded):
    with kit.unchanged():
        reply = komet.api("purchase.order.list", date=seeded["shipDates"][0])
    assert reply == refusal("missing_param", name="authenticationToken")


def test_an_unknown_token_is_refused(komet, kit, seeded):
    with kit.unchanged():
        for token in ("x" * 26, "QCZ9IB308J6M6MP6136GV24MBY", " ", "1"):
            reply = komet.api("purchase.order.list", token, date=seeded["shipDates"][0])
            assert reply == {"status": "0", "message": "Invalid authentication token."}, token


def test_a_token_in_another_case_is_refused(komet, kit, seeded):
    with kit.unchanged():
        reply = komet.api("purchase.order.list", kit.company_token.upper(), date=seeded["shipDates"][0])
    assert reply == refusal("invalid_token")


def test_a_token_that_is_not_a_string_is_refused(komet, kit):
    with kit.unchanged():
        for token in (12345, ["abc"], {"t": 1}, True):
            assert komet.api("purchase.order.item.delete", token, poItemId=265001) == refusal(
                "invalid_token"
            ), token


def test_a_deleted_token_fails_at_once(komet, kit, seeded, vendor):
    made = komet.create_token(type="Vendor", vendor_id=vendor["id"])
    assert komet.api("purchase.order.list", made["token"], date=seeded["shipDates"][0])["status"] == "1"
    komet.delete_token(made["id"])
    assert komet.api("purchase.order.list", made["token"], date=seeded["shipDates"][0]) == refusal(
        "invalid_token"
    )


def test_a_second_token_for_a_vendor_replaces_the_first(komet, seeded, vendor):
    first = komet.create_token(type="Vendor", vendor_id=vendor["id"])
    second = komet.create_token(type="Vendor", vendor_id=vendor["id"])
    assert second["replaced"] == first["id"]
    assert komet.api("purchase.order.list", first["token"], date=seeded["shipDates"][0]) == refusal(
        "invalid_token"
    )
    assert komet.api("purchase.order.list", second["token"], date=seeded["shipDates"][0])["status"] == "1"


# --- bodies -------------------------------------------------------------------------------------------


def test_malformed_json_is_refused(komet, kit):
    with kit.unchanged():
        for data in ('{"poItemId": 1,', "{'poItemId': 1}", "poItemId=1", "\x00\x01", "{"):
            resp = _post_raw(komet, "purchase.order.item.confirm", data)
            assert (resp.status_code, resp.json()) == (200, refusal("malformed_json")), data


def test_a_body_that_is_not_utf8_is_malformed(komet, kit):
    with kit.unchanged():
        resp = _post_raw(komet, "purchase.order.item.confirm", b'{"poItemId": "\xff\xfe"}')
    assert resp.json() == refusal("malformed_json")


def test_a_json_body_that_is_not_an_object_is_refused(komet, kit):
    with kit.unchanged():
        for data in ("[]", "[{}]", '"text"', "42", "null", "true"):
            assert _post_raw(komet, "purchase.order.item.confirm", data).json() == refusal(
                "body_not_object"
            ), data


def test_an_empty_body_falls_back_to_the_query_string(komet, kit):
    with kit.unchanged():
        resp = komet.request(
            "POST", "/api/purchase.order.item.confirm", params={"authenticationToken": kit.company_token}
        )
    assert resp.json() == refusal("missing_param", name="poItemId")


def test_the_body_wins_over_the_query_string(komet, kit):
    line = kit.new_line(boxes=5)
    resp = komet.request(
        "POST",
        "/api/purchase.order.item.confirm",
        params={"authenticationToken": "wrong", "quantityConfirmed": 5},
        json={"authenticationToken": kit.company_token, "poItemId": line["poItemId"], "quantityConfirmed": 2},
    )
    assert resp.json() == {"status": "1", "message": "OK"}
    assert kit.line(line["poItemId"])["quantityConfirmed"] == 2


def test_query_and_body_parameters_combine(komet, kit):
    line = kit.new_line(boxes=5)
    resp = komet.request(
        "POST",
        "/api/purchase.order.item.confirm",
        params={"authenticationToken": kit.company_token, "poItemId": line["poItemId"]},
        json={"quantityConfirmed": 3},
    )
    assert resp.json() == {"status": "1", "message": "OK"}


def test_json_is_read_whatever_the_content_type_says(komet, kit):
    line = kit.new_line(boxes=5)
    body = json.dumps(
        {"authenticationToken": kit.company_token, "poItemId": line["poItemId"], "quantityConfirmed": 1}
    )
    assert _post_raw(komet, "purchase.order.item.confirm", body, "text/plain").json()["status"] == "1"


def test_a_get_method_ignores_a_body(komet, kit, seeded):
    resp = komet.request(
        "GET", "/api/boxtype.list", params={"authenticationToken": kit.company_token}, data="{not json"
    )
    assert resp.json()["status"] == "1"


def test_replies_are_json_objects_with_status_and_message(komet, kit):
    resp = komet.request("GET", "/api/boxtype.list", params={"authenticationToken": kit.company_token})
    assert resp.status_code == 200 and resp.headers["Content-Type"].startswith("application/json")
    assert list(resp.json())[:2] == ["status", "message"]


def test_non_ascii_text_round_trips(komet, kit, vendor, seeded):
    made = komet.api(
        "purchase.order.create",
        kit.company_token,
        shipDate=seeded["shipDates"][0],
        vendorId=vendor["id"],
        purchaseOrderItems=[
            {
                "productCode": kit.product_code(),
                "boxTypeCode": "HB",
                "boxes": 1,
                "notes": "Frío 2–4 °C, niño ñandú",
            }
        ],
    )
    assert kit.line(made["purchaseOrderItemIds"][0])["notes"] == "Frío 2–4 °C, niño ñandú"


# --- bad input never gives a 500 ---------------------------------------------------------------------

ODD_VALUES = [
    None,
    "",
    -1,
    2**63,
    10**25,
    1.5,
    float("1e308"),
    True,
    [1, "a"],
    {"a": 1},
    "x" * 300,
    "1'; DROP TABLE po_items; --",
    "%_",
    "\u202e\u0000",
    "2026-02-30",
]


@pytest.mark.parametrize("method", sorted(METHODS))
def test_odd_values_in_every_parameter_never_give_a_500(komet_local, kit_local, method):
    names = [p.name for p in METHODS[method].params] + ["authenticationToken"]
    for name in names:
        for value in ODD_VALUES:
            params = {"authenticationToken": kit_local.company_token, name: value}
            if METHODS[method].verb == "GET" and isinstance(value, list | dict):
                continue  # a query string cannot carry them
            resp = komet_local.api_response(method, None, **params)
            assert resp.status_code == 200, (method, name, value, resp.text)
            assert resp.json()["status"] in ("0", "1", 0, 1)


def test_a_chunked_body_over_a_socket_is_read(komet_app, kit_local):
    """Clients that stream their body (Transfer-Encoding: chunked, no Content-Length) are served too."""
    line = kit_local.new_line(boxes=4)
    body = json.dumps(
        {"authenticationToken": kit_local.company_token, "poItemId": line["poItemId"], "quantityConfirmed": 4}
    ).encode()
    with ServerThread(komet_app) as server:
        resp = requests.post(
            f"{server.url}/api/purchase.order.item.confirm",
            data=iter([body[:20], body[20:]]),
            headers={"Content-Type": "application/json"},
            timeout=10,
        )
    assert resp.request.headers.get("Transfer-Encoding") == "chunked"
    assert resp.json() == {"status": "1", "message": "OK"}
    assert kit_local.line(line["poItemId"])["quantityConfirmed"] == 4
