"""Box labels as ZPL II for Zebra thermal printers: 4×6 in at 203 dpi (docs/domain.md §4.3, docs/decisions.md A5).

One `^XA … ^XZ` format per box.  Every field of BoxLabel is printed, the box code as a Code 128
barcode (`^BC`, automatic subset mode so numeric codes pack densely).  `^` and `~` are ZPL's command
prefixes, so field data containing them is written with `^FH` hex escapes: nothing is lost and the
field data never holds a raw prefix character.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from .model import BoxLabel

DPI = 203
WIDTH = 812  # 4 in × 203 dpi
LENGTH = 1218  # 6 in × 203 dpi
MARGIN = 30
INNER = WIDTH - 2 * MARGIN
CHAR_W = 0.56  # font 0 (CG Triumvirate Bold Condensed) average advance per dot of height, for fitting

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _needs_hex(text: str) -> bool:
    return "^" in text or "~" in text


def _hex(text: str) -> str:
    """Escape for ^FH (indicator `_`): the prefix characters and the indicator itself."""
    return text.replace("_", "_5F").replace("^", "_5E").replace("~", "_7E")


def clean(value: object) -> str:
    """Field text on one line: control characters (newlines, tabs) become spaces."""
    return _CONTROL.sub(" ", str(value)).strip()


@dataclass(frozen=True)
class Text:
    """A line of text whose top-left is (x, y) in dots, at most `height` tall and `width` wide."""

    x: int
    y: int
    text: str
    height: int
    width: int = INNER
    reverse: bool = False  # white on black (the reprint "R")


@dataclass(frozen=True)
class Block:
    """A filled rectangle (rules, the black square behind the reprint "R")."""

    x: int
    y: int
    w: int
    h: int


@dataclass(frozen=True)
class Barcode:
    """The box code's Code 128, centred across the label, top at y, bars `height` tall."""

    y: int
    code: str
    height: int


Item = Text | Block | Barcode


def _rule(y: int, thickness: int = 3) -> Block:
    return Block(MARGIN, y, INNER, thickness)


def _big(x: int, y: int, text: str, height: int) -> list[Text]:
    """Text meant to be read across a cooler: wrapped onto two lines rather than shrunk to a whisper."""
    text = clean(text)
    one_line = INNER / (max(len(text), 1) * CHAR_W)
    if one_line >= height * 0.6 or " " not in text:
        return [Text(x, y, text, height)]
    middle = len(text) / 2
    cut = min((i for i, c in enumerate(text) if c == " "), key=lambda i: abs(i - middle))
    half = height // 2
    return [Text(x, y, text[:cut].strip(), half - 2), Text(x, y + half, text[cut:].strip(), half - 2)]


def layout(lb: BoxLabel) -> list[Item]:
    """Where every field of the label goes, in 203-dpi dots from the top left.

    Shared by the ZPL and the PDF rendering so both print the same fields in the same places.
    """
    rw = 130 if lb.reprint else 0
    items: list[Item] = [
        Text(MARGIN, 28, lb.grower_name, 50, INNER - rw),
        Text(MARGIN, 86, f"Farm {lb.farm_code}", 32, INNER - rw),
    ]
    if lb.reprint:
        items += [
            Block(WIDTH - MARGIN - 120, 20, 120, 120),
            Text(WIDTH - MARGIN - 95, 30, "R", 110, 100, True),
        ]
    items += [
        _rule(148),
        Text(MARGIN, 162, f"Importer: {lb.importer_name}", 32),
        *_big(MARGIN, 204, lb.customer_mark, 120),
        _rule(334),
        Text(MARGIN, 348, f"PO {lb.po_number}  Line {lb.po_item_id}", 40),
        Text(MARGIN, 398, f"Box {lb.box_number} of {lb.box_count}", 64, 480),
        Text(540, 398, lb.box_type, 64, WIDTH - MARGIN - 540),
        Text(MARGIN, 474, lb.product, 44),
        Text(MARGIN, 528, f"{lb.bunches} bu x {lb.stems_per_bunch} st = {lb.total_stems} stems", 40),
        _rule(580),
        Text(MARGIN, 594, f"Ship date {lb.ship_date}", 36, 400),
        Text(450, 594, f"{lb.origin} > {lb.destination}", 52, WIDTH - MARGIN - 450),
        Text(MARGIN, 648, f"MAWB {lb.mawb}", 44),
    ]
    y = 702
    if lb.hawb:
        items.append(Text(MARGIN, y, f"HAWB {lb.hawb}", 36))
        y += 46
    carriers = "  ".join(
        part
        for part in (
            f"Airline {lb.airline}" if lb.airline else "",
            f"Agency {lb.cargo_agency}" if lb.cargo_agency else "",
        )
        if part
    )
    if carriers:
        items.append(Text(MARGIN, y, carriers, 30))
        y += 40
    items.append(Text(MARGIN, y, f"Product of {lb.country_of_origin}", 36, 440))
    if lb.lot_number:
        items.append(Text(490, y, f"Lot {lb.lot_number}", 36, WIDTH - MARGIN - 490))
    items += [_rule(860), Barcode(900, barcode_text(lb.box_code), 200)]
    return items


