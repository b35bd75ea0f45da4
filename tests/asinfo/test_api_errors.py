"""Bad input on ASINFO's JSON API: every route answers 4xx JSON {"error": {"code", "message", "field"}} naming
the field, unknown ids are 404, nothing is ever a 500, and nothing is half-saved."""

from __future__ import annotations

import pytest

from harness.clients import AsinfoSimClient
from harness.topology import ASINFO_IN_PROCESS

from ..testkit import wire
from .asinfokit import asinfo_state, connection_id, synced_order


def build(ip) -> dict:
    """A PO with its first line confirmed (3) and 2 of its boxes on an AWB; ids to fill the paths."""
    order = synced_order(ip)
    ln = order["lines"][0]
    ip.asinfo.confirm_line(ln["id"], 3)
    awb = ip.asinfo.create_awb(connection_id(ip), order["shipDate"])
    awb = ip.asinfo.assign(awb["id"], [(ln["id"], 2)])
    return {
        "conn": connection_id(ip),
        "order": order["id"],
        "line": ln["id"],
        "other": order["lines"][1]["id"],
        "awb": awb["id"],
        "code": awb["boxes"][0]["boxCode"],
        "topo": ip,
    }


@pytest.fixture
def world(ip) -> dict:
    return build(ip)


@pytest.fixture(scope="module")
def shared():
    """One world for the many refusals: each of them must leave it as it was (and is checked to)."""
    topo = wire("in-process")
    try:
        yield build(topo)
    finally:
        topo.close()


def call(world, verb: str, path: str, body=None):
    kw = {} if body is None else {"json": body}
    return world["topo"].asinfo.request(verb, path.format(**world), **kw)


def assert_error(resp, status: int, field) -> dict:
    assert resp.status_code == status, resp.text
    error = resp.json()["error"]
    assert set(error) == {"code", "message", "field"}
    assert error["message"]
    assert error["field"] == field
    return error


