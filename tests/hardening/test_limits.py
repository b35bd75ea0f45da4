"""Bad input gets a clear answer and changes nothing, however far it goes (docs/decisions.md S5, S6): a clock
past its range, hostile snapshots, JSON nested a thousand levels, request lines over 64 KB, a box-code pattern
that asks for a gigabyte, a write that a reset overtook."""

from __future__ import annotations

import copy
import logging
import tracemalloc

import pytest
import requests

import asinfo_sim
import komet_sim
from asinfo_sim.domain.accounts import check_pattern
from komet_sim.domain import tokens
from komet_sim.methods import METHODS
from simkit.errors import BadInput
from simkit.server import ServerThread

DEEP = "[" * 1000 + "]" * 1000


def _state(client) -> dict:
    return client.get("/__sim/state").get_json()


# --- S5: the clock's range ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "body", "field"),
    [
        ("", {"set": "9999-12-31T23:59:58", "running": True}, "set"),
        ("", {"set": "0001-01-01T00:00:00"}, "set"),
        ("", {"advance": "3000000d"}, "advance"),
        ("?namespace=1", {"advance": "3000000d"}, "advance"),
        ("?namespace=1", {"set": "9999-12-31T23:59:58"}, "set"),
    ],
)
def test_a_clock_past_its_range_is_refused_and_does_not_move(ip, query, body, field):
    client = ip.apps[0].test_client()
    before = client.get(f"/__sim/clock{query}").get_json()
    reply = client.post(f"/__sim/clock{query}", json=body)
    assert reply.status_code == 400
    assert reply.get_json()["error"]["field"] == field
    assert "range" in reply.get_json()["error"]["message"]
    assert client.get(f"/__sim/clock{query}").get_json() == before


def test_every_request_still_works_after_a_refused_clock(ip):
    client = ip.apps[0].test_client()
    client.post("/__sim/clock", json={"set": "9999-12-31T23:59:58", "running": True})
    token = ip.grower["token"]["token"]
    reply = client.get(
        "/api/purchase.order.list", query_string={"authenticationToken": token, "date": "2026-11-27"}
    )
    assert reply.status_code == 200 and reply.get_json()["status"] == "1"


def test_a_snapshot_with_a_clock_past_its_range_is_refused_whole(ip):
    client = ip.apps[0].test_client()
    before = _state(client)
    bad = copy.deepcopy(before)
    bad["clock"]["now"] = "9999-12-31T23:59:58"
    bad["tables"]["po_items"] = []
    reply = client.put("/__sim/state", json=bad)
    assert reply.status_code == 400 and reply.get_json()["error"]["field"] == "clock"
    assert _state(client) == before


def test_a_state_file_holding_a_clock_past_its_range_starts_without_it(tmp_path, caplog):
    world = komet_sim.create_app({"seed": 7, "state_dir": tmp_path}).extensions["kasim.world"]
    world.store.set_meta(
        "clock", {"now": "9999-12-31T23:59:58", "running": True, "wall": "2026-01-01T00:00:00"}
    )
    with caplog.at_level(logging.WARNING, logger="kasim.komet"):
        again = komet_sim.create_app({"seed": 7, "state_dir": tmp_path})
    assert again.test_client().get("/__sim/health").status_code == 200
    assert again.test_client().get("/__sim/clock").get_json()["today"] < "9000-01-01"
    assert "the saved clock" in caplog.text


# --- hostile snapshots ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("table", "column", "value"),
    [
        ("po_items", "total_boxes", "abc"),
        ("po_items", "total_boxes", [1]),
        ("po_items", "total_boxes", True),
        ("tokens", "methods", "not json"),
        ("tokens", "methods", "5"),
        ("purchase_orders", "ship_date", "soon"),
        ("companies", "name", 12),
        ("meta", "value", '"abc"'),
    ],
)
def test_a_snapshot_with_a_wrong_typed_value_changes_nothing(ip, table, column, value):
    client = ip.apps[0].test_client()
    before = _state(client)
    bad = copy.deepcopy(before)
    rows = bad["tables"][table]
    row = next(r for r in rows if table != "meta" or r["key"] == "seed")
    row[column] = value
    reply = client.put("/__sim/state", json=bad)
    assert reply.status_code == 400, reply.get_data(as_text=True)
    assert reply.get_json()["error"]["field"] == "tables"
    assert _state(client) == before


@pytest.mark.parametrize("tables", [{"po_items": "nope"}, {"po_items": {"a": 1}}, {"po_items": [[1, 2]]}])
def test_a_snapshot_whose_tables_are_not_lists_of_rows_changes_nothing(ip, tables):
    client = ip.apps[0].test_client()
    before = _state(client)
    reply = client.put("/__sim/state", json={**before, "tables": {**before["tables"], **tables}})
    assert reply.status_code == 400
    assert _state(client) == before


