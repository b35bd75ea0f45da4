"""In process, the checks read both sides' state and journals from the control plane's own functions rather than
over HTTP (InProcessTopology.state_if_changed, journal_since): what they read must be exactly what GET
/__sim/state and /__sim/journal answer, and a state must count as changed exactly when the route's ETag says so."""

from __future__ import annotations

import pytest

from ..asinfo.asinfokit import connection_id, ready_awb
from ..testkit import wire


@pytest.fixture
def topo():
    topo = wire()
    made = ready_awb(topo)  # orders, lines, confirmations, an AWB and printed boxes on both sides
    topo.asinfo.ship(made["awb"]["id"])
    yield topo
    topo.close()


def namespaces(topo) -> list[tuple[object, str]]:
    return [
        (topo.komet, str(topo.world["companyId"])),
        (topo.asinfo, str(topo.grower["account"]["accountId"])),
    ]


def test_a_direct_state_read_is_what_the_route_answers(topo):
    for client, namespace in namespaces(topo):
        tag, state = topo.state_if_changed(client, None, namespace)
        http_tag, over_http = client.state_if_changed(None, namespace=namespace)
        assert state == over_http and any(state["tables"].values())
        assert http_tag == f'"{tag}"'  # the same tag, quoted as an ETag


def test_a_direct_state_read_says_unchanged_exactly_when_the_route_does(topo):
    komet, namespace = namespaces(topo)[0]
    tag, _ = topo.state_if_changed(komet, None, namespace)
    assert topo.state_if_changed(komet, tag, namespace) == (tag, None)
    topo.asinfo.sync(connection_id(topo))  # reads Komet: a list call counts on the company's quota
    new, state = topo.state_if_changed(komet, tag, namespace)
    assert new != tag and state == komet.state(namespace=namespace)


def test_a_direct_journal_read_is_what_the_route_answers(topo):
    for client, namespace in namespaces(topo):
        over_http = client.journal(namespace=namespace)["entries"]
        assert topo.journal_since(client, 0, namespace) == over_http and len(over_http) > 3
        since = over_http[2]["seq"]
        assert (
            topo.journal_since(client, since, namespace)
            == client.journal(since=since, namespace=namespace)["entries"]
        )