# verb, path, body, status, field
BAD: list[tuple[str, str, object, int, str]] = [
    ("PATCH", "/api/account", {"farmCode": "XY"}, 400, "farmCode"),
    ("PATCH", "/api/account", {"boxCodePattern": "{farm}"}, 400, "boxCodePattern"),
    ("PATCH", "/api/account", {"boxCodePattern": "{seq}-{farm}"}, 400, "boxCodePattern"),
    ("PATCH", "/api/account", {"origin": "JFK"}, 400, "origin"),
    ("PATCH", "/api/account", {"name": " "}, 400, "name"),
    ("GET", "/api/sync-log?connectionId=abc", None, 400, "connectionId"),
    ("GET", "/api/orders?shipDate=2026-13-01", None, 400, "shipDate"),
    ("GET", "/api/orders?state=shipped", None, 400, "state"),
    ("GET", "/api/orders?connectionId=x", None, 400, "connectionId"),
    ("POST", "/api/orders/{order}/confirmation", {"boxes": "some"}, 400, "boxes"),
    ("POST", "/api/orders/{order}/confirmation", {"boxes": "all", "lines": []}, 400, "lines"),
    (
        "POST",
        "/api/orders/{order}/confirmation",
        {"boxes": "all", "lines": [{"lineId": "{line}", "boxes": 1}]},
        400,
        "boxes",
    ),
    ("POST", "/api/orders/{order}/confirmation", {}, 400, "boxes"),
    (
        "POST",
        "/api/orders/{order}/confirmation",
        {"lines": [{"lineId": [1], "boxes": 1}]},
        400,
        "lines[0].lineId",
    ),
    (
        "POST",
        "/api/orders/{order}/confirmation",
        {"lines": [{"lineId": "1", "boxes": 1}]},
        400,
        "lines[0].lineId",
    ),
    (
        "POST",
        "/api/orders/{order}/confirmation",
        {"lines": [{"lineId": 999, "boxes": 1}]},
        404,
        "lines[0].lineId",
    ),
    ("POST", "/api/orders/{order}/confirmation", {"lines": [{"lineId": 1}]}, 400, "lines[0].boxes"),
    ("POST", "/api/lines/{other}/confirmation", {"boxes": -1}, 400, "boxes"),
    ("POST", "/api/lines/{other}/confirmation", {"boxes": "3"}, 400, "boxes"),
    ("POST", "/api/lines/{other}/confirmation", {"boxes": 1.5}, 400, "boxes"),
    ("POST", "/api/lines/{other}/confirmation", {"boxes": True}, 400, "boxes"),
    ("POST", "/api/lines/{other}/confirmation", {"boxes": 1, "note": "x"}, 400, "note"),
    ("POST", "/api/lines/{other}/confirmation", {}, 400, "boxes"),
    ("POST", "/api/lines/{line}/confirmation", {"boxes": 1}, 409, "boxes"),
    ("DELETE", "/api/lines/{line}", None, 409, "lineId"),
    ("GET", "/api/outbox?state=lost", None, 400, "state"),
    ("POST", "/api/outbox/run", {"all": "yes"}, 400, "all"),
    ("POST", "/api/awb-stock", {"prefix": "999", "firstSerial": 1, "count": 1}, 400, "prefix"),
    ("POST", "/api/awb-stock", {"prefix": "729", "firstSerial": "1", "count": 1}, 400, "firstSerial"),
    ("POST", "/api/awb-stock", {"prefix": "729", "firstSerial": 9999999, "count": 2}, 400, "count"),
    ("POST", "/api/awb-stock", {"prefix": "729", "firstSerial": 1, "count": 1, "size": 9}, 400, "size"),
    ("POST", "/api/awbs", {"connectionId": "{conn}", "shipDate": "2026-11-27"}, 400, "number"),
    ("POST", "/api/awbs", {"connectionId": 1, "shipDate": "27/11/2026", "airline": "729"}, 400, "shipDate"),
    ("POST", "/api/awbs", {"connectionId": 1, "shipDate": 20261127, "airline": "729"}, 400, "shipDate"),
    (
        "POST",
        "/api/awbs",
        {"connectionId": "1", "shipDate": "2026-11-27", "airline": "729"},
        400,
        "connectionId",
    ),
    ("POST", "/api/awbs", {"connectionId": 1, "shipDate": "2026-11-27", "airline": "000"}, 400, "airline"),
    (
        "POST",
        "/api/awbs",
        {"connectionId": 1, "shipDate": "2026-11-27", "airline": "729", "hawb": "H" * 26},
        400,
        "hawb",
    ),
    (
        "POST",
        "/api/awbs",
        {"connectionId": 1, "shipDate": "2026-11-27", "airline": "729", "origin": "JFK"},
        400,
        "origin",
    ),
    (
        "POST",
        "/api/awbs",
        {"connectionId": 1, "shipDate": "2026-11-27", "airline": "729", "destination": "MIAMI"},
        400,
        "destination",
    ),
    (
        "POST",
        "/api/awbs",
        {"connectionId": 1, "shipDate": "2026-11-27", "airline": "729", "pilot": "x"},
        400,
        "pilot",
    ),
    ("POST", "/api/awbs/{awb}/boxes", {"lines": [{"lineId": 1, "boxes": 0}]}, 400, "lines[0].boxes"),
    ("POST", "/api/awbs/{awb}/boxes", {"lines": []}, 400, "lines"),
    ("POST", "/api/awbs/{awb}/boxes", {"lines": [{"lineId": "1", "boxes": 1}]}, 400, "lines[0].lineId"),
    ("POST", "/api/awbs/{awb}/boxes", {"orderId": "1"}, 400, "orderId"),
    ("POST", "/api/awbs/{awb}/boxes", {}, 400, "lines"),
    (
        "POST",
        "/api/awbs/{awb}/boxes",
        {"orderId": "{order}", "lines": [{"lineId": 1, "boxes": 1}]},
        400,
        "lines",
    ),
    ("GET", "/api/labels?awbId=abc", None, 400, "awbId"),
    ("GET", "/api/labels", None, 400, "awbId"),
    ("GET", "/api/labels?awbId={awb}&format=png", None, 400, "format"),
    ("GET", "/api/labels?awbId={awb}&lineId={line}", None, 400, "awbId"),
    ("POST", "/api/print-jobs", {"awbId": True}, 400, "awbId"),
    ("POST", "/api/print-jobs", {"awbId": "{awb}", "copies": 2}, 400, "copies"),
    ("POST", "/api/print-jobs", {"awbId": 1, "format": "gif"}, 400, "format"),
    ("POST", "/api/print-jobs", {"boxCode": ["A"]}, 400, "boxCode"),
    ("POST", "/api/boxes/{code}/relabel", {"newCode": "a b"}, 400, "newCode"),
    ("POST", "/api/boxes/{code}/relabel", {}, 400, "newCode"),
    (
        "POST",
        "/api/connections",
        {"name": "x", "kometUrl": "http://k", "token": "t", "companyId": 0},
        400,
        "companyId",
    ),
]

