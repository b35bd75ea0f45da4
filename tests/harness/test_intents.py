"""The grower's last word against what Komet holds once the sync is quiet (harness/intents.py): each rule, each
exclusion, on small states and journals made here, and end to end with the planted ordering bugs."""

from __future__ import annotations

import pytest

from harness.intents import superseded_confirmations, unheld_confirmations

GROWER = "asinfo-sim/1.0"


def _komet(quantity: int, status: str = "PC") -> dict:
    return {"po_items": [{"id": 265001, "po_id": 500001, "status": status, "quantity_confirmed": quantity}]}


def _asinfo(state: str = "accepted", confirmed: int | None = 1) -> dict:
    line = {"id": 1, "order_id": 1, "komet_item_id": 265001, "confirm_state": state, "confirmed": confirmed}
    return {"lines": [line], "outbox": [{"id": 7, "kind": "confirm", "ref_id": 1}]}


def _said(tick: int, boxes: int, path: str = "/api/lines/1/confirmation", method: str = "POST") -> dict:
    return {
        "direction": "in",
        "begin": tick,
        "request": {"method": method, "path": path, "body": {"boxes": boxes}},
        "response": {"status": 200},
    }


def _confirmed_in_komet(tick: int, quantity: int, agent: str = GROWER) -> dict:
    return {
        "begin": tick,
        "agent": agent,
        "request": {
            "method": "POST",
            "path": "/api/purchase.order.item.confirm",
            "body": {"poItemId": 265001, "quantity": quantity},
        },
        "response": {"status": 200, "body": {"status": "1"}},
    }


def _importer_edit(tick: int) -> dict:
    return {"begin": tick, "request": {"method": "PATCH", "path": "/__sim/komet/lines/265001", "body": {}}}


def test_komet_holding_a_count_the_grower_replaced_is_a_finding():
    logs = {"asinfo": [_said(1, 3), _said(5, 1)], "komet": []}
    assert superseded_confirmations(_komet(3), _asinfo(), logs) == [
        "line 265001: Komet holds 3 confirmed, a count the grower replaced with 1"
    ]


def test_komet_holding_the_grower_last_count_is_not():
    logs = {"asinfo": [_said(1, 3), _said(5, 1)], "komet": []}
    assert superseded_confirmations(_komet(1), _asinfo(), logs) == []


def test_a_change_by_someone_else_after_the_last_word_excuses_it():
    logs = {"asinfo": [_said(1, 3), _said(5, 1)], "komet": [_importer_edit(6)]}
    assert superseded_confirmations(_komet(3), _asinfo(), logs) == []


def test_a_change_by_someone_else_before_the_last_word_does_not():
    logs = {"asinfo": [_said(1, 3), _said(5, 1)], "komet": [_importer_edit(3)]}
    assert superseded_confirmations(_komet(3), _asinfo(), logs) != []


@pytest.mark.parametrize(
    "later",
    [
        _said(7, 0, path="/api/orders/1/confirmation"),  # a whole PO: no count this check can read
        _said(7, 0, path="/api/outbox/7", method="DELETE"),  # the grower withdrew a waiting confirmation
    ],
)
def test_a_later_word_without_a_count_leaves_the_line_alone(later):
    logs = {"asinfo": [_said(1, 3), _said(5, 1), later], "komet": []}
    assert superseded_confirmations(_komet(3), _asinfo(), logs) == []


@pytest.mark.parametrize("status", ["S", "X"])
def test_a_shipped_or_cancelled_line_is_left_alone(status):
    logs = {"asinfo": [_said(1, 3), _said(5, 1)], "komet": []}
    assert superseded_confirmations(_komet(3, status), _asinfo(), logs) == []


def test_work_through_the_portal_leaves_every_line_alone():
    portal = {**_said(6, 2), "request": {"method": "POST", "path": "/orders/1/confirm", "body": {}}}
    logs = {"asinfo": [_said(1, 3), _said(5, 1), portal], "komet": []}
    assert superseded_confirmations(_komet(3), _asinfo(), logs) == []


def test_the_grower_own_confirmation_in_komet_that_asinfo_dropped_is_a_finding():
    logs = {"asinfo": [], "komet": [_confirmed_in_komet(4, 3)]}
    assert unheld_confirmations(_komet(3), _asinfo("none", None), logs) == [
        "line 265001: Komet holds the grower's own confirmation of 3, which ASINFO holds as none"
    ]


def test_a_confirmation_asinfo_holds_as_accepted_is_not():
    logs = {"asinfo": [], "komet": [_confirmed_in_komet(4, 3)]}
    assert unheld_confirmations(_komet(3), _asinfo("accepted", 3), logs) == []


def test_a_confirmation_of_someone_else_is_not_the_grower_to_hold():
    logs = {"asinfo": [], "komet": [_confirmed_in_komet(4, 3, agent="a script")]}
    assert unheld_confirmations(_komet(3), _asinfo("none", None), logs) == []


def test_an_importer_change_after_the_grower_confirmation_excuses_it():
    logs = {"asinfo": [], "komet": [_confirmed_in_komet(4, 3), _importer_edit(5)]}
    assert unheld_confirmations(_komet(3), _asinfo("none", None), logs) == []


def _one_line_world(seed: int, boxes: int, steps: str, plant: str | None) -> str:
    """A scenario on one PO line of `boxes` boxes, the grower connected, perhaps with an ASINFO plant."""
    planted = f"  plant: {{asinfo: {plant}}}\n" if plant else ""
    return (
        f"name: one line\nseed: {seed}\nworld:\n  komet: {{vendors: 1, posPerDay: 0}}\n  purchaseOrders:\n"
        f"    - shipDate: today\n      lines: [{{product: 0, boxes: {boxes}}}]\n  grower: connected\n"
        f"{planted}steps:\n{steps}"
    )


LATE = """  - fault: {kind: late, method: purchase.order.item.confirm, times: 1}
  - asinfo.confirm: {po: 0, line: 0, boxes: 0}
  - asinfo.confirm: {po: 0, line: 0, boxes: 1}
  - release: {}
"""
STALE_READ = """  - fault: {kind: hold, method: purchase.order.list, times: 1}
  - background: {asinfo.sync: {}}
  - asinfo.confirm: {po: 0, line: 0, boxes: 3}
  - release: {}
"""


@pytest.mark.parametrize(
    ("seed", "boxes", "steps", "plant", "finding"),
    [
        (
            3,
            5,
            LATE,
            "late-confirm-wins",
            "line 265001: Komet holds 0 confirmed, a count the grower replaced with 1",
        ),
        (
            92,
            4,
            STALE_READ,
            "sync-stale-read",
            "Komet holds the grower's own confirmation of 3, which ASINFO holds as none",
        ),
    ],
)
def test_the_planted_ordering_bugs_are_found_once_the_sync_is_quiet(
    run_yaml, seed, boxes, steps, plant, finding
):
    clean = run_yaml(_one_line_world(seed, boxes, steps, None))
    assert clean.status == "passed", clean.failure
    planted = run_yaml(_one_line_world(seed, boxes, steps, plant))
    assert planted.status == "failed"
    assert any(finding in d for d in planted.failure["details"]), planted.failure
