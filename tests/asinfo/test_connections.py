"""Connections (A1): create, edit and delete with validation naming the field; "Test connection" says in
words what is wrong."""

from __future__ import annotations

import pytest

from ..testkit import wire
from .asinfokit import asinfo_state, closed_port, connection_id

VALID = {
    "name": "Second importer",
    "kometUrl": "https://api.kometsales.com",
    "token": "a" * 26,
    "companyId": 99,
}


def post(topo, body):
    return topo.asinfo.request("POST", "/api/connections", json=body)


def patch(topo, body):
    return topo.asinfo.request("PATCH", f"/api/connections/{connection_id(topo)}", json=body)


def error_of(resp) -> dict:
    return resp.json()["error"]


# --- create, edit, delete ------------------------------------------------------------------------


def test_a_new_connection_is_listed_with_its_token_masked(ip):
    resp = post(ip, VALID)
    assert resp.status_code == 201
    made = resp.json()
    assert made["status"] == "untested"
    assert VALID["token"] not in str(ip.asinfo.connections())
    assert made["id"] in [c["id"] for c in ip.asinfo.connections()]


@pytest.mark.parametrize("missing", ["name", "kometUrl", "token", "companyId"])
def test_creating_without_a_required_field_names_it(ip, missing):
    body = {k: v for k, v in VALID.items() if k != missing}
    before = asinfo_state(ip)
    resp = post(ip, body)
    assert resp.status_code == 400
    assert error_of(resp)["field"] == missing
    assert asinfo_state(ip) == before


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("kometUrl", "ftp://komet.example"),
        ("kometUrl", "not a url"),
        ("companyId", "abc"),
        ("companyId", -3),
        ("companyId", 1.5),
        ("companyId", True),
        ("token", "has a space"),
        ("token", "x" * 51),
        ("name", ""),
        ("syncDays", 61),
        ("syncDays", "7"),
        ("customerId", ["C1"]),
        ("colour", "red"),
    ],
)
def test_creating_with_a_bad_value_names_the_field(ip, field, value):
    before = asinfo_state(ip)
    resp = post(ip, {**VALID, field: value})
    assert resp.status_code == 400, resp.text
    assert error_of(resp)["field"] == field
    assert error_of(resp)["message"]
    assert asinfo_state(ip) == before


def test_the_same_importer_cannot_be_connected_twice(ip):
    assert post(ip, VALID).status_code == 201
    resp = post(ip, {**VALID, "name": "Again"})
    assert resp.status_code == 409
    assert error_of(resp)["field"] == "companyId"


def test_editing_a_connection_changes_only_what_was_sent(ip):
    before = ip.asinfo.connections()[0]
    resp = patch(ip, {"name": "Renamed importer", "syncDays": 3})
    assert resp.status_code == 200
    after = resp.json()
    assert (after["name"], after["syncDays"]) == ("Renamed importer", 3)
    assert {k: v for k, v in after.items() if k not in ("name", "syncDays")} == {
        k: v for k, v in before.items() if k not in ("name", "syncDays")
    }


def test_editing_the_token_makes_the_connection_untested_again(ip):
    ip.asinfo.test_connection(connection_id(ip))
    assert patch(ip, {"token": "b" * 26}).json()["status"] == "untested"


def test_editing_with_a_bad_value_names_the_field_and_keeps_the_old_values(ip):
    before = asinfo_state(ip)
    resp = patch(ip, {"name": "Fine", "kometUrl": "mailto:x"})
    assert resp.status_code == 400
    assert error_of(resp)["field"] == "kometUrl"
    assert asinfo_state(ip) == before


def test_deleting_a_connection_removes_it_and_its_orders(ip):
    ip.asinfo.sync()
    assert ip.asinfo.orders()
    resp = ip.asinfo.request("DELETE", f"/api/connections/{connection_id(ip)}")
    assert resp.status_code == 200
    assert ip.asinfo.connections() == []
    assert ip.asinfo.orders() == []


