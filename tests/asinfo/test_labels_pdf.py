"""PDF labels: 4×6 in pages whose Code 128 decodes (zbar) to the box code, one page per box, same bytes
for the same labels."""

from __future__ import annotations

import dataclasses

import pypdfium2 as pdfium
import pytest
from pyzbar.pyzbar import ZBarSymbol, decode

from asinfo_sim.labels.model import BoxLabel
from asinfo_sim.labels.pdf import MIN_BAR, MIN_BAR_HEIGHT, PAGE_H, PAGE_W, code128, render_pdf

from .asinfokit import make_label

RENDER_SCALE = 3


def pages(pdf: bytes) -> list[pdfium.PdfPage]:
    doc = pdfium.PdfDocument(pdf)
    return [doc[i] for i in range(len(doc))]


def barcodes(page: pdfium.PdfPage) -> list[str]:
    image = page.render(scale=RENDER_SCALE, grayscale=True).to_pil()
    return [d.data.decode("ascii") for d in decode(image, symbols=[ZBarSymbol.CODE128])]


def page_lines(page: pdfium.PdfPage) -> list[str]:
    return [line.strip() for line in page.get_textpage().get_text_range().splitlines()]


def page_text(page: pdfium.PdfPage) -> str:
    """All text on the page, whitespace collapsed (pdfium joins strings on one baseline)."""
    return " ".join(page.get_textpage().get_text_range().split())


def has(text: str, expected: str) -> bool:
    return " ".join(expected.split()) in text


def text_in_corner(page: pdfium.PdfPage) -> str:
    """Text in the top-right square inch, where the reprint mark goes."""
    return page.get_textpage().get_text_bounded(
        left=PAGE_W - 72, bottom=PAGE_H - 72, right=PAGE_W, top=PAGE_H
    )


CODES = [
    "73992893",  # numeric, even length: packs as subset C
    "0000012345",  # leading zeros must survive
    "123456789",  # odd-length numeric
    "BX-2024-000123",  # alphanumeric with a digit run
    "ec-rdn-77a",  # lower case
    "FLOR2024020500012345",  # long (20 characters)
    "A/B.C+D%E",  # punctuation
]


@pytest.mark.parametrize("code", CODES)
def test_barcode_decodes_to_the_box_code(code):
    (page,) = pages(render_pdf([make_label(box_code=code)]))
    assert barcodes(page) == [code]
    assert code in page_lines(page)  # the human-readable line under it


def test_page_is_4_by_6_inches():
    for page in pages(render_pdf([make_label(), make_label(reprint=True)])):
        assert page.get_size() == pytest.approx((288.0, 432.0))
    assert (PAGE_W, PAGE_H) == (288.0, 432.0)


def test_one_page_per_label_in_order():
    labels = [make_label(box_code=f"BOX-{n:04d}", box_number=n, box_count=4) for n in range(1, 5)]
    rendered = pages(render_pdf(labels))
    assert len(rendered) == 4
    for n, page in enumerate(rendered, start=1):
        assert barcodes(page) == [f"BOX-{n:04d}"]
        assert has(page_text(page), f"Box {n} of 4")


def test_same_input_same_bytes():
    labels = [make_label(), make_label(box_code="BX-2024-000123", reprint=True)]
    first = render_pdf(labels)
    assert render_pdf(labels) == first
    assert render_pdf([make_label(box_code="73992894"), labels[1]]) != first


def test_every_field_of_the_model_is_printed():
    lb = make_label()
    (page,) = pages(render_pdf([lb]))
    text = page_text(page)
    for f in dataclasses.fields(BoxLabel):
        if f.name != "reprint":
            assert has(text, str(getattr(lb, f.name))), f.name
    for expected in [
        "Box 7 of 19",
        "12 bu x 25 st = 300 stems",
        "UIO > MIA",
        "Product of Ecuador",
        "MAWB 729-1234-5675",
        "HAWB EC-000123",
        "Lot LOT-234232",
        "PO PO-123456  Line 48213",
        "Importer: Acme Flowers Inc",
        "Farm RDN",
        "Airline Avianca Cargo  Agency Cargo Master",
    ]:
        assert has(text, expected), expected


def test_reprint_is_marked_r():
    (plain,) = pages(render_pdf([make_label()]))
    (again,) = pages(render_pdf([make_label(reprint=True)]))
    assert text_in_corner(plain).strip() == ""
    assert text_in_corner(again).strip() == "R"
    # the R sits white on a black square in the top-right corner
    corner = again.render(scale=1, grayscale=True).to_pil().crop((236, 10, 276, 46))
    dark = sum(corner.histogram()[:128]) / (corner.width * corner.height)
    assert dark > 0.4


@pytest.mark.parametrize("code", CODES)
def test_barcode_is_big_enough_to_scan(code):
    symbol = code128(code, bar_height=70.0, max_width=PAGE_W - 8)
    assert symbol.barWidth >= MIN_BAR >= 1.2
    assert symbol.barHeight >= MIN_BAR_HEIGHT >= 60
    assert symbol.lquiet >= 10 * symbol.barWidth and symbol.rquiet >= 10 * symbol.barWidth
    assert symbol.width <= PAGE_W


def test_decoded_barcode_is_tall():
    (page,) = pages(render_pdf([make_label()]))
    image = page.render(scale=RENDER_SCALE, grayscale=True).to_pil()
    (found,) = decode(image, symbols=[ZBarSymbol.CODE128])
    assert found.rect.height >= 60 * RENDER_SCALE - 2


def test_text_outside_helvetica_does_not_break_rendering():
    lb = make_label(grower_name="Floricultura Ñandú 花", product="Rose\nFreedom")
    (page,) = pages(render_pdf([lb]))
    text = page_text(page)
    assert has(text, "Floricultura Ñandú ?") and has(text, "Rose Freedom")
    assert barcodes(page) == ["73992893"]


def test_no_labels_is_an_error():
    with pytest.raises(ValueError, match="no labels"):
        render_pdf([])


def test_box_code_that_code128_cannot_carry_is_refused():
    with pytest.raises(ValueError, match="Code 128"):
        render_pdf([make_label(box_code="BOX-É1")])
