"""The harness's own expectations, tested against worked examples (not against the simulators' code): the AWB
check digit, the outbox's waiting rules, reading labels back, the journal checks and the plant registry."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

import asinfo_sim.plants
import komet_sim.plants
from harness import exchanges, oracles
from harness.agreement import agreement
from harness.plants import registry, world_for
from harness.scenario_schema import scenario_schema


@pytest.mark.parametrize(
    ("number", "ok"),
    [
        ("729-12345675", True),  # IATA's worked example: 1234567 mod 7 = 5
        ("729-1234-5675", True),
        ("985-48216302", True),
        ("729-12345676", False),  # wrong check digit
        ("729-12345677", False),  # 7 is never a check digit
        ("72912345675", True),
        ("729-1234567", False),  # 10 digits
    ],
)
def test_the_awb_check_digit_is_the_serial_mod_7(number, ok):
    assert (oracles.awb_problem(number) is None) is ok


def test_the_backoff_doubles_from_5_s_and_stops_at_15_min():
    assert [oracles.backoff(n).total_seconds() for n in (1, 2, 3, 4)] == [5, 10, 20, 40]
    assert oracles.backoff(30) == timedelta(minutes=15)
    assert oracles.next_utc_midnight(datetime(2026, 11, 26, 23, 59, 59)) == datetime(2026, 11, 27)


def test_labels_are_read_back_from_zpl():
    zpl = (
        "^XA^FO30,348^A0N,40,40^FDPO 10001  Line 265001^FS^FO30,398^A0N,64,64^FDBox 2 of 3^FS"
        "^FO30,528^A0N,40,40^FD12 bu x 25 st = 300 stems^FS^FO30,900^BY3,3,200^BCN,200,Y,N,N,A^FDHER0000002^FS^XZ"
        "^XA^FD12 bu x 25 st = 299 stems^FS^XZ"
    )
    first, second = oracles.read_zpl_labels(zpl)
    assert first == {
        "code": "HER0000002",
        "n": 2,
        "of": 3,
        "po": "10001",
        "item": 265001,
        "bunches": 12,
        "stems": 25,
    }
    assert second["bad_total"] == 299


def _entry(seq, path, status, body, **extra):
    return {
        "seq": seq,
        "at": "2026-11-26T06:00:00",
        "direction": "in",
        "agent": "asinfo-sim/0.1.0",
        "request": {"method": "POST", "path": path},
        "response": {"status": status, "body": body},
        **extra,
    }


def test_a_server_error_is_a_finding_unless_a_fault_made_it_or_asinfo_reports_komet_down():
    logs = {
        "komet": [
            _entry(1, "/api/purchase.order.item.confirm", 500, "boom"),
            _entry(2, "/api/purchase.order.item.confirm", 500, "500 Internal Server Error", fault="error"),
        ],
        "asinfo": [
            _entry(
                3, "/api/connections/1/sync", 502, {"error": {"code": "komet_unavailable", "message": "x"}}
            ),
            _entry(4, "/api/awbs", 200, {"error": {"code": "internal_error", "message": "Internal error"}}),
        ],
    }
    problems = exchanges.server_errors(logs)
    assert len(problems) == 2 and "#1" in problems[0] and "#4" in problems[1]


def test_what_an_entry_shows_is_worked_out_once_and_never_taken_for_another_entry_s():
    first = _entry(1, "/api/purchase.order.item.confirm", 200, {"status": "1"})
    logs: dict[str, list[dict]] = {"komet": [first], "asinfo": []}
    assert exchanges.server_errors(logs) == []
    # a journal read again has the same entries and new ones, each judged on its own reply
    logs["komet"] = [first, _entry(2, "/api/purchase.order.item.confirm", 500, "boom")]
    assert [p.split(" (journal")[0] for p in exchanges.server_errors(logs)] == [
        "komet answered HTTP 500 to POST /api/purchase.order.item.confirm"
    ]
    for _ in range(3):  # the entries read a second time: the same findings, in journal order
        assert len(exchanges.server_errors(logs)) == 1
    assert exchanges.quota({"quota": [{"day": "2026-11-26", "calls": 1}]}, logs["komet"]) == []


def test_refusals_a_correct_grower_never_provokes():
    entries = [
        _entry(
            1, "/api/purchase.order.items.awb.add", 200, {"status": "0", "message": "Box code already exists"}
        ),
        _entry(
            2,
            "/api/purchase.order.item.confirm",
            200,
            {"status": "0", "message": "Purchase order item 1 is cancelled"},
        ),
        {
            **_entry(
                3,
                "/api/purchase.order.items.awb.add",
                200,
                {"status": "0", "message": "Box code already exists"},
            ),
            "agent": "kasim/0.1.0",
        },
    ]
    problems = exchanges.avoidable_refusals(entries)
    assert len(problems) == 1 and "a box code Komet already holds" in problems[0]


def test_a_box_code_someone_else_sent_first_is_not_the_growers_doing():
    taken = {"status": "0", "message": "Box code already exists"}
    entries = [
        {
            **_entry(1, "/api/purchase.order.item.awb.add", 200, {"status": "1"}),
            "agent": "kasim/0.1.0",
            "request": {"method": "POST", "path": "/api/x", "body": {"poItemId": 7, "boxCodes": ["THEIRS1"]}},
        },
        {
            **_entry(2, "/api/purchase.order.items.awb.add", 200, taken),
            "request": {
                "method": "POST",
                "path": "/api/x",
                "body": {"poItems": [{"boxCodes": ["THEIRS1", "A2"]}]},
            },
        },
        {
            **_entry(3, "/api/purchase.order.items.awb.add", 200, taken),
            "request": {"method": "POST", "path": "/api/x", "body": {"poItems": [{"boxCodes": ["MINE1"]}]}},
        },
        {
            **_entry(4, "/api/box.code.change", 200, taken),
            "request": {"method": "POST", "path": "/api/x", "body": {"boxes": [{"newBoxCode": "THEIRS1"}]}},
        },
    ]
    problems = exchanges.avoidable_refusals(entries)
    assert len(problems) == 1 and "#3" in problems[0]


def test_lines_another_caller_shipped_through_the_api_are_theirs_not_the_growers():
    tables = {"po_items": [{"id": 7, "po_id": 70}, {"id": 8, "po_id": 70}, {"id": 9, "po_id": 90}]}

    def sent(seq, agent, status, path="/api/purchase.order.item.awb.add", item=7, method="POST"):
        return {
            **_entry(seq, path, 200, {"status": status}),
            "agent": agent,
            "request": {"method": method, "path": path, "body": {"poItemId": item, "boxCodes": ["C1"]}},
        }

    entries = [
        sent(1, "kasim/0.1.0", "1", item=7),  # another system shipped line 7
        sent(2, "kasim/0.1.0", "0", item=8),  # refused: nothing changed
        sent(3, "asinfo-sim/0.1.0", "1", item=9),  # the grower's own
        sent(
            4, "kasim/0.1.0", "1", item=9, path="/__sim/komet/lines/9", method="PATCH"
        ),  # the importer: synced
    ]
    assert exchanges.shipped_by_others(tables, entries) == {7}


def test_the_quota_counts_calls_answered_with_status_1_including_a_duplicate_delivery():
    ok = {"status": "1"}
    entries = [
        _entry(1, "/api/purchase.order.list", 200, ok),
        _entry(2, "/api/purchase.order.item.confirm", 200, {"status": "0", "message": "no"}),
        _entry(
            3, "/api/purchase.order.item.confirm", 200, ok, duplicate={"status": 200, "body": {"status": 1}}
        ),
        _entry(4, "/api/purchase.order.item.confirm", 503, "503", fault="error"),
    ]
    assert exchanges.quota({"quota": [{"day": "2026-11-26", "calls": 3}]}, entries) == []
    [problem] = exchanges.quota({"quota": [{"day": "2026-11-26", "calls": 4}]}, entries)
    assert "counted 4" in problem and "gives 3" in problem


def test_agreement_compares_bunches_and_skips_lines_others_touched():
    komet = {
        "po_items": [
            {
                "id": 9,
                "total_boxes": 2,
                "status": "C",
                "bunches": 12,
                "stems_bunch": 25,
                "quantity_confirmed": 2,
            }
        ],
        "boxes": [],
    }
    line = {
        "id": 1,
        "order_id": 1,
        "komet_item_id": 9,
        "ordered": 2,
        "komet_status": "C",
        "bunches": 0,
        "stems_bunch": 25,
        "confirm_state": "accepted",
        "confirmed": 2,
    }
    asinfo = {"orders": [{"id": 1, "state": "open"}], "lines": [line], "boxes": []}
    assert agreement(komet, asinfo) == ["line 9: ASINFO says bunches per box 0, Komet 12"]
    assert agreement(komet, asinfo, skip={9}) == []


def test_every_plant_is_listed_once_with_its_side_and_a_sentence():
    plants = registry()
    assert set(plants) == set(komet_sim.plants.PLANTS) | set(asinfo_sim.plants.PLANTS)
    assert len(plants) >= 12
    for plant in plants.values():
        assert plant.side in ("komet", "asinfo") and plant.sentence and "\n" not in plant.sentence
    assert world_for("confirm-adds") == {"komet": "confirm-adds"}
    assert world_for("none") is None
    with pytest.raises(KeyError):
        world_for("no-such-bug")


def test_the_scenario_schema_takes_every_plant_of_its_side():
    schema = scenario_schema()
    world = schema["$defs"]["world"] if "world" in schema.get("$defs", {}) else None
    text = str(schema if world is None else world)
    for name in registry():
        assert name in text


def test_a_refusal_the_growers_last_sync_foresaw_is_a_finding_unless_the_importer_changed_the_line_since():
    tables = {"po_items": [{"id": 265001, "po_id": 7}]}
    sync = {
        "seq": 1,
        "begin": 10,
        "direction": "in",
        "request": {"method": "POST", "path": "/api/connections/1/sync"},
        "response": {"status": 200, "body": {"syncs": [{"result": "ok"}]}},
    }
    refused = {
        **_entry(
            5,
            "/api/purchase.order.item.confirm",
            200,
            {"status": "0", "message": "Purchase order item 265001 is cancelled and cannot be confirmed."},
        ),
        "begin": 30,
    }
    refused["request"]["body"] = {"poItemId": 265001, "quantityConfirmed": 1}
    cancel = {
        "seq": 3,
        "begin": 20,
        "request": {"method": "POST", "path": "/__sim/komet/purchase-orders/7/cancel"},
    }
    [problem] = exchanges.refusals_of_what_the_grower_knew(tables, {"komet": [refused], "asinfo": [sync]})
    assert "a write to a cancelled line" in problem
    assert (
        exchanges.refusals_of_what_the_grower_knew(tables, {"komet": [cancel, refused], "asinfo": [sync]})
        == []
    )
