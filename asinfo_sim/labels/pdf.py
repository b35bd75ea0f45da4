"""Box labels as PDF: one 4×6 in page per box (docs/decisions.md A5, docs/domain.md §4.4), for office printers
and the portal preview.

The page draws the same layout as the ZPL (zpl.layout, in 203-dpi dots scaled to points) so both
renderings carry the same fields in the same places.  The barcode is reportlab's own Code 128, sized
so a phone or a hand scanner reads it: modules ≥ 1.2 pt when the code fits, bars ≥ 60 pt tall, quiet
zones of 10 modules.  `invariant=1` makes the bytes depend only on the labels, so the same labels
always give the same file (cacheable, diffable, testable).
"""

from __future__ import annotations

import io
from collections.abc import Iterable

from reportlab.graphics.barcode.code128 import Code128
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from .model import BoxLabel
from .zpl import DPI, LENGTH, Barcode, Block, Text, clean, layout

PAGE_W = 4 * 72.0  # 288 pt
PAGE_H = 6 * 72.0  # 432 pt
SCALE = 72.0 / DPI  # points per 203-dpi dot
FONT = "Helvetica-Bold"
CODE_FONT = "Courier-Bold"
MIN_BAR = 1.2  # pt: the narrowest module a cheap scanner reliably reads off a thermal/laser print
MAX_BAR = 2.0
MIN_BAR_HEIGHT = 60.0  # pt
MARGIN_PT = 10.0


def _pdf_text(text: str) -> str:
    """What Helvetica (WinAnsi) can show; anything else becomes "?" rather than a missing glyph."""
    return clean(text).encode("cp1252", "replace").decode("cp1252")


def _y(dots: float) -> float:
    """ZPL measures down from the top in dots; PDF measures up from the bottom in points."""
    return PAGE_H - dots * SCALE


def _draw_text(c: Canvas, t: Text) -> None:
    text = _pdf_text(t.text)
    size = t.height * SCALE * 0.85
    natural = stringWidth(text, FONT, size)
    limit = t.width * SCALE
    if natural > limit:
        size *= limit / natural
    c.setFont(FONT, size)
    if t.reverse:
        c.setFillGray(1)
    c.drawString(t.x * SCALE, _y(t.y) - size * 0.85, text)
    if t.reverse:
        c.setFillGray(0)


def code128(code: str, *, bar_height: float = MIN_BAR_HEIGHT, max_width: float = PAGE_W) -> Code128:
    """A Code 128 symbol with the widest module (≤2 pt) whose symbol and quiet zones fit max_width."""
    probe = Code128(code, barWidth=1.0, barHeight=bar_height, quiet=0)
    modules = probe.width  # with barWidth=1 the width is the module count
    bar = min(MAX_BAR, max_width / (modules + 20))  # below MIN_BAR only for codes too long to fit
    quiet = 10 * bar
    return Code128(code, barWidth=bar, barHeight=bar_height, quiet=1, lquiet=quiet, rquiet=quiet)


def _draw_barcode(c: Canvas, b: Barcode) -> None:
    height = max(MIN_BAR_HEIGHT, b.height * SCALE)
    symbol = code128(b.code, bar_height=height, max_width=PAGE_W - 8)  # quiet zones may use the margin
    x = (PAGE_W - symbol.width) / 2
    top = _y(b.y)
    symbol.drawOn(c, x, top - height)
    size = 14.0
    width = stringWidth(b.code, CODE_FONT, size)
    if width > PAGE_W - 2 * MARGIN_PT:
        size *= (PAGE_W - 2 * MARGIN_PT) / width
    c.setFont(CODE_FONT, size)
    c.drawCentredString(PAGE_W / 2, top - height - size - 4, b.code)


def _draw_label(c: Canvas, lb: BoxLabel) -> None:
    for item in layout(lb):
        if isinstance(item, Text):
            _draw_text(c, item)
        elif isinstance(item, Block):
            c.rect(item.x * SCALE, _y(item.y + item.h), item.w * SCALE, item.h * SCALE, stroke=0, fill=1)
        else:
            _draw_barcode(c, item)


def render_pdf(labels: Iterable[BoxLabel]) -> bytes:
    """All labels as one PDF, one 4×6 in page each, in the order given."""
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=(PAGE_W, PAGE_H), invariant=1, pageCompression=1)
    c.setTitle("Box labels")
    c.setCreator("asinfo_sim")
    count = 0
    for lb in labels:
        _draw_label(c, lb)
        c.showPage()
        count += 1
    if count == 0:
        raise ValueError("no labels to render")
    c.save()
    return buf.getvalue()


assert LENGTH * SCALE <= PAGE_H + 0.5  # the dot layout fits the page  # noqa: S101 (a layout fact checked at import)
