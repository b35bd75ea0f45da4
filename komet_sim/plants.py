"""Known bugs komet_sim can be switched into on purpose (config "plant"), to prove kasim's checks catch what
a Komet that broke its documented contract would do. Each name with one sentence; the harness reads them
from here (`kasim plants`). None is ever on in normal use."""

from __future__ import annotations

PLANTS: dict[str, str] = {
    "confirm-adds": "purchase.order.item.confirm adds the boxes to what was confirmed instead of setting them",
    "split-keeps-full": "a partial shipment leaves the whole ordered quantity on the shipped line "
    "(the remainder line is made as well)",
    "reused-box-code": "purchase.order.items.awb.add accepts a box code Komet already holds",
    "vendor-sees-all": "a Vendor token's purchase.order.list also returns other vendors' purchase orders",
    "quota-counts-refused": "the daily API quota also counts the calls Komet refused",
}
