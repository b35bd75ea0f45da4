"""The whole grower flow in process for 20 POs × 5 lines (issue 3), phase by phase, against the same Komet
API calls made directly.

Case ("asinfo flow"), with harness.topology.Topology.in_process(seed), through both apps' HTTP APIs:
  seed        Komet seeded with one ship date of 20 POs × 5 lines, one vendor
  connect     the importer makes a Vendor token (ASINFO preset); the grower's account is seeded and connects
  sync        ASINFO pulls its ship-date window (8 × purchase.order.list) and stores 20 orders, 100 lines
  confirm     every PO confirmed "all" (20 API calls; 100 × purchase.order.item.confirm through the outbox)
  awb+assign  one AWB (729), every confirmed box assigned in one call
  labels      the whole AWB printed as one PDF (one 4×6 in page per box)
  ship        one purchase.order.items.awb.add with the labels' box codes; results recorded
Afterwards (not timed) Komet must show 100 lines shipped, to a Company token.

Baseline ("direct komet"): a fresh Komet app seeded the same way, the same Vendor token, then exactly the
Komet API requests ASINFO made (recorded once, before timing: same methods, query strings and bodies,
hence the same box codes) replayed through the same in-process WSGI transport, each reply decoded and
checked. It is what a script that talked to Komet directly would cost, so the ratio is the price of the
ASINFO layer (its own HTTP API, SQLite, outbox, journal, label rendering). Phases with no Komet call
(awb+assign, labels) have no baseline.

    python bench/flow.py            # 20 runs of each
    python bench/flow.py --quick    # 3
"""

from __future__ import annotations

import io
import json
import sys
import time

import _common as bc

SEED = 7
WORLD = {"seed": SEED, "vendors": 1, "shipDays": 1, "posPerDay": 20, "linesPerPo": 5}
PHASES = ["seed", "connect", "sync", "confirm", "awb+assign", "labels", "ship"]
LINES = 100
TOTAL_NO_LABELS = "total without labels"
WARMUP = 1


class Clock:
    """Wall and CPU seconds per phase of one run."""

    def __init__(self):
        self.wall: dict[str, float] = {}
        self.cpu: dict[str, float] = {}

    def phase(self, name: str):
        clock = self

        class _Phase:
            def __enter__(self):
                self.c0, self.t0 = time.process_time(), time.perf_counter()

            def __exit__(self, *exc):
                clock.wall[name] = time.perf_counter() - self.t0
                clock.cpu[name] = time.process_time() - self.c0

        return _Phase()


class Recorder:
    """Outermost WSGI layer on the Komet app: keeps every /api/ request (phase, verb, path, query, body)."""

    def __init__(self, app):
        self.app = app
        self.phase = None
        self.calls: list[dict] = []

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        if path.startswith("/api/"):
            length = int(environ.get("CONTENT_LENGTH") or 0)
            body = environ["wsgi.input"].read(length) if length else b""
            environ["wsgi.input"] = io.BytesIO(body)
            self.calls.append(
                {
                    "phase": self.phase,
                    "method": environ["REQUEST_METHOD"],
                    "path": path,
                    "query": environ.get("QUERY_STRING", ""),
                    "body": body,
                    "contentType": environ.get("CONTENT_TYPE", ""),
                }
            )
        return self.app(environ, start_response)