def test_a_connection_with_work_waiting_for_komet_cannot_be_deleted(ip):
    ip.asinfo.sync()
    line = ip.asinfo.orders()[0]["lines"][0]
    ip.komet.add_fault(kind="error", method="purchase.order.item.confirm", times=1)
    ip.asinfo.confirm_line(line["id"], 1)
    resp = ip.asinfo.request("DELETE", f"/api/connections/{connection_id(ip)}")
    assert resp.status_code == 409
    assert "waiting to reach Komet" in error_of(resp)["message"]
    assert ip.asinfo.connections()


@pytest.mark.parametrize(
    ("verb", "path"), [("GET", ""), ("PATCH", ""), ("DELETE", ""), ("POST", "/test"), ("POST", "/sync")]
)
def test_an_unknown_connection_is_404(ip, verb, path):
    resp = ip.asinfo.request(
        verb, f"/api/connections/999{path}", json={"name": "x"} if verb == "PATCH" else None
    )
    assert resp.status_code == 404
    assert error_of(resp)["field"] == "connectionId"


# --- test connection, in words -------------------------------------------------------------------


def test_a_working_connection_tests_ok(ip):
    result = ip.asinfo.test_connection(connection_id(ip))
    assert result["ok"] is True
    assert result["connection"]["status"] == "ok"


def test_a_token_komet_does_not_know_is_called_a_bad_token(ip):
    patch(ip, {"token": "z" * 26})
    result = ip.asinfo.test_connection(connection_id(ip))
    assert result["ok"] is False
    assert "does not recognise this token" in result["message"]
    assert result["connection"]["status"] == "error"
    assert result["connection"]["statusMessage"] == result["message"]


def test_a_token_without_the_method_says_which_method_to_enable(ip):
    vendor = ip.grower["vendor"]["id"]
    narrow = ip.komet.create_token(vendor_id=vendor, methods=["boxtype.list"])["token"]
    patch(ip, {"token": narrow})
    result = ip.asinfo.test_connection(connection_id(ip))
    assert result["ok"] is False
    assert "purchase.order.list is not enabled" in result["message"]
    assert "does not recognise" not in result["message"]


def test_a_komet_nobody_listens_on_is_called_unreachable(ip):
    patch(ip, {"kometUrl": f"http://127.0.0.1:{closed_port()}", "token": ip.grower["token"]["token"]})
    result = ip.asinfo.test_connection(connection_id(ip))
    assert result["ok"] is False
    assert "unreachable" in result["message"]
    assert "Check the Komet URL" in result["message"]


def test_komet_answering_500_is_explained_as_komet_having_trouble(ip):
    ip.komet.add_fault(kind="error", method="purchase.order.list", times=1)
    result = ip.asinfo.test_connection(connection_id(ip))
    assert result["ok"] is False
    assert "HTTP 500" in result["message"]
    assert "Komet is having trouble" in result["message"]


@pytest.mark.parametrize("transport", ["in-process", "socket"])
def test_komet_timing_out_is_explained_as_too_slow(transport):
    topo = wire(transport, komet_timeout=0.3)
    try:
        topo.komet.add_fault(kind="timeout", method="purchase.order.list", times=1, seconds=0.6)
        result = topo.asinfo.test_connection(connection_id(topo))
        assert result["ok"] is False
        assert "too slow" in result["message"]
        assert "0.3 s" in result["message"]
    finally:
        topo.close()


def test_the_connection_status_records_the_last_test(ip):
    ip.komet.add_fault(kind="reset", method="purchase.order.list", times=1)
    broken = ip.asinfo.test_connection(connection_id(ip))
    assert broken["connection"]["status"] == "error"
    assert "connection to Komet broke" in broken["message"]
    assert ip.asinfo.test_connection(connection_id(ip))["connection"]["status"] == "ok"
