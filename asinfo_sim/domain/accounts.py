"""Grower accounts (a farm using ASINFO): name, farm code, origin, and the pattern of its box codes."""

from __future__ import annotations

from ..decisions import COUNTRY_OF_ORIGIN, DEFAULT_BOX_CODE_PATTERN, LOT_START, ORIGINS
from .errors import BadInput, NotFound


def account_view(r) -> dict:
    return {
        "accountId": r["account_id"],
        "name": r["name"],
        "farmCode": r["farm_code"],
        "country": r["country"],
        "origin": r["origin"],
        "boxCodePattern": r["box_code_pattern"],
        "createdOn": r["created_on"],
    }


def get_account(world, account_id: int) -> dict:
    row = world.store.one("SELECT * FROM accounts WHERE account_id = ?", (account_id,))
    if row is None:
        raise NotFound("account", f"grower account {account_id} does not exist")
    return account_view(row)


def check_pattern(pattern) -> str:
    """Box codes go to Komet as string:20: the pattern must make short, plain codes."""
    if not isinstance(pattern, str) or "{seq" not in pattern:
        raise BadInput("boxCodePattern", "must contain {seq} (e.g. {farm}{seq:07d})")
    try:
        sample = pattern.format(farm="ABCD", seq=9999999)
    except (KeyError, ValueError, IndexError):
        raise BadInput("boxCodePattern", "may use only {farm} and {seq} (e.g. {farm}{seq:07d})") from None
    if len(sample) > 20 or not (sample.isascii() and sample.isalnum()):
        raise BadInput("boxCodePattern", "must give letters and digits only, at most 20 characters")
    return pattern


def create_account(
    world, name: str, farm_code: str, origin: str, pattern: str = DEFAULT_BOX_CODE_PATTERN
) -> dict:
    if not isinstance(name, str) or not name.strip():
        raise BadInput("name", "the farm's name is required")
    if not isinstance(farm_code, str) or not farm_code.isalnum() or not 2 <= len(farm_code) <= 6:
        raise BadInput("farmCode", "2 to 6 letters or digits")
    if origin not in ORIGINS:
        raise BadInput("origin", f"one of {', '.join(ORIGINS)}")
    check_pattern(pattern)
    account_id = world.next_id("account")
    with world.store.tx() as c:
        c.execute(
            "INSERT INTO accounts(account_id, name, farm_code, country, origin, box_code_pattern, lot_sequence, "
            "created_on) VALUES (?,?,?,?,?,?,?,?)",
            (
                account_id,
                name.strip(),
                farm_code.upper(),
                COUNTRY_OF_ORIGIN[origin],
                origin,
                pattern,
                LOT_START,
                world.clock.stamp(),
            ),
        )
    return get_account(world, account_id)


def update_account(world, account_id: int, changes: dict) -> dict:
    allowed = {"name": "name", "boxCodePattern": "box_code_pattern", "origin": "origin"}
    for key in changes:
        if key not in allowed:
            raise BadInput(key, f"cannot be changed; use {', '.join(allowed)}")
    if "boxCodePattern" in changes:
        check_pattern(changes["boxCodePattern"])
    if "origin" in changes and changes["origin"] not in ORIGINS:
        raise BadInput("origin", f"one of {', '.join(ORIGINS)}")
    if "name" in changes and (not isinstance(changes["name"], str) or not changes["name"].strip()):
        raise BadInput("name", "the farm's name is required")
    get_account(world, account_id)
    with world.store.tx() as c:
        for key, column in allowed.items():
            if key in changes:
                c.execute(
                    f"UPDATE accounts SET {column} = ? WHERE account_id = ?", (changes[key], account_id)
                )
        if "origin" in changes:
            c.execute(
                "UPDATE accounts SET country = ? WHERE account_id = ?",
                (COUNTRY_OF_ORIGIN[changes["origin"]], account_id),
            )
    return get_account(world, account_id)


def next_box_code(c, account_id: int) -> str:
    row = c.execute(
        "SELECT farm_code, box_code_pattern, box_sequence FROM accounts WHERE account_id = ?", (account_id,)
    ).fetchone()
    seq = row["box_sequence"] + 1
    c.execute("UPDATE accounts SET box_sequence = ? WHERE account_id = ?", (seq, account_id))
    return row["box_code_pattern"].format(farm=row["farm_code"], seq=seq)


def next_lot(c, account_id: int) -> str:
    c.execute("UPDATE accounts SET lot_sequence = lot_sequence + 1 WHERE account_id = ?", (account_id,))
    return str(
        c.execute("SELECT lot_sequence FROM accounts WHERE account_id = ?", (account_id,)).fetchone()[0]
    )
