"""Master data lists (docs/komet-api.md B1-B6) and login (docs/komet-api.md B7): sample replies, typed as
each sample shows them (K2), and their filters (ids and codes exact, names LIKE, all case-insensitive)."""

from __future__ import annotations

import re

import pytest

from .kometkit import patch_rows, refusal

NUM = (int, float)


# An empty list says so, as purchase.order.list's documented "Orders not found." does (docs/decisions.md
# K21); products and box types as independent clients of the real service expect.
EMPTY = {
    "boxtype.list": "Boxtype not found.",
    "product.list": "Products not found.",
    "vendor.list": "Vendors not found.",
    "carrier.list": "Carriers not found.",
    "location.list": "Locations not found.",
    "customer.list": "Customers not found.",
}


def _list(komet, kit, method: str, key: str, token: str | None = None, **filters) -> list[dict]:
    reply = komet.api(method, token or kit.company_token, **filters)
    assert reply["status"] == "1", reply
    assert reply["message"] == ("OK" if reply[key] else EMPTY[method]), reply
    return reply[key]


@pytest.mark.parametrize(
    ("method", "key"),
    [
        ("boxtype.list", "boxtypes"),
        ("product.list", "products"),
        ("vendor.list", "vendors"),
        ("carrier.list", "carriers"),
        ("location.list", "locations"),
        ("customer.list", "customers"),
    ],
)
def test_an_empty_master_data_list_says_not_found_with_an_empty_array(komet, kit, method, key):
    reply = komet.api(method, kit.company_token, id=987654321)
    assert reply == {"status": "1", "message": EMPTY[method], key: []}


def _types(rows: list[dict], types: dict) -> None:
    assert rows
    for row in rows:
        for key, kind in types.items():
            assert isinstance(row[key], kind), (key, row[key])


# --- boxtype.list --------------------------------------------------------------------------------------


def test_boxtype_list_sample_has_numeric_ids_and_fbe(komet, kit):
    rows = _list(komet, kit, "boxtype.list", "boxtypes")
    assert {r["code"]: r["fbe"] for r in rows} == {"EB": 0.125, "FB": 1, "HB": 0.5, "QB": 0.25}
    _types(rows, {"id": int, "code": str, "kometNetworkName": str, "kometNetworkId": int, "fbe": NUM})
    assert all(set(r) == {"id", "code", "kometNetworkName", "kometNetworkId", "fbe"} for r in rows)


def test_boxtype_list_is_ordered_by_code(komet, kit):
    codes = [r["code"] for r in _list(komet, kit, "boxtype.list", "boxtypes")]
    assert codes == sorted(codes)


def test_boxtype_list_filters_by_code_case_insensitively(komet, kit):
    assert [r["code"] for r in _list(komet, kit, "boxtype.list", "boxtypes", code="hb")] == ["HB"]


def test_boxtype_list_filters_by_id(komet, kit):
    hb = _list(komet, kit, "boxtype.list", "boxtypes", code="HB")[0]
    assert _list(komet, kit, "boxtype.list", "boxtypes", id=hb["id"]) == [hb]


def test_boxtype_code_longer_than_three_characters_is_refused(komet, kit):
    with kit.unchanged():
        reply = komet.api("boxtype.list", kit.company_token, code="HALF")
    assert reply == refusal("invalid_param", name="code", reason="at most 3 characters")


# --- product.list --------------------------------------------------------------------------------------


def test_product_list_sample_quotes_ids(komet, kit):
    rows = _list(komet, kit, "product.list", "products")
    _types(
        rows,
        {
            "id": str,
            "description": str,
            "active": int,
            "category": str,
            "divisionId": str,
            "divisionDescription": str,
            "variety": str,
            "color": str,
            "grade": str,
            "legacyCode": str,
            "tags": str,
        },
    )
    assert all(r["id"].isdigit() for r in rows)


def test_product_list_is_ordered_by_description(komet, kit):
    names = [r["description"] for r in _list(komet, kit, "product.list", "products")]
    assert names == sorted(names)


def test_product_list_description_is_a_case_insensitive_like(komet, kit):
    everything = _list(komet, kit, "product.list", "products")
    word = everything[0]["description"].split()[0].lower()
    got = _list(komet, kit, "product.list", "products", description=word)
    assert got == [r for r in everything if word in r["description"].lower()]
    assert 0 < len(got) < len(everything)


def test_product_list_filters_by_legacy_code_and_id(komet, kit):
    one = _list(komet, kit, "product.list", "products")[3]
    assert _list(komet, kit, "product.list", "products", legacyCode=one["legacyCode"].lower()) == [one]
    assert _list(komet, kit, "product.list", "products", id=one["id"]) == [one]


def test_product_list_leaves_out_unknown_products(komet, kit):
    one = _list(komet, kit, "product.list", "products")[0]
    komet.json("PATCH", f"/__sim/komet/products/{one['id']}", {"unknown": True})
    assert one not in _list(komet, kit, "product.list", "products")


