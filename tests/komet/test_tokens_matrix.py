"""The token matrix (K4): every method x token type x enabled-or-not, in both profiles.

The expectation is written out from the docs' table (docs/komet-api.md §1.8), not read from the code:
- a method not ticked on the token is refused, whatever the type;
- Company tokens may call every method;
- Vendor tokens may call every ticked method in the `documented` profile, and only the methods the docs
  list for Vendor tokens in the `strict` profile;
- Customer tokens may call none of these methods (the docs list Customer for none of them).
An accepted call really goes through (a success reply); a refused one changes nothing.
"""

from __future__ import annotations

import itertools

import pytest

from harness.clients import KometSimClient
from komet_sim import create_app

from .kometkit import Kit, awb_for, refusal

DOCS_VENDOR_METHODS = {
    "purchase.order.list",
    "purchase.order.item.awb.add",
    "purchase.order.items.awb.add",
    "purchase.order.item.delete",
    "purchase.order.create",
    "box.code.change",
    "boxtype.list",
    "product.list",
    "carrier.list",
    "customer.list",
}
DOCS_COMPANY_ONLY = {
    "purchase.order.item.confirm",
    "vendor.list",
    "location.list",
    "awb.list",
    "awb.details.list",
    "box.warehouse.receive",
}
METHODS = sorted(DOCS_VENDOR_METHODS | DOCS_COMPANY_ONLY)
TYPES = ("Company", "Vendor", "Customer")
_codes = itertools.count(1)


def expected_accepted(profile: str, token_type: str, method: str) -> bool:
    if token_type == "Company":
        return True
    if token_type == "Vendor":
        return profile == "documented" or method in DOCS_VENDOR_METHODS
    return False


@pytest.fixture(scope="module")
def worlds():
    """One seeded world per profile, shared by the matrix (every case makes its own token and data)."""
    made = {}

    def get(profile: str):
        if profile not in made:
            app = create_app({"seed": 7, "seed_world": {"seed": 7, "profile": profile}})
            client = KometSimClient("http://komet.test", app=app)
            made[profile] = (client, Kit(client, app.extensions["kasim.seeded"]))
        return made[profile]

    return get


def _shipped_box(kit: Kit, vendor_id: int) -> str:
    line = kit.new_line(vendor_id, boxes=1)
    kit.confirm(line)
    code = f"MX{next(_codes)}"
    kit.ship(line, [code])
    return code


def probe(kit: Kit, method: str, vendor_id: int) -> dict:
    """Parameters of a call to `method` that succeeds for a caller who owns `vendor_id`'s data."""
    day = kit.seeded["shipDates"][0]
    if method in ("purchase.order.item.confirm", "purchase.order.item.delete"):
        line = kit.new_line(vendor_id, boxes=2)
        return {"poItemId": line["poItemId"], **({"quantityConfirmed": 1} if "confirm" in method else {})}
    if method in ("purchase.order.item.awb.add", "purchase.order.items.awb.add"):
        line = kit.new_line(vendor_id, boxes=1)
        kit.confirm(line)
        item = {"poItemId": line["poItemId"], "awb": awb_for(day), "shipDate": day}
        return item if method == "purchase.order.item.awb.add" else {"poItems": [item], "vendorId": vendor_id}
    if method == "purchase.order.create":
        return {
            "shipDate": day,
            "vendorId": vendor_id,
            "purchaseOrderItems": [{"productCode": kit.product_code(), "boxTypeCode": "QB", "boxes": 1}],
        }
    if method == "box.code.change":
        return {
            "boxes": [{"currentBoxCode": _shipped_box(kit, vendor_id), "newBoxCode": f"MXN{next(_codes)}"}]
        }
    if method == "box.warehouse.receive":
        return {"boxCode": _shipped_box(kit, vendor_id)}
    if method in ("purchase.order.list",):
        return {"date": day}
    if method in ("awb.list", "awb.details.list"):
        return {"shipDate": day}
    return {}


def _token(kit: Kit, token_type: str, method: str, enabled: bool) -> tuple[str, int]:
    """A token of the type with `method` ticked (or every method but it); and the vendor whose data it may use."""
    methods = [method] if enabled else [m for m in METHODS if m != method]
    vendor = kit.seeded["vendors"][0]["id"]
    body = {"type": token_type, "description": f"matrix {token_type} {method}", "methods": methods}
    if token_type == "Vendor":
        body["vendorId"] = vendor
    if token_type == "Customer":
        body["customerId"] = kit.seeded["customers"][0]["id"]
    return kit.komet.json("POST", "/__sim/komet/tokens", body)["token"], vendor


