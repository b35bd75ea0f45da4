"""The label check reads an AWB's labels back from ASINFO's preview, and asks again only when something those
labels can print changed (harness.invariants._labels): a sync that changes nothing on them does not make it ask
again; a box put on the AWB, or a line of it the importer changed, does."""

from __future__ import annotations

import pytest

from harness import invariants

from ..asinfo.asinfokit import connection_id, ready_awb


@pytest.fixture
def made(ctx):
    return ctx, ready_awb(ctx.topo)


def previews(ctx) -> int:
    return sum(e["request"]["path"] == "/api/labels" for e in ctx.asinfo.journal()["entries"])


def judge(ctx) -> list[str]:
    komet, asinfo = invariants.snapshots(ctx)
    assert asinfo is not None  # a grower is connected
    return invariants.label_rules(ctx, komet, asinfo)


def test_labels_are_not_read_again_when_nothing_they_say_changed(made):
    ctx, _ = made
    assert judge(ctx) == []
    before = previews(ctx)
    ctx.asinfo.sync(connection_id(ctx.topo))  # stamps the connection's last sync; the labels say the same
    assert judge(ctx) == [] and previews(ctx) == before


def test_labels_are_read_again_when_a_box_joins_the_awb(made):
    ctx, awb = made
    judge(ctx)
    before = previews(ctx)
    part = awb["part"]
    ctx.asinfo.confirm_line(part["id"], part["orderedBoxes"])
    ctx.asinfo.assign(awb["awb"]["id"], [(part["id"], part["orderedBoxes"] - 4)])
    ctx.asinfo.print_labels("zpl", awbId=awb["awb"]["id"])
    assert judge(ctx) == [] and previews(ctx) == before + 1
