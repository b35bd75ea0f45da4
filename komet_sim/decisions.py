"""Where the Komet docs are silent, what we decided (docs/decisions.md, K1–K20), in one place.

Profiles (K4): `documented` (default) lets a Vendor token call any method enabled on it, as the ASINFO
flow needs; `strict` follows the docs' letter and refuses methods the docs call Company-only.
"""

from __future__ import annotations

from datetime import date, timedelta

from .methods import ASINFO_PRESET, DOCUMENTED_TOKEN_TYPES, TOKEN_METHODS

PROFILES = ("documented", "strict")

# K25: what a vendor may enable on a token it makes itself: the methods the docs list for Vendor tokens, and the
# ASINFO preset (K15). The importer's own side (AWB lists, warehouse receipt) only the importer grants.
VENDOR_MADE_METHODS: tuple[str, ...] = tuple(
    m for m in TOKEN_METHODS if "Vendor" in DOCUMENTED_TOKEN_TYPES[m] or m in ASINFO_PRESET
)


def token_type_may_call(profile: str, token_type: str, documented: frozenset[str]) -> bool:
    """`documented`: the token types the docs list for the method (the method table says which)."""
    if token_type in documented:
        return True
    return profile == "documented" and token_type == "Vendor"


def reference(value: int | None) -> int:
    """A documented integer is never null in a reply (docs/decisions.md K22): a reference that is not
    set (no location, no carrier, no prebook line) is 0, which is never an id. Typed clients load replies
    into integer columns, and every object of a kind keeps the same keys."""
    return 0 if value is None else value


# K6: status codes on the wire and the texts the filters take.
PO_STATUS_TEXT = {"PA": "Pending Approval", "A": "Approved", "CF": "Confirmed by Farm", "CA": "Cancelled"}
LINE_STATUS_TEXT = {
    "P": "Pending",
    "PC": "Partially Confirmed",
    "C": "Confirmed",
    "S": "Shipped",
    "X": "Cancelled",
}
BOX_STATUS_TEXT = {1: "In Transit", 2: "Received"}


def po_status_filter(value: str) -> str | None:
    """K16: 'Approved', 'approved' or 'A' → 'A'; None if it names no status."""
    v = value.strip().lower()
    for code, label in PO_STATUS_TEXT.items():
        if v in (code.lower(), label.lower()):
            return code
    return None


def line_status_filter(value: str) -> str | None:
    """K16: also takes the docs' truncated 'Partial Conf…' and 'Partial Confirmed'."""
    v = value.strip().lower().rstrip(".…")
    if v.startswith("partial"):
        return "PC"
    for code, label in LINE_STATUS_TEXT.items():
        if v in (code.lower(), label.lower()):
            return code
    return None


def line_status(confirmed: int, ordered: int) -> str:
    """K7: 0 → Pending, less than ordered → Partially Confirmed, all → Confirmed."""
    if confirmed <= 0:
        return "P"
    return "C" if confirmed >= ordered else "PC"


def po_status(current: str, live_line_statuses: list[str]) -> str:
    """K7: a PO is Confirmed by Farm while every live line is confirmed (or shipped)."""
    if current in ("PA", "CA") or not live_line_statuses:
        return current
    return "CF" if all(s in ("C", "S") for s in live_line_statuses) else "A"


VENDOR_SEES_PO_STATUSES = ("A", "CF", "CA")  # K6: vendors see POs once Approved
SHIPPABLE_LINE_STATUSES = ("C", "PC")  # K8

# K8: lot numbers and box codes.
KOMET_LOT_RANGE = (1000, 99999)
BOX_CODE_PREFIX = "KS"
BOX_CODE_DIGITS = 7


def lot_in_komet_range(lot: str) -> bool:
    digits = lot.strip()
    return digits.isdigit() and KOMET_LOT_RANGE[0] <= int(digits) <= KOMET_LOT_RANGE[1]


# K8, K14, docs/komet-api.md §3.3: AWBs close two days after their ship date; arrival is the next day.
AWB_CLOSES_AFTER = timedelta(days=2)
AWB_ARRIVAL_AFTER = timedelta(days=1)


def awb_is_open(ship_date: date, today: date) -> bool:
    return today < ship_date + AWB_CLOSES_AFTER


def awb_key(awb: str) -> str:
    """AWBs are the same whatever the hyphens: 729-1234-5675 and 72912345675 are one AWB."""
    digits = "".join(ch for ch in awb if ch.isdigit())
    return digits if len(digits) >= 4 else awb.strip().upper()


# K5: limits.
MAX_REQUEST_BYTES = 64 * 1024
DEFAULT_QUOTA_PER_USER = 1000

# docs/komet-api.md §1.6: futureInventoryAvailableFrom/To span.
FUTURE_INVENTORY_MAX_SPAN = timedelta(days=4)