# --- vendor.list ---------------------------------------------------------------------------------------


def test_vendor_list_sample_quotes_ids(komet, kit, seeded):
    rows = _list(komet, kit, "vendor.list", "vendors")
    _types(rows, {"id": str, "name": str, "code": str, "portOrigin": str, "active": int})
    assert sorted(int(r["id"]) for r in rows) == sorted(v["id"] for v in seeded["vendors"])


def test_vendor_list_filters_by_name_like_and_exact_code(komet, kit, vendor):
    by_name = _list(komet, kit, "vendor.list", "vendors", name=vendor["name"][3:12].upper())
    by_code = _list(komet, kit, "vendor.list", "vendors", code=vendor["code"].lower())
    assert [r["id"] for r in by_code] == [str(vendor["id"])]
    assert str(vendor["id"]) in [r["id"] for r in by_name]
    assert _list(komet, kit, "vendor.list", "vendors", code=vendor["code"][:-1]) == []


def test_vendor_list_filters_by_port_of_origin(komet, kit, seeded):
    everything = _list(komet, kit, "vendor.list", "vendors")
    for port in ("BOG", "MDE", "UIO"):
        assert _list(komet, kit, "vendor.list", "vendors", portOrigin=port) == [
            r for r in everything if r["portOrigin"] == port
        ]


def test_vendor_list_leaves_out_inactive_vendors_unless_asked(komet, kit, vendor):
    patch_rows(komet, "vendors", {"id": vendor["id"]}, active=0)
    assert str(vendor["id"]) not in [r["id"] for r in _list(komet, kit, "vendor.list", "vendors")]
    with_inactive = _list(komet, kit, "vendor.list", "vendors", includeInactive="true")
    assert [r["active"] for r in with_inactive if r["id"] == str(vendor["id"])] == [0]


def test_vendor_list_for_a_vendor_token_shows_only_that_vendor(komet, kit, vendor, vendor_token):
    rows = _list(komet, kit, "vendor.list", "vendors", token=vendor_token)
    assert [r["id"] for r in rows] == [str(vendor["id"])]


def test_vendor_list_include_inactive_must_be_a_boolean(komet, kit):
    with kit.unchanged():
        reply = komet.api("vendor.list", kit.company_token, includeInactive="maybe")
    assert reply == refusal("invalid_param", name="includeInactive", reason="expected true/false or 1/0")


# --- carrier.list --------------------------------------------------------------------------------------


def test_carrier_list_sample_has_numeric_ids_and_a_formatted_phone(komet, kit):
    rows = _list(komet, kit, "carrier.list", "carriers")
    _types(
        rows,
        {
            "id": int,
            "code": str,
            "name": str,
            "active": int,
            "street": str,
            "city": str,
            "state": str,
            "zipCode": str,
            "country": str,
            "phone": str,
            "kometNetworkName": str,
            "kometNetworkId": int,
        },
    )
    assert all(re.fullmatch(r"1 \(\d{3}\) \d{3}-\d{4}", r["phone"]) for r in rows)


def test_carrier_list_filters_by_code_name_and_active(komet, kit):
    everything = _list(komet, kit, "carrier.list", "carriers")
    one = everything[0]
    assert _list(komet, kit, "carrier.list", "carriers", code=one["code"].lower()) == [one]
    assert one in _list(komet, kit, "carrier.list", "carriers", name=one["name"][5:].lower())
    patch_rows(komet, "carriers", {"id": one["id"]}, active=0)
    assert [r["id"] for r in _list(komet, kit, "carrier.list", "carriers", active=0)] == [one["id"]]
    assert one["id"] not in [r["id"] for r in _list(komet, kit, "carrier.list", "carriers", active=1)]


# --- location.list -------------------------------------------------------------------------------------


def test_location_list_sample_quotes_ids_and_is_ordered_by_name(komet, kit, seeded):
    rows = _list(komet, kit, "location.list", "locations")
    assert rows == sorted(
        ({"id": str(loc["id"]), "name": loc["name"], "code": loc["code"]} for loc in seeded["locations"]),
        key=lambda r: r["name"],
    )


def test_location_list_filters(komet, kit, seeded):
    loc = seeded["locations"][0]
    expected = [{"id": str(loc["id"]), "name": loc["name"], "code": loc["code"]}]
    assert _list(komet, kit, "location.list", "locations", code=loc["code"].lower()) == expected
    assert _list(komet, kit, "location.list", "locations", name=loc["name"][2:8].upper()) == expected
    assert _list(komet, kit, "location.list", "locations", id=loc["id"]) == expected


# --- customer.list -------------------------------------------------------------------------------------


def test_customer_list_sample_quotes_id_and_active(komet, kit):
    rows = _list(komet, kit, "customer.list", "customers")
    _types(
        rows,
        {
            "id": str,
            "accountingCode": str,
            "name": str,
            "code": str,
            "active": str,
            "salesPerson": str,
            "salesPersonId": int,
            "customerType": str,
            "updatedOn": str,
        },
    )
    assert {r["active"] for r in rows} == {"1"}
    assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}", r["updatedOn"]) for r in rows)