UNKNOWN = [
    ("GET", "/api/connections/999", None, "connectionId"),
    ("PATCH", "/api/connections/999", {"name": "x"}, "connectionId"),
    ("DELETE", "/api/connections/999", None, "connectionId"),
    ("POST", "/api/connections/999/test", None, "connectionId"),
    ("POST", "/api/connections/999/sync", None, "connectionId"),
    ("GET", "/api/orders/999", None, "orderId"),
    ("POST", "/api/orders/999/confirmation", {"boxes": "all"}, "orderId"),
    ("GET", "/api/lines/999", None, "lineId"),
    ("POST", "/api/lines/999/confirmation", {"boxes": 1}, "lineId"),
    ("DELETE", "/api/lines/999", None, "lineId"),
    ("GET", "/api/awbs/999", None, "awbId"),
    ("POST", "/api/awbs/999/boxes", {"lines": [{"lineId": 1, "boxes": 1}]}, "awbId"),
    ("POST", "/api/awbs/{awb}/boxes", {"orderId": 999}, "orderId"),
    ("POST", "/api/awbs/{awb}/boxes", {"lines": [{"lineId": 999, "boxes": 1}]}, "lineId"),
    ("DELETE", "/api/awbs/{awb}/boxes/NOPE", None, "boxCode"),
    ("DELETE", "/api/awbs/999/boxes/NOPE", None, "awbId"),
    ("POST", "/api/awbs/999/shipment", None, "awbId"),
    ("GET", "/api/shipments/999", None, "shipmentId"),
    ("GET", "/api/labels?awbId=999", None, "awbId"),
    ("POST", "/api/print-jobs", {"lineId": 999}, "lineId"),
    ("POST", "/api/print-jobs", {"boxCode": "NOPE"}, "boxCode"),
    ("POST", "/api/boxes/NOPE/relabel", {"newCode": "ABC1"}, "boxCode"),
]


def fill(body, world):
    """Put the world's ids into a body: "{conn}" becomes the connection id, as an int."""
    if isinstance(body, dict):
        return {k: fill(v, world) for k, v in body.items()}
    if isinstance(body, list):
        return [fill(v, world) for v in body]
    if isinstance(body, str) and body.startswith("{") and body.endswith("}") and body[1:-1] in world:
        return world[body[1:-1]]
    return body


@pytest.mark.parametrize(
    ("verb", "path", "body", "status", "field"), BAD, ids=[f"{v} {p} {f}" for v, p, _, _, f in BAD]
)
def test_bad_input_is_refused_naming_the_field_and_nothing_changes(shared, verb, path, body, status, field):
    world = shared
    before = asinfo_state(world["topo"])
    assert_error(call(world, verb, path, fill(body, world)), status, field)
    assert asinfo_state(world["topo"]) == before


@pytest.mark.parametrize(
    ("verb", "path", "body", "field"), UNKNOWN, ids=[f"{v} {p}" for v, p, _, _ in UNKNOWN]
)
def test_an_unknown_id_is_404_naming_it(shared, verb, path, body, field):
    world = shared
    before = asinfo_state(world["topo"])
    error = assert_error(call(world, verb, path, fill(body, world)), 404, field)
    assert error["code"] == "not_found"
    assert asinfo_state(world["topo"]) == before


