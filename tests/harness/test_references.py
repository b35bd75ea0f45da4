"""A reference's form says what it is, never its size: an integer is the Nth, {id: N} / {poItemId: N} names one
by id, text is a number or code. (An integer above 999 used to be taken for an id, and a long string for a
token.)"""

from __future__ import annotations

import pytest

from harness.clients import SimError
from harness.live_topology import LiveTopology, MixedTopology
from harness.topology import InProcessTopology, ServedTopology, Topology

SMALL_WORLD = "world:\n  komet: {vendors: 1, shipDays: 1, posPerDay: 1, linesPerPo: 2}\n  grower: connected\n"


def test_a_big_line_number_is_an_index_not_an_id(run_yaml):
    result = run_yaml(
        f"name: big index\n{SMALL_WORLD}steps:\n"
        "  - komet.get_line: {po: 0, line: 0}\n    save: {item: poItemId}\n"
        '  - komet.get_line: {po: 0, line: "${item}"}\n'
    )
    assert result.status == "failed"
    assert "has no line" in result.failure["message"]
    assert "line: {poItemId: N}" in result.failure["message"]


def test_a_line_by_its_id(run_yaml):
    result = run_yaml(
        f"name: by id\n{SMALL_WORLD}steps:\n"
        "  - komet.get_line: {po: 0, line: 1}\n    save: {item: poItemId}\n"
        '  - komet.get_line: {po: 0, line: {poItemId: "${item}"}}\n    expect: {poItemId: "${item}"}\n'
    )
    assert result.status == "passed", result.failure


def test_a_po_by_index_id_or_number(run_yaml):
    result = run_yaml(
        f"name: po forms\n{SMALL_WORLD}steps:\n"
        "  - komet.get_po: {po: 0}\n    save: {id: id, number: number}\n"
        '  - komet.get_po: {po: {id: "${id}"}}\n    expect: {number: "${number}"}\n'
        '  - komet.get_po: {po: "${number}"}\n    expect: {id: "${id}"}\n'
    )
    assert result.status == "passed", result.failure


def test_a_product_by_index_or_id(run_yaml):
    result = run_yaml(
        "name: product forms\nworld:\n  komet: {vendors: 1, posPerDay: 0}\n"
        '  purchaseOrders: [{shipDate: "+1d", lines: [{product: 2, boxes: 1}]}]\nsteps:\n'
        "  - komet.get_line: {po: 0, line: 0}\n    save: {product: productId}\n"
        '  - komet.add_line: {po: 0, product: {id: "${product}"}, boxes: 2}\n'
        "  - komet.get_line: {po: 0, line: 1}\n"
        '    expect: {productId: "${product}"}\n'
    )
    assert result.status == "passed", result.failure


def test_a_product_index_out_of_range_is_not_taken_for_an_id(run_yaml):
    result = run_yaml(
        "name: product index\nworld:\n  komet: {vendors: 1, posPerDay: 0}\nsteps:\n"
        '  - komet.create_po: {shipDate: "+1d", lines: [{product: 5000, boxes: 1}]}\n'
    )
    assert result.status == "failed"
    assert "no product #5000" in result.failure["message"]


def test_a_vendor_by_index_id_or_code(run_yaml):
    result = run_yaml(
        "name: vendor forms\nworld:\n  komet: {vendors: 2, posPerDay: 0}\nsteps:\n"
        '  - komet.create_po: {vendor: 1, shipDate: "+1d", lines: [{boxes: 1}]}\n    save: {vendor: vendorId}\n'
        '  - komet.create_po: {vendor: {id: "${vendor}"}, shipDate: "+1d", lines: [{boxes: 1}]}\n'
        '    expect: {vendorId: "${vendor}"}\n'
    )
    assert result.status == "passed", result.failure
    result = run_yaml(
        "name: vendor index\nworld:\n  komet: {vendors: 2, posPerDay: 0}\nsteps:\n"
        "  - komet.create_po: {vendor: 7, lines: [{boxes: 1}]}\n"
    )
    assert result.status == "failed" and "no vendor #7" in result.failure["message"]


def test_a_token_given_as_text_is_used_as_it_is(run_yaml):
    """komet.call token: short text is still the token's text (it used to need 20 characters or more)."""
    result = run_yaml(
        f"name: token text\n{SMALL_WORLD}steps:\n"
        "  - komet.call: {method: carrier.list, token: short}\n    refused: /[Tt]oken/\n"
    )
    assert result.status == "passed", result.failure


@pytest.mark.parametrize(
    ("kind", "said"),
    [
        ("reset", "the connection was reset or closed"),
        ("lost_response", "the connection was reset or closed"),
    ],
)
def test_komet_call_through_a_network_fault_says_there_was_no_reply(run_yaml, kind, said):
    """A fault on the step's own call is the step's outcome (refused: with what happened), not a crash."""
    result = run_yaml(
        f"name: no reply\n{SMALL_WORLD}steps:\n"
        f"  - fault: {{kind: {kind}, method: carrier.list, times: 1}}\n"
        "  - komet.call: {method: carrier.list}\n"
        f"    refused: 'no reply from Komet: {said}'\n"
    )
    assert result.status == "passed", result.failure


def test_a_refused_call_is_not_an_assertion():
    """A failed check and a refused call are different things (SimError used to be an AssertionError)."""
    assert not issubclass(SimError, AssertionError)


def test_each_mode_is_its_own_object():
    assert {c.name for c in (InProcessTopology, ServedTopology, LiveTopology, MixedTopology)} == {
        "in-process",
        "served",
        "live",
        "mixed",
    }
    assert not InProcessTopology.shared and LiveTopology.shared and MixedTopology.shared
    topo = Topology.in_process(seed=3)
    try:
        topo.komet.namespace = "42"
        assert topo.scope(topo.komet) is None  # the whole world is this run's own
    finally:
        topo.close()


def test_a_live_komet_with_a_grower_of_the_users_has_no_asinfo_to_tidy():
    """--komet-url with --grower: only Komet has a control plane; tidying and clients know it."""
    from harness.clients import KometSimClient

    topo = LiveTopology(KometSimClient("http://127.0.0.1:9"), None, "http://127.0.0.1:9")
    assert [name for name, _ in topo.clients()] == ["komet"]
    assert topo.tidy(passed=False) == "kept on the server for inspection: "
    assert topo.tidy(passed=True) is None
