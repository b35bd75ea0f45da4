"""The checks read each journal once and then only what came after (harness.exchanges): what they see is always
the journal as a full read gives it, a reset in between included."""

from __future__ import annotations

from harness import exchanges


def full(ctx) -> dict[str, list[dict]]:
    company, account = str(ctx.company["companyId"]), str(ctx.grower["account"]["accountId"])
    return {
        "komet": ctx.komet.journal_entries(company),
        "asinfo": ctx.asinfo.journal_entries(account),
    }


def sync(ctx) -> None:
    ctx.asinfo.json("POST", f"/api/connections/{ctx.grower['connection']['id']}/sync")


def test_a_second_read_adds_what_came_since(ctx):
    first = exchanges.journals(ctx)
    sync(ctx)
    second = exchanges.journals(ctx)
    assert len(second["komet"]) > len(first["komet"]) and len(second["asinfo"]) > len(first["asinfo"])
    assert second == full(ctx)


def test_a_cleared_journal_is_read_again_not_kept(ctx):
    sync(ctx)
    exchanges.journals(ctx)
    ctx.komet.reset(str(ctx.company["companyId"]))  # drops that namespace's journal too
    assert exchanges.journals(ctx)["komet"] == full(ctx)["komet"]