def _zpl_text(t: Text) -> str:
    """One text field, its font shrunk so the text fits (no ^FB: overflowing lines overprint)."""
    text = clean(t.text)
    h = max(18, min(t.height, int(t.width / (max(len(text), 1) * CHAR_W))))
    fh = "^FH" if _needs_hex(text) else ""
    fr = "^FR" if t.reverse else ""
    data = _hex(text) if fh else text
    return f"^FO{t.x},{t.y}^A0N,{h},{h}{fr}{fh}^FD{data}^FS"


def barcode_text(box_code: str) -> str:
    """The box code as Code 128 data; refuses what Code 128 cannot carry rather than print a wrong code."""
    if not box_code or any(not 32 <= ord(c) <= 126 for c in box_code):
        raise ValueError(f"box code {box_code!r} must be printable ASCII to go in a Code 128 barcode")
    return box_code


def _code128_modules(code: str) -> int:
    """Modules in the symbol if packed with subset C runs of ≥4 digits (the printer's mode A rule)."""
    symbols, i = 0, 0
    while i < len(code):
        run = len(code[i:]) - len(code[i:].lstrip("0123456789"))
        if run >= 4:
            symbols += run // 2 + 1
            i += run - run % 2
        else:
            symbols += 1
            i += 1
    return 11 * (symbols + 2) + 13  # start + data + check + stop (13)


def _zpl_barcode(b: Barcode) -> str:
    """Centred Code 128 with the widest module (4…1 dots) that leaves ≥10-module quiet zones."""
    modules = _code128_modules(b.code)
    module = next((m for m in (4, 3, 2) if (modules + 20) * m <= WIDTH), 1)
    x = max(0, (WIDTH - modules * module) // 2)
    fh = "^FH" if _needs_hex(b.code) else ""
    payload = _hex(b.code) if fh else b.code
    return f"^FO{x},{b.y}^BY{module},3,{b.height}^BCN,{b.height},Y,N,N,A{fh}^FD{payload}^FS"


def _label(lb: BoxLabel) -> str:
    out = ["^XA", "^CI28", f"^PW{WIDTH}", f"^LL{LENGTH}", "^LH0,0"]
    for item in layout(lb):
        if isinstance(item, Text):
            out.append(_zpl_text(item))
        elif isinstance(item, Block):
            t = min(item.w, item.h)
            out.append(f"^FO{item.x},{item.y}^GB{item.w},{item.h},{t}^FS")
        else:
            out.append(_zpl_barcode(item))
    out += ["^PQ1", "^XZ"]
    return "\n".join(out)


def render_zpl(labels: Iterable[BoxLabel]) -> str:
    """All labels as one ZPL document, one ^XA…^XZ format per box, ready to send to a Zebra ("" for none)."""
    return "".join(_label(lb) + "\n" for lb in labels)


_TOKEN = re.compile(r"[\^~][A-Z0-9@]{2}")  # ^A0 is "font 0": its name carries the font


def parse_zpl(text: str) -> list[list[tuple[str, str]]]:
    """Split ZPL into labels, each a list of (command, params), e.g. ("^FO", "40,40"), ("^A0", "N,50,50").

    Raises ValueError on text outside a ^XA…^XZ format, an unterminated format, or an unreadable
    command; whitespace between commands is ignored, ^FD data is kept exactly.
    """
    labels: list[list[tuple[str, str]]] = []
    current: list[tuple[str, str]] | None = None
    pos = len(text) - len(text.lstrip())
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m:
            raise ValueError(f"unreadable ZPL at offset {pos}: {text[pos : pos + 20]!r}")
        name = m.group(0)
        end = len(text)
        for sep in ("^", "~"):
            k = text.find(sep, m.end())
            if k != -1:
                end = min(end, k)
        params = text[m.end() : end]
        params = params.rstrip("\r\n") if name == "^FD" else params.strip()
        if params and name in ("^XA", "^XZ", "^FS"):
            raise ValueError(f"stray text after {name}: {params[:20]!r}")
        if name == "^XA":
            if current is not None:
                raise ValueError("^XA inside a format that was not closed with ^XZ")
            current = []
        elif current is None:
            raise ValueError(f"{name} outside a ^XA…^XZ format")
        current.append((name, params))
        if name == "^XZ":
            labels.append(current)
            current = None
        pos = end
    if current is not None:
        raise ValueError("format not closed with ^XZ")
    return labels