def asinfo_flow(recorder: Recorder | None = None) -> tuple[Clock, dict]:
    """The flow as a grower does it, through ASINFO. Returns the phase times and what to check after."""
    from harness.topology import Topology

    clock = Clock()
    with clock.phase("apps"):
        topo = Topology.in_process(SEED)
    assert topo.apps is not None  # in process: the two apps are at hand
    kapp = topo.apps[0]
    if recorder is not None:
        recorder.app = kapp.wsgi_app
        kapp.wsgi_app = recorder

    def mark(name):
        if recorder is not None:
            recorder.phase = name
        return clock.phase(name)

    with mark("seed"):
        world = topo.komet.seed(**WORLD)
    topo.komet.namespace = str(world["companyId"])
    with mark("connect"):
        grower = topo.connect_grower(world)
    asinfo = topo.asinfo
    with mark("sync"):
        [entry] = asinfo.sync()["syncs"]
    with mark("confirm"):
        orders = asinfo.orders()
        for order in orders:
            asinfo.confirm_order(order["id"], "all")
    with mark("awb+assign"):
        ship_date = orders[0]["shipDate"]
        awb = asinfo.create_awb(grower["connection"]["id"], ship_date, airline="729")
        lines = [(ln["id"], ln["confirmedBoxes"]) for o in asinfo.orders() for ln in o["lines"]]
        awb = asinfo.assign(awb["id"], lines)
    with mark("labels"):
        pdf = asinfo.print_labels("pdf", awbId=awb["id"])
    with mark("ship"):
        shipment = asinfo.ship(awb["id"])
    if recorder is not None:
        kapp.wsgi_app = recorder.app
    assert entry["result"] == "ok" and entry["counts"]["newLines"] == LINES, entry
    assert pdf.startswith(b"%PDF") and shipment["state"] == "shipped", shipment["state"]
    journal = kapp.extensions["kasim.world"].journal.entries()
    api_calls = sum(1 for e in journal if e["request"]["path"].startswith("/api/"))
    facts = {
        "komet": topo.komet,
        "shipDate": ship_date,
        "boxes": len(awb["boxes"]),
        "pdfBytes": len(pdf),
        "apiCalls": api_calls,
        "orders": len(orders),
    }
    topo.close()
    return clock, facts


def direct_flow(calls: list[dict], vendor_token: str) -> tuple[Clock, dict]:
    """The baseline: the same Komet work without ASINFO (see the module docstring)."""
    import komet_sim
    from harness.clients import KometSimClient
    from harness.topology import KOMET_IN_PROCESS
    from simkit.clock import VirtualClock

    clock = Clock()
    with clock.phase("apps"):
        kapp = komet_sim.create_app({"seed": SEED, "clock": VirtualClock()})
        komet = KometSimClient(KOMET_IN_PROCESS, app=kapp)
    with clock.phase("seed"):
        world = komet.seed(**WORLD)
    komet.namespace = str(world["companyId"])
    with clock.phase("connect"):
        token = komet.create_token(vendor_id=world["vendors"][0]["id"], methods="asinfo")["token"]
    old, new = vendor_token.encode(), token.encode()
    session = komet.session
    for phase in PHASES[2:]:
        mine = [c for c in calls if c["phase"] == phase]
        if not mine:
            continue
        with clock.phase(phase):
            for c in mine:
                query = c["query"].replace(vendor_token, token)
                url = f"{KOMET_IN_PROCESS}{c['path']}" + (f"?{query}" if query else "")
                headers = {"Content-Type": c["contentType"]} if c["contentType"] else {}
                reply = session.request(
                    c["method"], url, data=c["body"].replace(old, new), headers=headers, timeout=30
                ).json()
                assert str(reply.get("status")) == "1", (c["path"], reply)
    return clock, {"komet": komet, "shipDate": world["shipDates"][0]}


def shipped_lines(komet, ship_date: str) -> int:
    """What the importer sees: lines shipped on that date, read with a Company token."""
    token = komet.create_token(type="Company", methods="all", description="bench check")["token"]
    reply = komet.api("purchase.order.list", token, date=ship_date)
    return sum(1 for po in reply["purchaseOrders"] for d in po["details"] if d["lineItemStatus"] == "S")


def calibrate() -> tuple[list[dict], str, dict]:
    """One untimed flow to record the Komet API calls ASINFO makes, and the Vendor token they carry."""
    recorder = Recorder(None)
    _, facts = asinfo_flow(recorder)
    assert shipped_lines(facts["komet"], facts["shipDate"]) == LINES
    token = next(c for c in recorder.calls if "authenticationToken=" in c["query"] or c["body"])
    if "authenticationToken=" in token["query"]:
        from urllib.parse import parse_qs

        vendor_token = parse_qs(token["query"])["authenticationToken"][0]
    else:
        vendor_token = json.loads(token["body"])["authenticationToken"]
    return recorder.calls, vendor_token, facts


