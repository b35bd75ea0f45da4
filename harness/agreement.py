"""Both sides agree once the sync is quiet: compared twice. First BEFORE the healing sync, on what ASINFO
already holds (its own writes, accepted, shipped, relabelled) for every line nobody else touched since its last
sync: a sync that rewrites a wrong value from Komet must not hide that ASINFO held it. Then after one last
sync, on every line but those another caller shipped through Komet's API (their boxes are not ASINFO's)."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from simkit.clock import parse_datetime

from .clients import SimError
from .exchanges import good_sync_spans, journals, others_writes, own_writes, shipped_by_others
from .intents import superseded_confirmations, unheld_confirmations

if TYPE_CHECKING:
    from harness.context import Ctx


def agreement(komet: dict, asinfo: dict, skip: set[int] | frozenset = frozenset()) -> list[str]:
    """The two stories, line by line (Komet line ids in `skip` are left out)."""
    problems = []
    items = {i["id"]: i for i in komet["po_items"]}
    orders = {o["id"]: o for o in asinfo["orders"]}
    shipped = defaultdict(set)
    for b in asinfo["boxes"]:
        if b["state"] == "shipped":
            shipped[b["line_id"]].add(b["komet_code"] or b["code"])
    komet_codes = defaultdict(set)
    for b in komet["boxes"]:
        komet_codes[b["po_item_id"]].add(b["code"])
    known_codes = set().union(*shipped.values()) if shipped else set()
    ours = {ln["komet_item_id"] for ln in asinfo["lines"]}
    for b in komet["boxes"]:
        if b["po_item_id"] in ours and b["po_item_id"] not in skip and b["code"] not in known_codes:
            problems.append(
                f"Komet has box {b['code']} on line {b['po_item_id']} that ASINFO does not know it shipped"
            )
    for ln in asinfo["lines"]:
        if orders[ln["order_id"]]["state"] == "missing" or ln["komet_item_id"] in skip:
            continue
        item = items.get(ln["komet_item_id"])
        if item is None:
            problems.append(
                f"ASINFO line {ln['id']} refers to Komet line {ln['komet_item_id']}, which does not exist"
            )
            continue
        where = f"line {ln['komet_item_id']}"
        for mine, theirs, what in (
            ("ordered", "total_boxes", "boxes ordered"),
            ("komet_status", "status", "status"),
            ("bunches", "bunches", "bunches per box"),
            ("stems_bunch", "stems_bunch", "stems per bunch"),
        ):
            if ln[mine] != item[theirs]:
                problems.append(f"{where}: ASINFO says {what} {ln[mine]}, Komet {item[theirs]}")
        # A cancelled line's confirmed count has no effect left (it never ships), and Komet keeps whichever
        # confirmation reached it last, a late one included, which the grower can no longer replace.
        if (
            ln["confirm_state"] == "accepted"
            and item["status"] != "X"
            and ln["confirmed"] != item["quantity_confirmed"]
        ):
            problems.append(
                f"{where}: ASINFO confirmed {ln['confirmed']}, Komet {item['quantity_confirmed']}"
            )
        if ln["confirm_state"] in ("pending", "sent"):
            problems.append(
                f"{where}: a confirmation is still {ln['confirm_state']} after the sync went quiet"
            )
        if shipped[ln["id"]] != komet_codes[item["id"]]:
            problems.append(
                f"{where}: ASINFO shipped {sorted(shipped[ln['id']])}, Komet has "
                f"{sorted(komet_codes[item['id']])}"
            )
    return problems


def touched_since_sync(ctx: Ctx, komet: dict) -> set[int] | None:
    """Komet lines someone other than ASINFO's answered writes changed since ASINFO's last good sync: the
    importer's actions and requests Komet processed late. None when it cannot be told (live servers keep
    their own clocks, so the two journals' ticks do not compare)."""
    if ctx.topo.shared:
        return None
    logs = journals(ctx)
    syncs = good_sync_spans(logs["asinfo"])
    own = own_writes(komet, logs["komet"])

    def since(item: int) -> int:
        """The last sync that could tell the grower about the line: not one overlapping a write of its own
        to it (what it read is older than that write, so it may rightly keep what it wrote, A16)."""
        for begin, end in reversed(syncs):
            if not any(item in lines and w_begin < end and w_end > begin for w_begin, w_end, lines in own):
                return begin
        return 0

    touched: set[int] = set()
    for tick, items in others_writes(komet, logs["komet"], late=True):
        touched |= {item for item in items - touched if tick >= since(item)}
    return touched | _split_from(komet, touched)


def _split_from(komet: dict, lines: set[int]) -> set[int]:
    """The lines Komet split off those lines, at any depth: a split's rest is counted from the line Komet
    held, which a change the grower has not synced yet makes different from what the grower held (Komet's
    reply names the new line, not its count)."""
    children = defaultdict(set)
    for item in komet["po_items"]:
        if item.get("split_from") is not None:
            children[item["split_from"]].add(item["id"])
    found: set[int] = set()
    todo = list(lines)
    while todo:
        for child in children[todo.pop()] - found:
            found.add(child)
            todo.append(child)
    return found


def _wait_until_due(ctx: Ctx) -> None:
    """Time passes until every waiting write is due (Komet's Retry-After, a backoff, at most a day): writes
    that must wait are not forced through Komet early to make the sync quiet."""
    waiting = [parse_datetime(i["nextAttemptOn"]) for i in ctx.asinfo.outbox("pending")]
    if not waiting:
        return
    now = parse_datetime(ctx.komet.clock(namespace=ctx.topo.scope(ctx.komet))["now"])
    wait = (max(waiting) - now).total_seconds()
    if 0 < wait <= 86400:
        ctx.topo.clock_apply({"advance": f"{int(wait)}s"})


def quiet_and_compare(ctx: Ctx, snapshots) -> tuple[list[str], str | None]:
    """Quiet the sync (no faults, nothing held, deliver what waits), compare what each side holds, then one
    last sync and compare again. (problems, None), or ([], why the comparison could not be made)."""
    if ctx.grower is None:
        return [], "agreement not checked: no grower is connected"
    for client in (ctx.komet, ctx.asinfo):
        ctx.topo.remove_faults(client)
        client.release_held(ctx.topo.scope(client))
    while ctx.background:  # steps still waiting on a held request finish now
        ctx.background.pop(0)[1].join(20)
    _wait_until_due(ctx)
    ctx.asinfo.run_outbox(True)
    komet, asinfo = snapshots(ctx)
    problems = []
    touched = touched_since_sync(ctx, komet)
    if touched is not None:
        problems += [f"before the last sync: {p}" for p in agreement(komet, asinfo, touched)]
    try:
        ctx.asinfo.sync(ctx.grower["connection"]["id"])
    except SimError as exc:
        return problems, f"agreement not checked: the final sync failed ({exc.app_message})"
    komet, asinfo = snapshots(ctx)
    logs = journals(ctx)
    problems += agreement(komet, asinfo, shipped_by_others(komet, logs["komet"]))
    if not ctx.topo.shared:  # the grower's order of words is told by ticks of one clock
        problems += superseded_confirmations(komet, asinfo, logs) + unheld_confirmations(komet, asinfo, logs)
    return problems, None
