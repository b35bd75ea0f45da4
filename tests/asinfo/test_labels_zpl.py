"""ZPL labels: every field of the model is printed, and the output is well-formed ZPL for a 4×6 in Zebra."""

from __future__ import annotations

import dataclasses
import re

import pytest

from asinfo_sim.labels.model import BoxLabel
from asinfo_sim.labels.zpl import parse_zpl, render_zpl

from .asinfokit import make_label

# Commands a 4×6 box label may use; anything else means the renderer emitted something unintended.
WHITELIST = {
    "^XA",
    "^XZ",
    "^CI",
    "^PW",
    "^LL",
    "^LH",
    "^FO",
    "^A0",
    "^FR",
    "^FH",
    "^FD",
    "^FS",
    "^GB",
    "^BY",
    "^BC",
    "^PQ",
}
FIELD_MODIFIERS = {"^A0", "^FR", "^FH", "^BY", "^BC", "^GB", "^FD"}


def unhex(data: str) -> str:
    """Undo ^FH escapes (indicator `_`), as the printer does."""
    return re.sub(r"_([0-9A-Fa-f]{2})", lambda m: bytes.fromhex(m.group(1)).decode("latin-1"), data)


def fields(label_cmds: list[tuple[str, str]]) -> list[list[tuple[str, str]]]:
    """Group a label's commands into fields: ^FO … ^FS."""
    out, cur = [], None
    for name, params in label_cmds:
        if name == "^FO":
            assert cur is None, "^FO before the previous field ended with ^FS"
            cur = [(name, params)]
        elif cur is not None:
            cur.append((name, params))
            if name == "^FS":
                out.append(cur)
                cur = None
        else:
            assert name not in FIELD_MODIFIERS, f"{name} outside a ^FO…^FS field"
    assert cur is None, "field not closed with ^FS"
    return out


def field_data(label_cmds: list[tuple[str, str]]) -> list[str]:
    result = []
    for f in fields(label_cmds):
        names = [n for n, _ in f]
        for name, params in f:
            if name == "^FD":
                result.append(unhex(params) if "^FH" in names else params)
    return result


def test_every_field_of_the_model_is_printed():
    lb = make_label()
    data = field_data(parse_zpl(render_zpl([lb]))[0])
    text = "\n".join(data)
    for f in dataclasses.fields(BoxLabel):
        if f.name == "reprint":
            continue
        value = getattr(lb, f.name)
        assert str(value) in text, f"{f.name}={value!r} is not printed"
    for expected in [
        "Finca Ejemplo S.A.",
        "Farm RDN",
        "Importer: Acme Flowers Inc",
        "ACME-MIA",
        "PO PO-123456  Line 48213",
        "Box 7 of 19",
        "HB",
        "Rose Freedom Red 50cm",
        "12 bu x 25 st = 300 stems",
        "Ship date 2024-02-05",
        "MAWB 729-1234-5675",
        "HAWB EC-000123",
        "UIO > MIA",
        "Product of Ecuador",
        "Lot LOT-234232",
        "Airline Avianca Cargo  Agency Cargo Master",
        "73992893",
    ]:
        assert expected in data, expected


def test_optional_fields_left_out_when_absent():
    lb = make_label(hawb=None, lot_number=None, airline=None, cargo_agency=None)
    data = field_data(parse_zpl(render_zpl([lb]))[0])
    assert not any(d.startswith(("HAWB", "Lot", "Airline", "Agency")) for d in data)
    assert "MAWB 729-1234-5675" in data and "Product of Ecuador" in data


@pytest.mark.parametrize(
    "lb",
    [
        make_label(),
        make_label(reprint=True),
        make_label(hawb=None, lot_number=None, airline=None),
        make_label(
            customer_mark="A VERY LONG CUSTOMER MARK THAT NEEDS SMALLER TYPE", box_code="BX-2024-000123"
        ),
    ],
    ids=["plain", "reprint", "sparse", "long"],
)
def test_well_formed_commands(lb):
    zpl = render_zpl([lb])
    assert "~" not in zpl
    (cmds,) = parse_zpl(zpl)
    assert cmds[0] == ("^XA", "") and cmds[-1] == ("^XZ", "")
    assert {name for name, _ in cmds} <= WHITELIST
    assert ("^PW", "812") in cmds and ("^LL", "1218") in cmds and ("^CI", "28") in cmds
    fs = fields(cmds)
    assert sum(n == "^FD" for n, _ in cmds) == sum(any(n == "^FD" for n, _ in f) for f in fs)
    for f in fs:
        x, y = map(int, f[0][1].split(","))
        assert 0 <= x < 812 and 0 <= y < 1218
        assert f[-1] == ("^FS", "")
        names = [n for n, _ in f]
        assert names.count("^FD") <= 1 and names.count("^FO") == 1
        if "^A0" in names:
            _, h, w = dict(f)["^A0"].split(",")
            assert 18 <= int(h) <= 120 and int(w) == int(h)


