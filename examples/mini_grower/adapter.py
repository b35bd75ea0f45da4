"""The kasim adapter for mini-grower: `kasim run --grower examples.mini_grower.adapter:MiniGrowerAdapter`.

MINI_GROWER_FLAWS=blind-retry,komet-lots (comma-separated) turns on broken behaviour, as does a subclass's
`flaws`. The adapter only translates: kasim's neutral references (Komet PO number, poItemId, AWB number) are
mini-grower's own keys already."""

from __future__ import annotations

import os
from datetime import datetime

from harness.grower import Grower, GrowerRefused, Labels, Setup

from .grower import MiniError, MiniGrower
from .komet_api import Refused, Unavailable

FLAWS_VARIABLE = "MINI_GROWER_FLAWS"


class MiniGrowerAdapter(Grower):
    name = "mini-grower"
    flaws: frozenset[str] = frozenset()

    def __init__(self, setup: Setup):
        super().__init__(setup)
        from_env = {f.strip() for f in os.environ.get(FLAWS_VARIABLE, "").split(",") if f.strip()}
        self.grower = MiniGrower(self._now, frozenset(self.flaws | from_env))

    def _now(self) -> datetime:
        return datetime.fromisoformat(self.setup.now()) if self.setup.now else datetime.now()

    def _do(self, fn, *args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except (MiniError, Refused, Unavailable) as exc:
            raise GrowerRefused(str(exc)) from None

    def connect(self, komet_url, token, company_id, *, sync_days=None, **_) -> dict:
        return self.grower.connect(komet_url, token, company_id, sync_days)

    def update_connection(self, **changes) -> dict:
        if "token" in changes:
            self.grower.change_token(changes["token"])
        return {"updated": sorted(changes)}

    def sync(self) -> dict:
        return self._do(self.grower.sync)

    def confirm_line(self, po, item, boxes) -> dict:
        return self._do(self.grower.confirm, po, item, boxes)

    def confirm_order(self, po, boxes) -> dict:
        return {"lines": self._do(self.grower.confirm_order, po, boxes == "all")}

    def delete_line(self, po, item) -> dict:
        return self._do(self.grower.delete_line, po, item)

    def create_awb(self, ship_date, airline=None, number=None, **extra) -> dict:
        return self._do(self.grower.create_awb, ship_date, airline or "729", number)

    def assign_boxes(self, awb, lines=None, po=None) -> dict:
        if lines is None:
            items = [
                (r["item"], None)
                for r in self.grower.db.execute("SELECT item FROM lines WHERE po = ?", (po,))
            ]
        else:
            items = [(item, boxes) for _, item, boxes in lines]
        codes = [c for item, boxes in items for c in self._do(self.grower.add_boxes, awb, item, boxes)]
        return {"awb": awb, "added": codes}

    def unassign_boxes(self, awb, box=None, line=None) -> dict:
        codes = [box] if box else [b["code"] for b in self.grower.boxes(awb, line[1]) if not b["shipped"]]
        for code in codes:
            self.grower.remove_box(awb, code)
        return {"awb": awb, "removed": codes}

    def print_labels(self, fmt="pdf", awb=None, line=None, box=None) -> Labels:
        chosen = self.grower.boxes(awb, line[1] if line else None) if box is None else []
        codes = [box] if box is not None else [b["code"] for b in chosen]
        return Labels(self.grower.labels(codes), "zpl", codes)

    def ship(self, awb) -> dict:
        return self._do(self.grower.ship, awb)

    def retry(self, due=False) -> dict:
        return self.grower.retry(due)

    def relabel(self, box, new_code) -> dict:
        return self._do(self.grower.relabel, box, new_code)

    def tick(self) -> dict:
        """mini-grower's schedule: deliver what is due, then sync."""
        delivered = self.grower.retry(True)
        try:
            synced = self.grower.sync()
        except (Refused, Unavailable) as exc:
            synced = {"error": str(exc)}
        return {"retry": delivered, "sync": synced}