def main(argv: list[str] | None = None) -> int:
    args = bc.parser(__doc__.split("\n")[0], runs=20, quick_runs=3).parse_args(argv)
    runs = bc.runs_from(args)
    info = bc.machine()
    calls, vendor_token, facts = calibrate()
    per_phase = {p: sum(1 for c in calls if c["phase"] == p) for p in PHASES}
    cases = {"asinfo flow": asinfo_flow, "direct komet": lambda: direct_flow(calls, vendor_token)}
    clocks: dict[str, list[Clock]] = {name: [] for name in cases}

    def run_case(name):
        clock, out = cases[name]()
        assert shipped_lines(out["komet"], out["shipDate"]) == LINES, (
            f"{name}: Komet does not show {LINES} shipped"
        )
        if name == "asinfo flow":
            assert out["apiCalls"] == len(calls), (
                f"ASINFO made {out['apiCalls']} Komet calls, {len(calls)} recorded"
            )
        return clock

    for round_no in range(WARMUP + runs):
        order = list(cases) if round_no % 2 == 0 else list(reversed(cases))
        for name in order:
            clock = run_case(name)
            if round_no >= WARMUP:
                clocks[name].append(clock)

    # samples per phase, and the total of the seven phases (app creation is reported, not in the total)
    results: dict = {}
    rows = []
    for phase in ["apps", *PHASES, "total", TOTAL_NO_LABELS]:
        samples = bc.Samples(cases)
        for name in cases:
            for clock in clocks[name]:
                if phase in ("total", TOTAL_NO_LABELS):
                    summed = PHASES if phase == "total" else [p for p in PHASES if p != "labels"]
                    wall = sum(clock.wall.get(p, 0.0) for p in summed)
                    cpu = sum(clock.cpu.get(p, 0.0) for p in summed)
                else:
                    wall, cpu = clock.wall.get(phase, 0.0), clock.cpu.get(phase, 0.0)
                samples[name].append(wall)
                samples.cpu[name].append(cpu)
        case = bc.compare(samples["asinfo flow"], samples["direct komet"])
        cpu_case = bc.compare(samples.cpu["asinfo flow"], samples.cpu["direct komet"])
        has_base = case["baseline"]["median"] > 0
        results[phase] = {
            "komet_api_calls": per_phase.get(phase, len(calls) if phase.startswith("total") else 0),
            "asinfo": case["case"],
            "direct": case["baseline"] if has_base else None,
            "ratio": case["ratio"] if has_base else None,
            "paired_ratio_median": case["paired_ratio_median"] if has_base else None,
            "cpu_asinfo": cpu_case["case"],
            "cpu_direct": cpu_case["baseline"] if has_base else None,
            "cpu_ratio": cpu_case["ratio"] if has_base else None,
            "samples": {n: [round(x, 6) for x in samples[n]] for n in cases},
        }
        r = results[phase]
        label = f"{phase} (not in total)" if phase == "apps" else phase
        rows.append(
            [
                label,
                str(r["komet_api_calls"]),
                bc.fmt_time(r["asinfo"]["median"]),
                bc.fmt_time(r["asinfo"]["p90"]),
                bc.fmt_time(r["asinfo"]["min"]),
                bc.fmt_time(r["direct"]["median"]) if has_base else "—",
                bc.fmt_ratio(r["ratio"]),
                bc.fmt_time(r["cpu_asinfo"]["median"]),
                bc.fmt_ratio(r["cpu_ratio"]),
            ]
        )

    print(bc.header("flow", info))
    print(
        f"whole flow in process, 20 POs × 5 lines ({facts['boxes']} boxes, PDF {facts['pdfBytes']:,} bytes); "
        f"{runs} runs of each after {WARMUP} warm-up, interleaved; Komet shows {LINES} lines shipped after "
        f"every run\n"
    )
    print(
        bc.table(
            [
                "phase",
                "komet calls",
                "median",
                "p90",
                "min",
                "direct median",
                "ratio",
                "cpu median",
                "cpu ratio",
            ],
            rows,
            "asinfo flow (median/p90/min) vs direct komet: same Komet API calls, no ASINFO layer",
        )
    )
    if not args.no_json:
        path = bc.write_json(
            "flow",
            {
                "benchmark": "flow",
                "machine": info,
                "runs": runs,
                "warmup": WARMUP,
                "world": WORLD,
                "boxes": facts["boxes"],
                "pdf_bytes": facts["pdfBytes"],
                "komet_api_calls": per_phase,
                "baseline": "the same Komet API requests replayed directly on a fresh identical world",
                "phases": results,
            },
        )
        print(f"\nwrote {path.relative_to(bc.ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