def test_barcode_is_code128_of_the_box_code():
    lb = make_label(box_code="BX-2024-000123")
    (cmds,) = parse_zpl(render_zpl([lb]))
    (bar,) = [f for f in fields(cmds) if any(n == "^BC" for n, _ in f)]
    names = [n for n, _ in bar]
    assert names.index("^BY") < names.index("^BC") < names.index("^FD")
    params = dict(bar)
    orientation, height, interpretation, *_ = params["^BC"].split(",")
    assert orientation == "N" and int(height) >= 150 and interpretation == "Y"
    module = int(params["^BY"].split(",")[0])
    assert module >= 2
    assert params["^FD"] == "BX-2024-000123"


def test_one_block_per_label_in_order():
    labels = [make_label(box_code=f"BOX{n:05d}", box_number=n, box_count=5) for n in range(1, 6)]
    zpl = render_zpl(labels)
    blocks = parse_zpl(zpl)
    assert len(blocks) == 5 == zpl.count("^XA") == zpl.count("^XZ")
    for n, cmds in enumerate(blocks, start=1):
        data = field_data(cmds)
        assert f"BOX{n:05d}" in data and f"Box {n} of 5" in data


def test_reprint_shows_a_large_r():
    (plain,) = parse_zpl(render_zpl([make_label()]))
    (again,) = parse_zpl(render_zpl([make_label(reprint=True)]))
    assert "R" not in field_data(plain)
    (r_field,) = [f for f in fields(again) if ("^FD", "R") in f]
    assert ("^FR", "") in r_field
    assert int(dict(r_field)["^A0"].split(",")[1]) >= 100
    assert any(n == "^GB" for n, _ in fields(again)[2])  # the black square behind it


def test_caret_and_tilde_never_reach_field_data():
    lb = make_label(grower_name="Finca ^XZ Rosas~JA", product="Rose_Red ^FS", box_code="A^B~C_D")
    zpl = render_zpl([lb])
    assert "~" not in zpl
    assert zpl.count("^XA") == zpl.count("^XZ") == 1
    (cmds,) = parse_zpl(zpl)
    assert {name for name, _ in cmds} <= WHITELIST
    data = field_data(cmds)
    assert "Finca ^XZ Rosas~JA" in data and "Rose_Red ^FS" in data and "A^B~C_D" in data
    assert not any(("^" in params or "~" in params) for name, params in cmds if name == "^FD")


def test_long_customer_mark_wraps_onto_two_large_lines():
    mark = "GREENHOUSE WHOLESALE FLORAL DISTRIBUTORS OF SOUTH FLORIDA"
    (cmds,) = parse_zpl(render_zpl([make_label(customer_mark=mark)]))
    data = field_data(cmds)
    i = data.index("GREENHOUSE WHOLESALE FLORAL")
    assert f"{data[i]} {data[i + 1]}" == mark
    heights = [
        int(dict(f)["^A0"].split(",")[1]) for f in fields(cmds) if dict(f).get("^FD") in data[i : i + 2]
    ]
    assert min(heights) >= 40


def test_line_breaks_and_non_ascii():
    lb = make_label(grower_name="Floricultura Ñandú", product="Rose\nFreedom\tRed")
    data = field_data(parse_zpl(render_zpl([lb]))[0])
    assert "Floricultura Ñandú" in data and "Rose Freedom Red" in data


@pytest.mark.parametrize("code", ["", "BOX-É1", "BOX\x01"])
def test_box_code_that_code128_cannot_carry_is_refused(code):
    with pytest.raises(ValueError, match="Code 128"):
        render_zpl([make_label(box_code=code)])


@pytest.mark.parametrize(
    "bad",
    [
        "^FO10,10^FDx^FS",  # outside a format
        "^XA^FO10,10^FDx^FS",  # not closed
        "^XA^XA^XZ",  # nested
        "^XA^XZ junk",  # stray text
        "^XA^fo10,10^XZ",  # unreadable command
    ],
)
def test_parse_zpl_rejects_malformed_text(bad):
    with pytest.raises(ValueError):
        parse_zpl(bad)


def test_no_labels_no_formats():
    assert render_zpl([]) == "" and parse_zpl("") == []


def test_parse_zpl_splits_commands():
    assert parse_zpl("^XA\n^FO40,40^A0N,50,50^FDHello World^FS\n^XZ\n") == [
        [
            ("^XA", ""),
            ("^FO", "40,40"),
            ("^A0", "N,50,50"),
            ("^FD", "Hello World"),
            ("^FS", ""),
            ("^XZ", ""),
        ]
    ]
