"""What the harness knows on its own, from the documented contract, to judge both simulators: the AWB check
digit, the outbox's waiting rules, what a label says, and Komet's refusals a correct grower never provokes.
Nothing here imports the code it judges (a rule both sides get wrong the same way must still fail)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

# --- AWB numbers: 3-digit airline prefix, 7-digit serial, check digit = serial mod 7 (IATA) -------------


def awb_problem(number: str) -> str | None:
    """Why an AWB number is not a valid IATA number, or None."""
    digits = re.sub(r"[\s-]", "", str(number))
    if not re.fullmatch(r"\d{11}", digits):
        return "not 11 digits (3-digit airline prefix, 7-digit serial, check digit)"
    serial, check = int(digits[3:10]), int(digits[10])
    if serial % 7 != check:
        return f"check digit {check}, but serial {digits[3:10]} mod 7 is {serial % 7}"
    return None


# --- the outbox's waiting rules (docs/decisions.md: exponential backoff from 5 s, capped at 15 min; a quota
# refusal waits for the next UTC day; Komet's Retry-After is honoured as sent) ------------------------------

BACKOFF_FIRST = timedelta(seconds=5)
BACKOFF_CAP = timedelta(minutes=15)


def backoff(attempts: int) -> timedelta:
    return min(BACKOFF_FIRST * 2 ** max(0, attempts - 1), BACKOFF_CAP)


def next_utc_midnight(when: datetime) -> datetime:
    return datetime(when.year, when.month, when.day) + timedelta(days=1)


# Komet's documented messages for a refusal about the connection, not the request (K3, K5).
CONNECTION_REFUSAL = ("invalid authentication token", "is not enabled for this token", "cannot be used with")
QUOTA_REFUSAL = "daily api request limit"
RATE_LIMITED = "http 429"

# --- Komet refusals a correct grower never provokes (K8): it keeps lots above 99999, never reuses a box code,
# never ships more boxes than Komet confirmed it.
CODE_TAKEN = "box code already exists"
AVOIDABLE_REFUSALS = {
    CODE_TAKEN: "a box code Komet already holds",
    "appears more than once in the request": "the same box code twice in one request",
    "inside the range komet reserves": "a lot number inside Komet's reserved 1000-99999",
    "cannot ship": "more boxes than Komet has confirmed",
}

# --- labels (4×6 ZPL): the fields a checker can read back --------------------------------------------------

_FIELD = re.compile(r"\^FD(.*?)\^FS", re.S)
_BARCODE = re.compile(r"\^BC[^\^]*(?:\^FH[^\^]*)?\^FD(.*?)\^FS", re.S)


def read_zpl_labels(zpl: str) -> list[dict]:
    """Each ^XA…^XZ label as {code, n, of, po, item, bunches, stems}; a field that is not there is None."""
    labels = []
    for block in re.findall(r"\^XA(.*?)\^XZ", zpl, re.S):
        fields = _FIELD.findall(block)
        label: dict = {
            "code": None,
            "n": None,
            "of": None,
            "po": None,
            "item": None,
            "bunches": None,
            "stems": None,
        }
        barcode = _BARCODE.search(block)
        if barcode:
            label["code"] = barcode.group(1)
        for text in fields:
            if m := re.fullmatch(r"Box (\d+) of (\d+)", text):
                label["n"], label["of"] = int(m.group(1)), int(m.group(2))
            elif m := re.fullmatch(r"PO (\S+)\s+Line (\d+)", text):
                label["po"], label["item"] = m.group(1), int(m.group(2))
            elif m := re.fullmatch(r"(\d+) bu x (\d+) st = (\d+) stems", text):
                label["bunches"], label["stems"] = int(m.group(1)), int(m.group(2))
                if int(m.group(3)) != label["bunches"] * label["stems"]:
                    label["bad_total"] = int(m.group(3))
        labels.append(label)
    return labels
