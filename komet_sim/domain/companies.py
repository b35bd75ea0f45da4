"""Importer companies: the company ID, paid users, profile and the daily quota (K5)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from simkit.errors import BadInput

from . import errors

if TYPE_CHECKING:
    from komet_sim.domain.world import KometWorld


def get_company(world: KometWorld, company_id: int) -> dict:
    row = world.store.one("SELECT * FROM companies WHERE company_id = ?", (company_id,))
    if row is None:
        raise BadInput("companyId", f"company {company_id} does not exist", "not_found")
    company = dict(row)
    company["daily_limit"] = company["paid_users"] * company["quota_per_user"]
    company["calls_today"] = calls_today(world, company_id)
    return company


def update_company(
    world: KometWorld,
    company_id: int,
    *,
    paid_users: int | None = None,
    quota_per_user: int | None = None,
    profile: str | None = None,
) -> dict:
    """Settings a scenario may change: paid users, quota per user, profile (checked by the caller's spec)."""
    changes = {"paid_users": paid_users, "quota_per_user": quota_per_user, "profile": profile}
    get_company(world, company_id)
    with world.store.tx() as c:
        for column, value in changes.items():
            if value is not None:
                c.execute(f"UPDATE companies SET {column} = ? WHERE company_id = ?", (value, company_id))
    return get_company(world, company_id)


def calls_today(world: KometWorld, company_id: int) -> int:
    row = world.store.one(
        "SELECT calls FROM quota WHERE company_id = ? AND day = ?",
        (company_id, world.clock.today().isoformat()),
    )
    return row["calls"] if row else 0


def consume_quota(world: KometWorld, company_id: int) -> None:
    """Count one call against today's pool (UTC day on the virtual clock); over it, refuse until tomorrow."""
    day = world.clock.today().isoformat()
    with world.store.tx() as c:
        # Counted first, then compared: over the limit, the transaction (and so the count) rolls back.
        row = c.execute(
            "INSERT INTO quota(company_id, day, calls) VALUES (?, ?, 1) "
            "ON CONFLICT(company_id, day) DO UPDATE SET calls = calls + 1 "
            "RETURNING calls, (SELECT paid_users * quota_per_user FROM companies WHERE company_id = ?) AS pool",
            (company_id, day, company_id),
        ).fetchone()
        if row["calls"] > row["pool"]:
            raise errors.DailyLimit(limit=row["pool"])


def list_users(world: KometWorld, company_id: int | None = None) -> list[dict]:
    """Who can sign in to the importer's portal (never their passwords)."""
    where, args = ("WHERE company_id = ?", (company_id,)) if company_id is not None else ("", ())
    return [
        {"username": r["username"], "name": r["name"], "role": r["role"], "companyId": r["company_id"]}
        for r in world.store.all(f"SELECT * FROM users {where} ORDER BY company_id, id", args)
    ]
