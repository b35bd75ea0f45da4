"""Profile the po_list and flow workloads and print where the time goes.

    python bench/profile_hotspots.py po_list               # cProfile, 100 in-process calls
    python bench/profile_hotspots.py flow                  # cProfile, 2 whole flows
    python bench/profile_hotspots.py flow --pyinstrument   # a call tree (pip install pyinstrument)

cProfile inflates code made of many small Python calls (the journal's redaction, requests' environment
scan) more than C-heavy code (SQLite, json): use it to find hot spots, and bench/whatif.py to measure what
a fix would really save. The raw profile is written to bench/results/profile_<target>.prof (not committed;
open it with `python -m pstats` or snakeviz).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import sys

import _common as bc


def po_list_workload(calls: int = 100):
    import po_list

    app, query, _ = po_list.komet_world()
    client = app.test_client()
    for _ in range(10):
        client.get("/api/purchase.order.list", query_string=query)

    def work():
        for _ in range(calls):
            client.get("/api/purchase.order.list", query_string=query)

    return work


def flow_workload(runs: int = 2):
    import flow

    flow.asinfo_flow()  # warm: imports, Faker, reportlab fonts

    def work():
        for _ in range(runs):
            flow.asinfo_flow()

    return work


WORKLOADS = {"po_list": po_list_workload, "flow": flow_workload}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("target", choices=sorted(WORKLOADS))
    p.add_argument("--top", type=int, default=25, help="rows per listing")
    p.add_argument("--pyinstrument", action="store_true", help="a pyinstrument call tree instead of cProfile")
    args = p.parse_args(argv)
    work = WORKLOADS[args.target]()
    if args.pyinstrument:
        from pyinstrument import Profiler

        profiler = Profiler(interval=0.0005)
        profiler.start()
        work()
        profiler.stop()
        print(profiler.output_text(unicode=True, color=False, show_all=False))
        return 0
    prof = cProfile.Profile()
    prof.enable()
    work()
    prof.disable()
    bc.RESULTS.mkdir(parents=True, exist_ok=True)
    out = bc.RESULTS / f"profile_{args.target}.prof"
    prof.dump_stats(out)
    for key, title in (("tottime", "own time"), ("cumulative", "cumulative time, project code only")):
        buf = io.StringIO()
        stats = (
            pstats.Stats(prof, stream=buf).strip_dirs()
            if key == "tottime"
            else pstats.Stats(prof, stream=buf)
        )
        stats.sort_stats(key)
        if key == "cumulative":
            stats.print_stats(r"/(simkit|komet_sim|asinfo_sim|harness)/", args.top)
        else:
            stats.print_stats(args.top)
        text = buf.getvalue().replace(str(bc.ROOT) + "/", "")
        print(f"=== {args.target}: by {title}")
        print("\n".join(line for line in text.splitlines() if line.strip() and "List reduced" not in line))
        print()
    print(f"profile written to {out.relative_to(bc.ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
