"""Box label rendering time per label, PDF and ZPL, in batches of 1 and 100 (issue 3), against minimal
baselines that draw only the barcode.

  pdf   asinfo_sim.labels.pdf.render_pdf(labels): every field of the label, one 4×6 in page per box
        baseline: the same reportlab Canvas (same page size, invariant=1, pageCompression=1), one page per
        box holding only a reportlab Code128 drawing of the box code — the least a PDF label can be
  zpl   asinfo_sim.labels.zpl.render_zpl(labels): every field, one ^XA…^XZ format per box
        baseline: a hand-written "^XA^FO…^BY…^BCN,…^FD<code>^FS^XZ" per box — one barcode field and nothing
        else, built with an f-string

Each batch is one call rendering N distinct labels (distinct box codes, as an AWB print job has);
the table shows the time per label (batch time / N). Renders are checked to be well-formed (outside the
timed region): PDFs start with %PDF and have N pages, ZPL parses to N formats each with one ^BC.

    python bench/labels.py            # batch 1: 200 samples per case, batch 100: 20
    python bench/labels.py --quick    # 30 and 3
"""

from __future__ import annotations

import io
import sys

import _common as bc

BATCHES = (1, 100)
WARMUP = 3


def make_labels(n: int, start: int = 1) -> list:
    from asinfo_sim.labels.model import BoxLabel

    return [
        BoxLabel(
            box_code=f"HER{start + i:07d}",
            box_number=i % 19 + 1,
            box_count=19,
            grower_name="Hacienda El Rosal S.A.S.",
            farm_code="HER",
            importer_name="Morris Floral Imports",
            customer_mark="RWF-BET",
            po_number="10001",
            po_item_id=265001 + i // 7,
            box_type="HB",
            product="Spray Rose Lydia Pink 50cm",
            bunches=12,
            stems_per_bunch=10,
            ship_date="2026-11-27",
            mawb="729-1234-5675",
            hawb=None,
            origin="MDE",
            destination="MIA",
            country_of_origin="Colombia",
            lot_number=str(1000 + i),
            airline="Avianca Cargo",
            cargo_agency=None,
            reprint=False,
        )
        for i in range(n)
    ]


def bare_pdf(codes: list[str]) -> bytes:
    """The PDF baseline: same canvas settings, one page per box with only a Code 128 drawing."""
    from reportlab.graphics.barcode.code128 import Code128
    from reportlab.pdfgen.canvas import Canvas

    buf = io.BytesIO()
    c = Canvas(buf, pagesize=(288.0, 432.0), invariant=1, pageCompression=1)
    for code in codes:
        Code128(code, barWidth=1.2, barHeight=60.0).drawOn(c, 20, 100)
        c.showPage()
    c.save()
    return buf.getvalue()


def bare_zpl(codes: list[str]) -> str:
    """The ZPL baseline: one barcode field per format, nothing else."""
    return "".join(f"^XA^FO100,900^BY3,3,200^BCN,200,Y,N,N^FD{code}^FS^XZ\n" for code in codes)


def main(argv: list[str] | None = None) -> int:
    from asinfo_sim.labels.pdf import render_pdf
    from asinfo_sim.labels.zpl import parse_zpl, render_zpl

    args = bc.parser(__doc__.split("\n")[0], runs=200, quick_runs=30).parse_args(argv)
    runs = bc.runs_from(args)
    info = bc.machine()
    results: dict = {}
    tables = []
    for batch in BATCHES:
        n_runs = runs if batch == 1 else max(3, runs // 10)
        labels = make_labels(batch)
        codes = [lb.box_code for lb in labels]
        cases = {
            "pdf: render_pdf": lambda labels=labels: render_pdf(labels),
            "pdf: bare Code128 page": lambda codes=codes: bare_pdf(codes),
            "zpl: render_zpl": lambda labels=labels: render_zpl(labels),
            "zpl: bare ^BC format": lambda codes=codes: bare_zpl(codes),
        }

        def check(name, doc, batch=batch):
            if name.startswith("pdf"):
                assert doc.startswith(b"%PDF") and doc.rstrip().endswith(b"%%EOF"), name
            else:
                formats = parse_zpl(doc)
                assert len(formats) == batch and all(
                    sum(1 for cmd, _ in f if cmd == "^BC") == 1 for f in formats
                )

        samples = bc.interleaved(cases, n_runs, WARMUP, check)
        per_label = bc.Samples(cases)
        for name in cases:
            per_label[name] = [s / batch for s in samples[name]]
            per_label.cpu[name] = [s / batch for s in samples.cpu[name]]
        pdf_rows, pdf_res = bc.against(
            per_label, "pdf: bare Code128 page", ["pdf: render_pdf", "pdf: bare Code128 page"]
        )
        zpl_rows, zpl_res = bc.against(
            per_label, "zpl: bare ^BC format", ["zpl: render_zpl", "zpl: bare ^BC format"]
        )
        sizes = {
            "pdf_bytes": len(render_pdf(labels)),
            "pdf_bare_bytes": len(bare_pdf(codes)),
            "zpl_bytes": len(render_zpl(labels).encode()),
            "zpl_bare_bytes": len(bare_zpl(codes).encode()),
        }
        _check_pages(render_pdf(labels), batch)
        _check_pages(bare_pdf(codes), batch)
        results[f"batch_{batch}"] = {
            "batch": batch,
            "runs": n_runs,
            "per_label": {**pdf_res, **zpl_res},
            **sizes,
        }
        tables.append(
            bc.table(
                bc.STAT_HEADERS,
                pdf_rows + zpl_rows,
                f"Batch of {batch} label(s): time per label over {n_runs} batches "
                f"(PDF {sizes['pdf_bytes'] / batch:,.0f} B/label, ZPL {sizes['zpl_bytes'] / batch:,.0f}"
                f" B/label); ratio = median / its bare baseline",
            )
        )

    print(bc.header("labels", info))
    print(f"box label rendering, interleaved, {WARMUP} warm-up batches\n")
    print("\n\n".join(tables))
    if not args.no_json:
        path = bc.write_json(
            "labels",
            {
                "benchmark": "labels",
                "machine": info,
                "warmup": WARMUP,
                "baseline": {
                    "pdf": "same reportlab Canvas settings, one page per box with only a Code128 drawing",
                    "zpl": "one ^XA^FO^BY^BC^FD^FS^XZ format per box, f-string",
                },
                **results,
            },
        )
        print(f"\nwrote {path.relative_to(bc.ROOT)}")
    return 0


def _check_pages(pdf: bytes, expected: int) -> None:
    """One page per label (counted on the uncompressed page tree, outside the timed region)."""
    import re

    counts = [int(m) for m in re.findall(rb"/Count (\d+)", pdf)]
    assert expected in counts, f"expected a {expected}-page PDF, page tree counts {counts}"


if __name__ == "__main__":
    sys.exit(main())
