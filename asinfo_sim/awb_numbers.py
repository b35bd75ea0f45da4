"""Airlines and air waybill numbers (docs/domain.md §2, docs/decisions.md A4).

An AWB number is 11 digits: a 3-digit airline prefix, a 7-digit serial and a check digit equal to
serial mod 7.  Komet stores AWBs as plain strings and does not check them, so this module is where a
mistyped number is caught, and the refusal has to tell a grower exactly which digit is wrong.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

SERIAL_MAX = 9_999_999


@dataclass(frozen=True)
class Airline:
    """An airline that issues AWB numbers."""

    prefix: str  # IATA numeric accounting code, always 3 digits ("023", not 23)
    iata: str  # 2-character IATA designator
    name: str

    def __str__(self) -> str:
        return f"{self.prefix} {self.name} ({self.iata})"


# Carriers on the BOG/MDE/UIO → MIA flower routes (docs/domain.md §2.2, IATA coding directory).
AIRLINES: tuple[Airline, ...] = (
    Airline("729", "QT", "Avianca Cargo"),
    Airline("985", "L7", "LATAM Cargo Colombia"),
    Airline("145", "UC", "LATAM Cargo Chile"),
    Airline("369", "5Y", "Atlas Air"),
    Airline("810", "M6", "Amerijet International"),
    Airline("272", "K4", "Kalitta Air"),
    Airline("406", "5X", "UPS"),
    Airline("023", "FX", "FedEx"),
    Airline("045", "LA", "LATAM Airlines"),
    Airline("462", "XL", "LATAM Airlines Ecuador"),
    Airline("549", "M3", "LATAM Cargo Brasil"),
    Airline("134", "AV", "Avianca"),
    Airline("230", "CM", "Copa Airlines"),
    Airline("129", "MP", "Martinair Cargo"),
    Airline("001", "AA", "American Airlines"),
    Airline("992", "D5", "DHL Aero Expreso"),
    Airline("144", "7T", "Aero Express del Ecuador"),
    Airline("873", "6R", "AeroUnion"),
    Airline("865", "M7", "MasAir"),
    Airline("904", "KD", "Western Global Airlines"),
)
_BY_PREFIX: dict[str, Airline] = {a.prefix: a for a in AIRLINES}


def _prefix_str(prefix: str | int) -> str:
    text = f"{prefix:03d}" if isinstance(prefix, int) else str(prefix).strip()
    if not re.fullmatch(r"\d{3}", text):
        raise InvalidAwb(f"the airline prefix must be 3 digits, not {prefix!r}", code="prefix_format")
    return text


def airline(prefix: str | int) -> Airline | None:
    """The airline that owns this prefix ("729" or 729), or None when we do not know it."""
    try:
        return _BY_PREFIX.get(_prefix_str(prefix))
    except InvalidAwb:
        return None


class InvalidAwb(ValueError):
    """A number that is not a valid AWB; the message says what is wrong in a grower's words.

    `code` names the reason for APIs: characters, length, prefix_format, unknown_airline,
    impossible_check, check_digit, serial_range.
    """

    def __init__(self, message: str, *, code: str) -> None:
        super().__init__(message)
        self.code = code


def check_digit(serial7: int) -> int:
    """The IATA check digit: the 7-digit serial mod 7 (so never 7, 8 or 9)."""
    if not 0 <= serial7 <= SERIAL_MAX:
        raise InvalidAwb(
            f"the serial must be 7 digits (0 to {SERIAL_MAX}), not {serial7}", code="serial_range"
        )
    return serial7 % 7


def format_awb(prefix: str | int, serial7: int) -> str:
    """The display form PPP-SSSS-SSSC, check digit computed (the form Komet's docs show)."""
    p = _prefix_str(prefix)
    s = f"{serial7:07d}{check_digit(serial7)}"
    return f"{p}-{s[:4]}-{s[4:]}"


@dataclass(frozen=True)
class Awb:
    """A valid AWB number; build it with parse_awb() or AwbStock so the check digit is right."""

    prefix: str
    serial: int
    check: int

    @property
    def digits(self) -> str:
        return f"{self.prefix}{self.serial:07d}{self.check}"

    @property
    def display(self) -> str:
        d = self.digits
        return f"{d[:3]}-{d[3:7]}-{d[7:]}"

    @property
    def airline(self) -> Airline | None:
        return _BY_PREFIX.get(self.prefix)

    def __str__(self) -> str:
        return self.display


def parse_awb(text: str, *, require_known_airline: bool = True) -> Awb:
    """Read an AWB typed by a person: "729-12345675", "729-1234-5675", "729 1234 5675", "72912345675".

    Raises InvalidAwb naming the first problem found; the order (characters, length, airline, check
    digit) is the order a person would fix them in.
    """
    raw = "" if text is None else str(text)
    compact = re.sub(r"[\s\-]", "", raw)
    if not compact:
        raise InvalidAwb("no AWB number was given: it needs 11 digits, e.g. 729-1234-5675", code="length")
    bad = sorted({c for c in compact if not c.isdigit() or not c.isascii()})
    if bad:
        shown = " ".join(repr(c) for c in bad)
        raise InvalidAwb(
            f"an AWB number has only digits (spaces and hyphens are fine); {raw.strip()!r} contains {shown}",
            code="characters",
        )
    if len(compact) != 11:
        raise InvalidAwb(
            f"an AWB number has 11 digits (3 for the airline, 7 for the serial, 1 check digit); "
            f"{raw.strip()!r} has {len(compact)}",
            code="length",
        )
    prefix, serial, check = compact[:3], int(compact[3:10]), int(compact[10])
    if require_known_airline and prefix not in _BY_PREFIX:
        known = ", ".join(f"{a.prefix} {a.name}" for a in AIRLINES[:5])
        raise InvalidAwb(
            f"{prefix} is not the prefix of an airline we know; the first 3 digits name the airline "
            f"(e.g. {known})",
            code="unknown_airline",
        )
    if check > 6:
        raise InvalidAwb(
            f"the last digit, {check}, cannot be a check digit: it is the serial {serial:07d} mod 7, "
            f"so always 0 to 6 (here it should be {serial % 7})",
            code="impossible_check",
        )
    if check != serial % 7:
        raise InvalidAwb(
            f"check digit should be {serial % 7}, not {check} (serial {serial:07d} mod 7 = {serial % 7}); "
            f"a digit was probably mistyped",
            code="check_digit",
        )
    return Awb(prefix, serial, check)


class StockExhausted(LookupError):
    """Every number of an airline's stock has been used; the grower needs a new block."""


@dataclass(frozen=True)
class AwbStock:
    """A block of AWB numbers an airline issued to this grower: serials first_serial … +count-1.

    Numbers are drawn in order; the next number after serial S is S+1 with its own check digit.
    """

    prefix: str
    first_serial: int
    count: int

    def __post_init__(self) -> None:
        object.__setattr__(self, "prefix", _prefix_str(self.prefix))
        if self.prefix not in _BY_PREFIX:
            raise InvalidAwb(f"{self.prefix} is not the prefix of an airline we know", code="unknown_airline")
        if self.count < 1:
            raise ValueError(f"an AWB stock holds at least one number, not {self.count}")
        if self.first_serial < 0 or self.last_serial > SERIAL_MAX:
            raise InvalidAwb(
                f"serials {self.first_serial}…{self.last_serial} do not fit in 7 digits", code="serial_range"
            )

    @property
    def last_serial(self) -> int:
        return self.first_serial + self.count - 1

    @property
    def airline(self) -> Airline:
        return _BY_PREFIX[self.prefix]

    def awb(self, serial: int) -> Awb:
        """The number with this serial, which must belong to the stock."""
        if not self.first_serial <= serial <= self.last_serial:
            raise StockExhausted(
                f"serial {serial:07d} is outside the {self.airline.name} stock "
                f"{self.first_serial:07d}–{self.last_serial:07d}"
            )
        return Awb(self.prefix, serial, check_digit(serial))

    @property
    def first(self) -> Awb:
        return self.awb(self.first_serial)

    def next_after(self, last: int | Awb | None) -> Awb:
        """The number to use after `last` (a serial or Awb; None = nothing used yet)."""
        if last is None:
            return self.first
        serial = last.serial if isinstance(last, Awb) else int(last)
        if serial < self.first_serial - 1:
            return self.first
        if serial >= self.last_serial:
            raise StockExhausted(
                f"the {self.airline.name} stock {format_awb(self.prefix, self.first_serial)} … "
                f"{format_awb(self.prefix, self.last_serial)} is used up; ask the airline for a new block"
            )
        return self.awb(serial + 1)

    def contains(self, awb: Awb | str) -> bool:
        """True when this number (an Awb or typed text) is one of the stock's numbers."""
        if not isinstance(awb, Awb):
            try:
                awb = parse_awb(awb)
            except InvalidAwb:
                return False
        return (
            awb.prefix == self.prefix
            and self.first_serial <= awb.serial <= self.last_serial
            and awb.check == check_digit(awb.serial)
        )

    def __contains__(self, awb: object) -> bool:
        return isinstance(awb, Awb | str) and self.contains(awb)

    def __iter__(self) -> Iterator[Awb]:
        for serial in range(self.first_serial, self.last_serial + 1):
            yield Awb(self.prefix, serial, serial % 7)

    def __len__(self) -> int:
        return self.count
