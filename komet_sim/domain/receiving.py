"""Warehouse receipt (K12): `box.warehouse.receive`, an In Transit box becomes Received, at a rack position."""

from __future__ import annotations

from typing import TYPE_CHECKING

from simkit.errors import BadInput

from . import errors
from .box_codes import _own_box
from .tokens import Caller

if TYPE_CHECKING:
    from komet_sim.domain.world import KometWorld


MAX_POSITION = 4  # box.warehouse.receive: position (string:4), a rack position


def check_position(position: str | None) -> str | None:
    if position is not None and (not isinstance(position, str) or len(position) > MAX_POSITION):
        raise BadInput("position", f"a rack position of at most {MAX_POSITION} characters")
    return position or None


def receive_box(
    world: KometWorld, caller: Caller, code: str, position: str | None = None, location_id: int | None = None
) -> None:
    """K12: an In Transit box becomes Received. (Its callers answer in their own words: the API with the
    documented success envelope, the portal box by box.)"""
    position = check_position(position)
    with world.store.tx() as c:
        box = _own_box(c, caller, code)
        if box is None:
            raise errors.BoxNotFound(field="boxCode")
        if box["status_id"] == 2:
            raise errors.BoxAlreadyReceived(code=code)
        if (
            location_id is not None
            and not c.execute(
                "SELECT 1 FROM locations WHERE id = ? AND company_id = ?", (location_id, caller.company_id)
            ).fetchone()
        ):
            raise errors.LocationNotFound(field="companyLocationId", ref=location_id)
        c.execute(
            "UPDATE boxes SET status_id = 2, position = ?, location_id = ?, received_on = ? WHERE id = ?",
            (position, location_id, world.clock.stamp(), box["id"]),
        )
