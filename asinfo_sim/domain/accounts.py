"""Grower accounts (a farm using ASINFO): name, farm code, origin, and the pattern of its box codes."""

from __future__ import annotations

import re
import sqlite3
from string import Formatter
from typing import TYPE_CHECKING

from simkit.params import P

from ..decisions import COUNTRY_OF_ORIGIN, DEFAULT_BOX_CODE_PATTERN, LOT_START, ORIGINS
from .errors import NotFound

if TYPE_CHECKING:
    from asinfo_sim.domain.world import AsinfoWorld


MAX_CODE_LENGTH = 20  # a box code is string:20 in Komet's API (docs/komet-api.md)


def account_view(r: sqlite3.Row) -> dict:
    return {
        "accountId": r["account_id"],
        "name": r["name"],
        "farmCode": r["farm_code"],
        "country": r["country"],
        "origin": r["origin"],
        "boxCodePattern": r["box_code_pattern"],
        "createdOn": r["created_on"],
    }


def get_account(world: AsinfoWorld, account_id: int) -> dict:
    row = world.store.one("SELECT * FROM accounts WHERE account_id = ?", (account_id,))
    if row is None:
        raise NotFound("account", f"grower account {account_id} does not exist")
    return account_view(row)


def check_pattern(pattern: str) -> str:
    """Box codes go to Komet as string:20: the pattern must make short, plain codes."""
    if "{seq" not in pattern:
        raise ValueError("must contain {seq} (e.g. {farm}{seq:07d})")
    usage = "may use only {farm} and {seq} (e.g. {farm}{seq:07d})"
    try:
        fields = [
            (field, spec or "") for _, field, spec, _ in Formatter().parse(pattern) if field is not None
        ]
    except ValueError:
        raise ValueError(usage) from None
    if any(
        "{" in spec for _, spec in fields
    ):  # a width taken from a field ({seq:0{seq}d}) is no width we know
        raise ValueError(usage)
    # Widths are read before anything is formatted: {seq:0999999999d} would build a gigabyte only to refuse it.
    if any(int(n) > MAX_CODE_LENGTH for _, spec in fields for n in re.findall(r"\d+", spec)):
        raise ValueError(f"must give letters and digits only, at most {MAX_CODE_LENGTH} characters")
    try:
        sample = pattern.format(farm="ABCD", seq=9999999)
    except (KeyError, ValueError, IndexError):
        raise ValueError(usage) from None
    if len(sample) > MAX_CODE_LENGTH or not (sample.isascii() and sample.isalnum()):
        raise ValueError(f"must give letters and digits only, at most {MAX_CODE_LENGTH} characters")
    return pattern


def check_farm_code(code: str) -> str:
    """A farm code prints on every label: 2 to 6 letters or digits (longer ones are cut to 6)."""
    code = code.strip()[:6].upper()
    if len(code) < 2 or not (code.isascii() and code.isalnum()):
        raise ValueError("2 to 6 letters or digits")
    return code


FARM_NAME = P("name", "str", True, size=100, check=str.strip, reason="the farm's name, 1 to 100 characters")
ORIGIN = P("origin", "str", True, choices=ORIGINS)
ACCOUNT_CHANGES = (FARM_NAME, P("boxCodePattern", "str", True, check=check_pattern), ORIGIN)


def create_account(
    world: AsinfoWorld, name: str, farm_code: str, origin: str, pattern: str = DEFAULT_BOX_CODE_PATTERN
) -> dict:
    """A farm, from values already checked (FARM_NAME, check_farm_code, ORIGIN, check_pattern)."""
    account_id = world.next_id("account")
    with world.store.tx() as c:
        c.execute(
            "INSERT INTO accounts(account_id, name, farm_code, country, origin, box_code_pattern, lot_sequence, "
            "created_on) VALUES (?,?,?,?,?,?,?,?)",
            (
                account_id,
                name,
                farm_code,
                COUNTRY_OF_ORIGIN[origin],
                origin,
                pattern,
                1000 if world.plant == "lot-in-komet-range" else LOT_START,  # planted bug: Komet's range
                world.clock.stamp(),
            ),
        )
    return get_account(world, account_id)


def update_account(
    world: AsinfoWorld,
    account_id: int,
    *,
    name: str | None = None,
    box_code_pattern: str | None = None,
    origin: str | None = None,
) -> dict:
    """Change what is given (checked by ACCOUNT_CHANGES); the country follows the origin."""
    changes = {
        "name": name,
        "box_code_pattern": box_code_pattern,
        "origin": origin,
        "country": COUNTRY_OF_ORIGIN[origin] if origin else None,
    }
    get_account(world, account_id)
    with world.store.tx() as c:
        for column, value in changes.items():
            if value is not None:
                c.execute(f"UPDATE accounts SET {column} = ? WHERE account_id = ?", (value, account_id))
    return get_account(world, account_id)


def next_box_code(c: sqlite3.Connection, account_id: int) -> str:
    row = c.execute(
        "SELECT farm_code, box_code_pattern, box_sequence FROM accounts WHERE account_id = ?", (account_id,)
    ).fetchone()
    seq = row["box_sequence"] + 1
    c.execute("UPDATE accounts SET box_sequence = ? WHERE account_id = ?", (seq, account_id))
    return row["box_code_pattern"].format(farm=row["farm_code"], seq=seq)


def next_lot(c: sqlite3.Connection, account_id: int) -> str:
    c.execute("UPDATE accounts SET lot_sequence = lot_sequence + 1 WHERE account_id = ?", (account_id,))
    return str(
        c.execute("SELECT lot_sequence FROM accounts WHERE account_id = ?", (account_id,)).fetchone()[0]
    )