def test_customer_list_filters_by_code_name_and_sales_person(komet, kit):
    one = _list(komet, kit, "customer.list", "customers")[0]
    assert _list(komet, kit, "customer.list", "customers", code=one["code"].lower()) == [one]
    assert one in _list(komet, kit, "customer.list", "customers", name=one["name"].split()[0].upper())
    assert one in _list(komet, kit, "customer.list", "customers", salesPersonId=one["salesPersonId"])


def test_customer_list_filters_by_location(komet, kit, seeded):
    everything = _list(komet, kit, "customer.list", "customers")
    assert (
        _list(komet, kit, "customer.list", "customers", locationId=seeded["locations"][0]["id"]) == everything
    )
    assert _list(komet, kit, "customer.list", "customers", locationId=seeded["locations"][1]["id"]) == []


def test_customer_list_update_as_of_keeps_customers_updated_since(komet, kit, seeded):
    one = seeded["customers"][0]
    patch_rows(komet, "customers", {"id": one["id"]}, updated_on="2026-12-05T10:00:00")
    got = _list(komet, kit, "customer.list", "customers", updateAsOf="2026-12-05")
    assert [r["id"] for r in got] == [str(one["id"])]


def test_customer_list_include_inactive(komet, kit, seeded):
    one = seeded["customers"][0]
    patch_rows(komet, "customers", {"id": one["id"]}, active=0)
    assert str(one["id"]) not in [r["id"] for r in _list(komet, kit, "customer.list", "customers")]
    assert str(one["id"]) in [
        r["id"] for r in _list(komet, kit, "customer.list", "customers", includeInactive=1)
    ]


def test_master_data_mistyped_filters_are_refused(komet, kit):
    with kit.unchanged():
        for method, name, value, reason in [
            ("customer.list", "updateAsOf", "yesterday", "expected a date YYYY-MM-DD"),
            ("customer.list", "salesPersonId", "abc", "expected a whole number"),
            ("product.list", "id", "-3", "expected a whole number"),
            ("location.list", "code", "X" * 11, "at most 10 characters"),
            ("carrier.list", "active", "yes", "expected true/false or 1/0"),
        ]:
            reply = komet.api(method, kit.company_token, **{name: value})
            assert reply == refusal("invalid_param", name=name, reason=reason), (method, name)


def test_master_data_unknown_filters_are_refused(komet, kit):
    with kit.unchanged():
        for method in (
            "boxtype.list",
            "product.list",
            "vendor.list",
            "carrier.list",
            "location.list",
            "customer.list",
        ):
            assert komet.api(method, kit.company_token, color="red") == refusal(
                "unknown_param", name="color"
            ), method


# --- login ---------------------------------------------------------------------------------------------


def test_login_sample_request_gets_an_api_key(komet, seeded):
    user = seeded["users"][0]
    reply = komet.api("login", username=user["username"], password=user["password"])
    assert set(reply) == {"status", "message", "apiKey"}
    assert (reply["status"], reply["message"]) == ("1", "OK")
    assert re.fullmatch(r"[a-z0-9]{26}", reply["apiKey"])


def test_login_gives_the_same_key_each_time(komet, seeded):
    user = seeded["users"][0]
    first = komet.api("login", username=user["username"], password=user["password"])["apiKey"]
    assert komet.api("login", username=user["username"], password=user["password"])["apiKey"] == first


def test_login_key_is_a_company_token_with_every_method(komet, seeded):
    user = seeded["users"][1]
    key = komet.api("login", username=user["username"], password=user["password"])["apiKey"]
    assert komet.api("vendor.list", key)["status"] == "1"
    assert komet.api("awb.list", key, shipDate=seeded["shipDates"][0])["status"] == 1


def test_login_accepts_a_json_body_too(komet, seeded):
    user = seeded["users"][0]
    resp = komet.request(
        "POST", "/api/login", json={"username": user["username"], "password": user["password"]}
    )
    assert resp.json()["status"] == "1"


def test_login_with_a_wrong_password_is_refused(komet, kit, seeded):
    with kit.unchanged():
        reply = komet.api("login", username=seeded["users"][0]["username"], password="wrong")
    assert reply == refusal("login_failed") == {"status": "0", "message": "Invalid username or password."}


def test_login_for_an_unknown_user_is_refused_the_same_way(komet, kit):
    with kit.unchanged():
        reply = komet.api("login", username="nobody@example.com", password="komet123")
    assert reply == refusal("login_failed")


@pytest.mark.parametrize("missing", ["username", "password"])
def test_login_names_a_missing_parameter(komet, kit, seeded, missing):
    params = {"username": seeded["users"][0]["username"], "password": "komet123"}
    params.pop(missing)
    with kit.unchanged():
        reply = komet.api("login", **params)
    assert reply == refusal("missing_param", name=missing)
