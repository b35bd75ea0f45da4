"""Tokens a vendor makes itself (K25): a Vendor token of its own vendor at the importer it works for, with the
methods it chooses among those a vendor may enable. The rules are the importer's (K4): one token per vendor,
the newest replacing the older whoever made either; the importer's quota pays for every call; the importer
sees it in its Tokens list, marked as the vendor's, and may delete it. The vendor sees its vendor's tokens at
that importer, may send and revoke the ones it made, and never sees the value of one the importer made."""

from __future__ import annotations

from typing import TYPE_CHECKING

from simkit.errors import BadInput

from ..decisions import VENDOR_MADE_METHODS
from . import tokens
from .tokens import TOKEN_SQL, Caller

if TYPE_CHECKING:
    from komet_sim.domain.world import KometWorld


def _methods(methods) -> list[str]:
    """A list of method names, "asinfo" (the preset) or "all" (everything a vendor may enable)."""
    if methods == "all":
        return list(VENDOR_MADE_METHODS)
    names = tokens.resolve_methods(methods)
    refused = [m for m in names if m not in VENDOR_MADE_METHODS]
    if refused:
        raise BadInput(
            "methods",
            f"{refused[0]} is the importer's to grant; a vendor's own token may carry "
            f"{', '.join(VENDOR_MADE_METHODS)}",
        )
    return names


def create(world: KometWorld, caller: Caller, description: str, methods) -> dict:
    """A Vendor token for the caller's vendor at the caller's importer, made by the caller's login."""
    if not caller.is_vendor or caller.user is None:
        raise BadInput("vendor", "only a vendor signed in to its portal makes its own token")
    names = _methods(methods)
    with world.store.tx() as c:
        made = tokens.create_token(world, caller.company_id, "Vendor", description, names, caller.vendor_id)
        c.execute(
            "INSERT INTO vendor_made_tokens(token_id, company_id, made_by) VALUES (?,?,?)",
            (made["id"], caller.company_id, caller.user),
        )
    return {
        **_get(world, caller, made["id"]),
        "replaced": made["replaced"],
        "replacedMadeBy": made["replacedMadeBy"],
    }


def _get(world: KometWorld, caller: Caller, token_id: int) -> dict:
    row = world.store.one(
        TOKEN_SQL + " WHERE t.id = ? AND t.company_id = ? AND t.type = 'Vendor' AND t.vendor_id = ?",
        (token_id, caller.company_id, caller.vendor_id),
    )
    if row is None:
        raise BadInput("id", f"token {token_id} does not exist", "not_found")
    return tokens.token_view(row, reveal=row["made_by"] is not None)


def list_mine(world: KometWorld, caller: Caller) -> list[dict]:
    """The vendor's tokens at this importer: its own (with their value), and one the importer made for it
    (without)."""
    rows = world.store.all(
        TOKEN_SQL + " WHERE t.company_id = ? AND t.type = 'Vendor' AND t.vendor_id = ? AND t.user_id IS NULL "
        "ORDER BY t.id",
        (caller.company_id, caller.vendor_id),
    )
    return [tokens.token_view(r, reveal=r["made_by"] is not None) for r in rows]


def _own(world: KometWorld, caller: Caller, token_id: int, doing: str) -> dict:
    token = _get(world, caller, token_id)
    if token["madeBy"] != "vendor":
        raise BadInput(
            "id", f"token {token_id} was made by the importer: only the importer can {doing} it", "conflict"
        )
    return token


def send(world: KometWorld, caller: Caller, token_id: int) -> dict:
    """The vendor sends the token it made to the importer (it was in the importer's list from the start; sending
    says the vendor means it to be used)."""
    _own(world, caller, token_id, "send")
    with world.store.tx() as c:
        c.execute(
            "UPDATE vendor_made_tokens SET sent_on = ? WHERE token_id = ?", (world.clock.stamp(), token_id)
        )
    return _get(world, caller, token_id)


def revoke(world: KometWorld, caller: Caller, token_id: int) -> dict:
    """The vendor deletes a token it made: it stops working at once, for whoever holds it."""
    _own(world, caller, token_id, "revoke")
    return tokens.delete_token(world, caller.company_id, token_id)
