"""The sync log: one entry per sync of a connection (when, which ship dates, the counts, the changes in words,
or the error), newest first."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from asinfo_sim.domain.world import AsinfoWorld


def _log(
    world: AsinfoWorld, account_id, connection_id, dates, result, counts, changes, error, trigger
) -> dict:
    """The entry written, as log_view shows it (made from what was written: JSON gives each value back as is)."""
    with world.store.tx() as c:
        entry = {
            "id": world.next_id("sync_log"),
            "connectionId": connection_id,
            "at": world.clock.stamp(),
            "shipDates": list(dates),
            "result": result,
            "counts": dict(counts),
            "changes": changes[:500],
            "error": error,
            "trigger": trigger,
        }
        c.execute(
            "INSERT INTO sync_log(id, account_id, connection_id, started_on, ship_dates, result, counts, changes, "
            "error, trigger) VALUES (?,?,?,?,?,?,?,?,?,?)",
            (
                entry["id"],
                account_id,
                connection_id,
                entry["at"],
                json.dumps(entry["shipDates"]),
                result,
                json.dumps(entry["counts"]),
                json.dumps(entry["changes"]),
                error,
                trigger,
            ),
        )
    return entry


def log_view(r) -> dict:
    return {
        "id": r["id"],
        "connectionId": r["connection_id"],
        "at": r["started_on"],
        "shipDates": json.loads(r["ship_dates"]),
        "result": r["result"],
        "counts": json.loads(r["counts"]),
        "changes": json.loads(r["changes"]),
        "error": r["error"],
        "trigger": r["trigger"],
    }


def sync_log(
    world: AsinfoWorld, account_id: int, connection_id: int | None = None, limit: int = 100
) -> list[dict]:
    args: list = [account_id]
    where = ""
    if connection_id is not None:
        where = " AND connection_id = ?"
        args.append(connection_id)
    rows = world.store.all(
        f"SELECT * FROM sync_log WHERE account_id = ?{where} ORDER BY id DESC LIMIT ?", (*args, limit)
    )
    return [log_view(r) for r in rows]