def test_an_asinfo_snapshot_with_a_payload_that_is_not_an_object_changes_nothing(ip):
    client = ip.apps[1].test_client()
    before = _state(client)
    bad = copy.deepcopy(before)
    bad["tables"]["connections"][0]["last_sync_on"] = "yesterday"
    assert client.put("/__sim/state", json=bad).status_code == 400
    assert _state(client) == before


# --- small 500s -----------------------------------------------------------------------------------


def test_a_token_made_for_a_company_a_reset_removed_is_refused(ip):
    """The moment of the race, made certain: the request named its company, then a reset removed it."""
    world = ip.apps[0].extensions["kasim.world"]
    company = ip.world["companyId"]
    world.reset(None)
    with pytest.raises(BadInput) as refused:
        tokens.create_token(world, company, "Company", "late", "all")
    assert refused.value.code == "not_found"


def test_print_jobs_with_a_format_object_is_refused(ip):
    reply = ip.apps[1].test_client().post("/api/print-jobs", json={"format": {}})
    assert reply.status_code == 400 and reply.get_json()["error"]["field"] == "format"


def test_an_empty_importer_line_change_is_refused(ip):
    line = ip.komet.state()["tables"]["po_items"][0]["id"]
    reply = (
        ip.apps[0]
        .test_client()
        .patch(
            f"/__sim/komet/lines/{line}", json={}, headers={"X-Kasim-Namespace": str(ip.world["companyId"])}
        )
    )
    assert reply.status_code == 400 and reply.get_json()["error"]["field"]


# --- S6: deep nesting and long request lines --------------------------------------------------------


def _json_routes(app) -> list[tuple[str, str]]:
    """Every route of the app that takes a body, with a concrete path (ids filled in as 1)."""
    out = []
    for rule in app.url_map.iter_rules():
        for verb in sorted((rule.methods or set()) & {"POST", "PUT", "PATCH"}):
            path = rule.rule.replace("<path:method>", "x")
            for arg in rule.arguments:
                path = path.replace(f"<int:{arg}>", "1").replace(f"<{arg}>", "1")
            out.append((verb, path))
    return out


@pytest.mark.parametrize("which", [0, 1], ids=["komet", "asinfo"])
def test_json_nested_a_thousand_levels_deep_is_refused_in_every_routes_shape(ip, which):
    app = ip.apps[which]
    client = app.test_client()
    routes = _json_routes(app)
    if which == 0:
        routes += [(m.verb, f"/api/{name}") for name, m in METHODS.items() if m.verb == "POST"]
    assert len(routes) > 10
    for verb, path in routes:
        reply = client.open(path, method=verb, data=DEEP, headers={"Content-Type": "application/json"})
        assert reply.status_code < 500, (verb, path, reply.get_data(as_text=True)[:300])
        body = reply.get_json(silent=True)
        if path.startswith("/api/") and which == 0:
            assert body is not None and body["status"] == "0", (verb, path)
        elif path.startswith(("/api/", "/__sim/")):  # a route that reads no body may well succeed
            assert body is not None, (verb, path, reply.get_data(as_text=True)[:200])
            assert reply.status_code < 400 or "error" in body, (verb, path, body)


@pytest.fixture(scope="module")
def served():
    komet = ServerThread(komet_sim.create_app({"seed": 7})).start()
    asinfo = ServerThread(asinfo_sim.create_app({"seed": 7})).start()
    try:
        yield komet, asinfo
    finally:
        komet.stop()
        asinfo.stop()


def test_a_request_line_over_64_kb_gets_the_komet_envelope(served):
    reply = requests.get(f"{served[0].url}/api/purchase.order.list?date=" + "9" * 70_000, timeout=30)
    assert reply.status_code == 414
    assert reply.json() == {"status": "0", "message": "Request size exceeds the maximum of 64 KB."}


@pytest.mark.parametrize(("which", "path"), [(1, "/api/orders"), (0, "/__sim/journal"), (1, "/__sim/state")])
def test_a_request_line_over_64_kb_gets_the_json_error_shape(served, which, path):
    reply = requests.get(f"{served[which].url}{path}?x=" + "a" * 70_000, timeout=30)
    assert reply.status_code == 414
    assert reply.json()["error"]["code"] == "uri_too_long"


# --- a pattern that asks for a gigabyte -------------------------------------------------------------


@pytest.mark.parametrize(
    "pattern", ["{seq:050000000d}", "{farm:>50000000}{seq}", "{seq:0{seq}d}", "{seq:.50000000}"]
)
def test_a_box_code_pattern_with_a_huge_width_is_refused_before_anything_is_built(pattern):
    tracemalloc.start()
    try:
        with pytest.raises(ValueError):
            check_pattern(pattern)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 1_000_000, f"{peak:,} bytes allocated to refuse {pattern}"


def test_the_api_refuses_the_huge_pattern_with_its_field(ip):
    reply = ip.apps[1].test_client().patch("/api/account", json={"boxCodePattern": "{seq:050000000d}"})
    assert reply.status_code == 400 and reply.get_json()["error"]["field"] == "boxCodePattern"