@pytest.mark.parametrize("profile", ["documented", "strict"])
@pytest.mark.parametrize("token_type", TYPES)
@pytest.mark.parametrize("method", METHODS)
def test_a_method_ticked_on_the_token_is_accepted_or_refused_as_k4_says(worlds, profile, token_type, method):
    komet, kit = worlds(profile)
    token, vendor = _token(kit, token_type, method, enabled=True)
    params = probe(kit, method, vendor)
    if expected_accepted(profile, token_type, method):
        reply = komet.api(method, token, **params)
        assert str(reply["status"]) == "1", reply
    else:
        with kit.unchanged():
            reply = komet.api(method, token, **params)
        assert reply == refusal("token_type_refused", method=method, type=token_type)


@pytest.mark.parametrize("profile", ["documented", "strict"])
@pytest.mark.parametrize("token_type", TYPES)
@pytest.mark.parametrize("method", METHODS)
def test_a_method_not_ticked_on_the_token_is_refused(worlds, profile, token_type, method):
    komet, kit = worlds(profile)
    token, vendor = _token(kit, token_type, method, enabled=False)
    params = probe(kit, method, vendor)
    with kit.unchanged():
        reply = komet.api(method, token, **params)
    assert reply == refusal("method_not_enabled", method=method)


def test_the_matrix_covers_every_method_a_token_can_carry():
    from komet_sim.methods import TOKEN_METHODS

    assert set(METHODS) == set(TOKEN_METHODS)


@pytest.mark.parametrize("profile", ["documented", "strict"])
def test_an_asinfo_preset_vendor_token_confirms_only_in_the_documented_profile(worlds, profile):
    """The preset ticks confirm (the ASINFO flow needs it); strict still refuses it, as the docs' letter says."""
    komet, kit = worlds(profile)
    vendor = kit.seeded["vendors"][1]["id"]
    token = komet.create_token(type="Vendor", vendor_id=vendor, methods="asinfo")["token"]
    line = kit.new_line(vendor, boxes=1)
    reply = komet.api("purchase.order.item.confirm", token, poItemId=line["poItemId"], quantityConfirmed=1)
    if profile == "documented":
        assert reply == {"status": "1", "message": "OK"}
    else:
        assert reply == refusal("token_type_refused", method="purchase.order.item.confirm", type="Vendor")


def test_switching_the_company_to_strict_takes_effect_at_once(komet_local, kit_local, vendor):
    token = kit_local.vendor_token(vendor["id"])
    assert komet_local.api("vendor.list", token)["status"] == "1"
    komet_local.json("PATCH", "/__sim/komet/company", {"profile": "strict"})
    assert komet_local.api("vendor.list", token) == refusal(
        "token_type_refused", method="vendor.list", type="Vendor"
    )
    komet_local.json("PATCH", "/__sim/komet/company", {"profile": "documented"})
    assert komet_local.api("vendor.list", token)["status"] == "1"


# K2: a success's `status` is typed as the method's published sample shows it (the AWB-add family and the AWB
# lists answer numbers, the rest strings); refusals are always the string "0".
SAMPLE_STATUS_IS_NUMBER = {
    "purchase.order.item.awb.add",
    "purchase.order.items.awb.add",
    "awb.list",
    "awb.details.list",
}


@pytest.mark.parametrize("method", METHODS)
def test_a_success_status_is_typed_as_the_methods_sample(worlds, method):
    from komet_sim.methods import METHODS, NUMBER

    komet, kit = worlds("documented")
    token, vendor = _token(kit, "Company", method, enabled=True)
    reply = komet.api(method, token, **probe(kit, method, vendor))
    expected = 1 if method in SAMPLE_STATUS_IS_NUMBER else "1"
    assert reply["status"] == expected and type(reply["status"]) is type(expected), reply
    assert (METHODS[method].status == NUMBER) == (method in SAMPLE_STATUS_IS_NUMBER)


@pytest.mark.parametrize("method", METHODS)
def test_a_refusal_status_is_always_the_string_zero(worlds, method):
    komet, kit = worlds("documented")
    token, _vendor = _token(kit, "Company", method, enabled=False)
    reply = komet.api(method, token)
    assert reply["status"] == "0" and isinstance(reply["status"], str)
