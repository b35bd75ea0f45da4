"""komet.await: waits on Komet's view while the clock moves and the grower takes its turns; fails with what
Komet last showed."""

from __future__ import annotations

WORLD = (
    "world:\n  komet: {vendors: 1, posPerDay: 0}\n"
    '  purchaseOrders: [{shipDate: "+1d", lines: [{product: 0, boxes: 2}]}]\n  grower: connected\n'
)


def test_await_fails_with_what_komet_last_showed(run_yaml):
    result = run_yaml(
        f"name: never confirmed\n{WORLD}steps:\n  - komet.await: {{po: 0, line: 0, status: C, within: 2m}}\n"
    )
    assert result.status == "failed"
    assert result.failure["message"] == "Komet did not show status 'C' within 2m"
    assert result.failure["details"][0] == "Komet last showed: status 'P'"


def test_await_moves_the_clock_until_the_grower_acts(run_yaml):
    result = run_yaml(
        f"name: confirmed after the 429\n{WORLD}steps:\n"
        "  - fault: {kind: rate_limit, retryAfter: 90, method: purchase.order.item.confirm, times: 1}\n"
        "  - asinfo.confirm: {po: 0, line: 0, boxes: 2}\n"
        "  - komet.await: {po: 0, line: 0, confirmedBoxes: 2, within: 10m, every: 1m}\n"
        "    expect: {status: C, waited: 120s}\n"
        "  - komet.await: {po: 0, status: CF, within: 1m}\n"
        '    expect: {waited: "0s"}\n'
    )
    assert result.status == "passed", result.failure


def test_await_needs_something_to_wait_for(run_yaml):
    result = run_yaml(f"name: nothing\n{WORLD}steps:\n  - komet.await: {{po: 0, within: 1m}}\n")
    assert result.status == "failed"
    assert "give status:, confirmedBoxes: or shippedBoxes:" in result.failure["message"]