ROUTES = [
    ("PATCH", "/api/account"),
    ("POST", "/api/connections"),
    ("PATCH", "/api/connections/{conn}"),
    ("POST", "/api/orders/{order}/confirmation"),
    ("POST", "/api/lines/{other}/confirmation"),
    ("POST", "/api/outbox/run"),
    ("POST", "/api/awb-stock"),
    ("POST", "/api/awbs"),
    ("POST", "/api/awbs/{awb}/boxes"),
    ("POST", "/api/print-jobs"),
    ("POST", "/api/boxes/{code}/relabel"),
]
JUNK = [
    [],
    [1, 2],
    "text",
    7,
    None,
    {"": None},
    {"lines": {"a": 1}},
    {"boxes": {"n": 1}},
    {"lines": [None]},
    {"name": ["x"], "kometUrl": {"u": 1}, "token": 5, "companyId": []},
    {"prefix": None, "count": []},
    {"connectionId": None, "airline": ["729"], "shipDate": []},
    {"newCode": 123},
    {"awbId": {"id": 1}},
    {"lineId": 1.5, "format": None},
    {"boxCodePattern": None},
    {"all": None},
]


@pytest.mark.parametrize(("verb", "path"), ROUTES, ids=[f"{v} {p}" for v, p in ROUTES])
def test_junk_bodies_never_get_a_500_and_change_nothing(shared, verb, path):
    world = shared
    before = asinfo_state(world["topo"])
    for junk in JUNK:
        resp = (
            call(world, verb, path, junk)
            if junk is not None
            else world["topo"].asinfo.request(
                verb, path.format(**world), data="null", headers={"Content-Type": "application/json"}
            )
        )
        assert resp.status_code < 500, (junk, resp.text)
        if resp.status_code >= 400:
            assert set(resp.json()["error"]) == {"code", "message", "field"}, (junk, resp.text)
    assert asinfo_state(world["topo"]) == before


def test_a_body_that_is_not_json_is_refused_at_body(world):
    resp = world["topo"].asinfo.request(
        "POST", "/api/awbs", data="{not json", headers={"Content-Type": "application/json"}
    )
    assert_error(resp, 400, "body")


@pytest.mark.parametrize(
    ("data", "ctype"),
    [
        ("connectionId=1&airline=729", "application/x-www-form-urlencoded"),
        ('{"airline": "729"}', "text/plain"),
    ],
)
def test_a_body_not_sent_as_json_is_refused_at_body_and_nothing_changes(shared, data, ctype):
    before = asinfo_state(shared["topo"])
    resp = shared["topo"].asinfo.request("POST", "/api/awbs", data=data, headers={"Content-Type": ctype})
    assert_error(resp, 400, "body")
    assert asinfo_state(shared["topo"]) == before


def test_an_unknown_route_answers_json_404(world):
    resp = call(world, "GET", "/api/nothing-here")
    assert resp.status_code == 404
    assert resp.json()["error"]["code"] == "not_found"


def test_a_wrong_verb_answers_json_405(world):
    resp = call(world, "PUT", "/api/orders")
    assert resp.status_code == 405
    assert set(resp.json()["error"]) == {"code", "message", "field"}


def test_an_unknown_grower_account_is_404_naming_account(world):
    resp = world["topo"].asinfo.request("GET", "/api/orders", headers={"X-Kasim-Namespace": "999"})
    assert_error(resp, 404, "account")


def test_several_accounts_and_none_named_is_refused_at_account(world):
    world["topo"].asinfo.seed(seed=8, reset=False, farmName="Finca Dos", farmCode="FD")
    anonymous = AsinfoSimClient(ASINFO_IN_PROCESS, app=world["topo"].apps[1])
    assert_error(anonymous.request("GET", "/api/orders"), 400, "account")


def test_an_account_is_chosen_with_the_account_query_parameter(world):
    anonymous = AsinfoSimClient(ASINFO_IN_PROCESS, app=world["topo"].apps[1])
    account = world["topo"].grower["account"]["accountId"]
    world["topo"].asinfo.seed(seed=8, reset=False, farmName="Finca Dos", farmCode="FD")
    resp = anonymous.request("GET", "/api/account", params={"account": account})
    assert resp.status_code == 200
    assert resp.json()["accountId"] == account
