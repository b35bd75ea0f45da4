"""Importer companies: the company ID, paid users, profile and the daily quota (K5)."""

from __future__ import annotations

from simkit.errors import BadInput

from ..decisions import PROFILES
from . import errors


def get_company(world, company_id: int) -> dict:
    row = world.store.one("SELECT * FROM companies WHERE company_id = ?", (company_id,))
    if row is None:
        raise BadInput("companyId", f"company {company_id} does not exist", "not_found")
    company = dict(row)
    company["daily_limit"] = company["paid_users"] * company["quota_per_user"]
    company["calls_today"] = calls_today(world, company_id)
    return company


def update_company(world, company_id: int, changes: dict) -> dict:
    """Settings a scenario may change: paid users, quota per user, profile."""
    allowed = {"paidUsers": "paid_users", "quotaPerUser": "quota_per_user", "profile": "profile"}
    for key in changes:
        if key not in allowed:
            raise BadInput(key, f"unknown setting; use {', '.join(allowed)}")
    if "profile" in changes and changes["profile"] not in PROFILES:
        raise BadInput("profile", f"must be one of {', '.join(PROFILES)}")
    for key in ("paidUsers", "quotaPerUser"):
        if key in changes and (
            not isinstance(changes[key], int)
            or isinstance(changes[key], bool)
            or not 1 <= changes[key] <= 10**9
        ):
            raise BadInput(key, "must be a whole number from 1 to 1000000000")
    get_company(world, company_id)
    with world.store.tx() as c:
        for key, column in allowed.items():
            if key in changes:
                c.execute(
                    f"UPDATE companies SET {column} = ? WHERE company_id = ?", (changes[key], company_id)
                )
    return get_company(world, company_id)


def calls_today(world, company_id: int) -> int:
    row = world.store.one(
        "SELECT calls FROM quota WHERE company_id = ? AND day = ?",
        (company_id, world.clock.today().isoformat()),
    )
    return row["calls"] if row else 0


def consume_quota(world, company_id: int) -> None:
    """Count one call against today's pool (UTC day on the virtual clock); over it, refuse until tomorrow."""
    day = world.clock.today().isoformat()
    with world.store.tx() as c:
        company = c.execute(
            "SELECT paid_users, quota_per_user FROM companies WHERE company_id = ?", (company_id,)
        ).fetchone()
        limit = company["paid_users"] * company["quota_per_user"]
        row = c.execute(
            "SELECT calls FROM quota WHERE company_id = ? AND day = ?", (company_id, day)
        ).fetchone()
        used = row["calls"] if row else 0
        if used >= limit:
            raise errors.DailyLimit(limit=limit)
        c.execute(
            "INSERT INTO quota(company_id, day, calls) VALUES (?, ?, 1) "
            "ON CONFLICT(company_id, day) DO UPDATE SET calls = calls + 1",
            (company_id, day),
        )


def list_users(world, company_id: int | None = None) -> list[dict]:
    """Who can sign in to the importer's portal (never their passwords)."""
    where, args = ("WHERE company_id = ?", (company_id,)) if company_id is not None else ("", ())
    return [
        {"username": r["username"], "name": r["name"], "role": r["role"], "companyId": r["company_id"]}
        for r in world.store.all(f"SELECT * FROM users {where} ORDER BY company_id, id", args)
    ]
