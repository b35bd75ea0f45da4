"""What bench/speed.py prints: issue 15's table (each figure, its medians, its ratio to the baseline, its goal)
and each section's own table."""

from __future__ import annotations

import _common as bc

BASELINE_COMMIT = "3282e20"  # main before issue 15
BASELINE_SERVE = f"kasim serve ({BASELINE_COMMIT})"
FLASK_FLOOR = "one-route Flask app"  # start-up's floor: bench/_flask_floor.py
EXPLORE_JOB_COUNT = 2  # the case that shares the runs between processes: one per core of the machine
EXPLORE_JOBS = f"kasim explore --jobs {EXPLORE_JOB_COUNT}"
GOALS = {
    "in process": "≤ 1.5×",
    "served": "≥ 1.0×",
    "server CPU": "≤ 2×",
    "start-up": "≤ 0.2 s idle",
    "explore": "≥ 300 steps/s",
    "memory": "flat",
    "1 M lines": "≤ 1.1×",
}


def median(xs: list[float]) -> float:
    import statistics

    return statistics.median(xs)


def summary_rows(found: dict) -> list[list[str]]:
    rows = []
    if "in process" in found:
        r = found["in process"]["results"]["kasim"]
        bare = found["in process"]["results"]["bare Flask route"]
        rows.append(
            [
                "in process, kasim vs a bare Flask route (same client)",
                f"{bc.fmt_time(r['wall']['median'])} vs {bc.fmt_time(bare['wall']['median'])}",
                f"{r['ratio']:.2f}× (CPU {r['cpu_ratio']:.2f}×)",
                GOALS["in process"],
            ]
        )
    if "served" in found:
        runs = found["served"]["runs"]
        k = median([x["rps"] for x in runs["kasim"]])
        if "WireMock" in runs:
            w = median([x["rps"] for x in runs["WireMock"]])
            rows.append(
                [
                    "served, kasim serve komet vs WireMock (wrk -t2 -c16)",
                    f"{k:,.0f} vs {w:,.0f} req/s",
                    f"{k / w:.2f}×",
                    GOALS["served"],
                ]
            )
        else:
            rows.append(
                [
                    "served, kasim serve komet vs WireMock",
                    f"{k:,.0f} req/s vs —",
                    "skipped (no jar)",
                    GOALS["served"],
                ]
            )
        kc = median([x["cpu_per_request"] for x in runs["kasim"]])
        bcpu = median([x["cpu_per_request"] for x in runs["bare Flask route"]])
        rows.append(
            [
                "server CPU per request, kasim vs bare Flask (same server)",
                f"{kc * 1e3:.2f} vs {bcpu * 1e3:.2f} ms",
                f"{kc / bcpu:.2f}×",
                GOALS["server CPU"],
            ]
        )
    if "start-up" in found:
        t, cpu = found["start-up"]["times"], found["start-up"].get("cpu", {})
        k = median(t["kasim serve"])
        k_cpu = f" (CPU {median(cpu['kasim serve']):.2f} s)" if cpu.get("kasim serve") else ""
        if t.get("WireMock"):
            w = median(t["WireMock"])
            rows.append(
                [
                    "kasim serve (both) start to ready vs WireMock",
                    f"{k:.2f} s{k_cpu} vs {w:.2f} s",
                    f"{k / w:.2f}×",
                    GOALS["start-up"],
                ]
            )
        else:
            rows.append(
                [
                    "kasim serve (both) start to ready",
                    f"{k:.2f} s{k_cpu}",
                    "— (no WireMock)",
                    GOALS["start-up"],
                ]
            )
        if t.get(BASELINE_SERVE):
            b = median(t[BASELINE_SERVE])
            b_cpu = f" (CPU {median(cpu[BASELINE_SERVE]):.2f} s)" if cpu.get(BASELINE_SERVE) else ""
            rows.append(
                [
                    "kasim serve (both) start to ready vs the baseline tree "
                    f"({found['start-up'].get('baseline', BASELINE_COMMIT)})",
                    f"{k:.2f} s{k_cpu} vs {b:.2f} s{b_cpu}",
                    f"{k / b:.2f}×",
                    GOALS["start-up"],
                ]
            )
        if t.get(FLASK_FLOOR):
            floor = median(t[FLASK_FLOOR])
            floor_cpu = f" (CPU {median(cpu[FLASK_FLOOR]):.2f} s)" if cpu.get(FLASK_FLOOR) else ""
            rows.append(
                [
                    "kasim serve (both) start to ready vs a one-route Flask app started the same way",
                    f"{k:.2f} s{k_cpu} vs {floor:.2f} s{floor_cpu}",
                    f"{k / floor:.2f}×",
                    GOALS["start-up"],
                ]
            )
        if t.get("kasim serve --no-cache"):
            f = median(t["kasim serve --no-cache"])
            f_cpu = median(cpu["kasim serve --no-cache"]) if cpu.get("kasim serve --no-cache") else None
            rows.append(
                [
                    "kasim serve --no-cache (a day's first start) vs from the cache",
                    f"{f:.2f} s" + (f" (CPU {f_cpu:.2f} s)" if f_cpu is not None else "") + f" vs {k:.2f} s",
                    f"{f / k:.2f}×",
                    "—",
                ]
            )
    if "explore" in found:
        e = found["explore"]
        rate = {n: median([x["steps"] / x["seconds"] for x in v]) for n, v in e.items()}
        per_cpu = {
            n: median([x["steps"] / x["cpu"] for x in v]) for n, v in e.items() if all("cpu" in x for x in v)
        }
        cpu = (
            f" (per CPU second {per_cpu['this tree']:.0f} vs {per_cpu['baseline']:.0f})"
            if len(per_cpu) == 2
            else ""
        )
        rows.append(
            [
                "kasim explore rule steps/s vs the baseline tree",
                f"{rate['this tree']:.0f} vs {rate['baseline']:.0f} steps/s{cpu}",
                f"{rate['this tree'] / rate['baseline']:.2f}×",
                GOALS["explore"],
            ]
        )
        if EXPLORE_JOBS in rate:
            rows.append(
                [
                    f"{EXPLORE_JOBS} vs the baseline tree (one process)",
                    f"{rate[EXPLORE_JOBS]:.0f} vs {rate['baseline']:.0f} steps/s",
                    f"{rate[EXPLORE_JOBS] / rate['baseline']:.2f}×",
                    GOALS["explore"],
                ]
            )
    if "memory" in found:
        m = found["memory"]
        per_call = {n: (v[-1] - v[0]) / m["calls"] for n, v in m["rss"].items()}
        rows.append(
            [
                f"memory, served, RSS growth over {m['calls']:,} list calls",
                f"{per_call['kasim'] / 1024:+.2f} vs {per_call['bare Flask route'] / 1024:+.2f} KB/call",
                f"kasim {m['rss']['kasim'][-1] / m['rss']['kasim'][0]:.3f}× its size after {m['warm']}",
                GOALS["memory"],
            ]
        )
    if "1 M lines" in found:
        s = found["1 M lines"]
        name = next(iter(s["results"]))
        r = s["results"][name]
        other = next(n for n in s["results"] if n != name)
        rows.append(
            [
                f"one day's list, computed, {name} stored vs {other}",
                f"{bc.fmt_time(r['wall']['median'])} vs {bc.fmt_time(s['results'][other]['wall']['median'])}",
                f"{r['ratio']:.2f}× (CPU {r['cpu_ratio']:.2f}×)",
                GOALS["1 M lines"],
            ]
        )
    return rows


def served_table(runs: dict) -> str:
    rows = []
    for name, xs in runs.items():
        rows.append(
            [
                name,
                str(len(xs)),
                f"{median([x['rps'] for x in xs]):,.0f}",
                f"{min(x['rps'] for x in xs):,.0f}",
                f"{median([x['cpu_per_request'] for x in xs]) * 1e3:.3f} ms",
                str(sum(x["non2xx"] for x in xs)),
                "; ".join(x["socket_errors"] for x in xs if x["socket_errors"]) or "—",
            ]
        )
    return bc.table(
        ["server", "runs", "req/s median", "min", "CPU/request", "non-2xx", "socket errors"],
        rows,
        "served (wrk -t2 -c16)",
    )


def plain_table(title: str, times: dict) -> str:
    rows = [[n, str(len(v)), bc.fmt_time(median(v)), bc.fmt_time(min(v))] for n, v in times.items() if v]
    return bc.table(["case", "N", "median", "min"], rows, title)


def explore_table(found: dict) -> str:
    rows = []
    for name, xs in found.items():
        rates = [x["steps"] / x["seconds"] for x in xs]
        cpu = [x["steps"] / x["cpu"] for x in xs if "cpu" in x]
        rows.append(
            [
                name,
                str(len(xs)),
                str(sum(x["steps"] for x in xs)),
                f"{median(rates):.0f}",
                f"{median(cpu):.0f}" if cpu else "—",
                str(sum(1 for x in xs if x["failure"])),
            ]
        )
    return bc.table(
        ["tree", "runs", "steps", "steps/s median", "per CPU second", "runs with a finding"],
        rows,
        "kasim explore",
    )


def memory_table(m: dict) -> str:
    rows = []
    for name, v in m["rss"].items():
        rows.append(
            [name, *(f"{x / 2**20:.1f} MB" for x in v), f"{(v[-1] - v[0]) / m['calls'] / 1024:+.2f} KB"]
        )
    heads = ["server", f"after {m['warm']}"] + [
        f"+{500 * (i + 1)}" for i in range(len(next(iter(m["rss"].values()))) - 1)
    ]
    return bc.table([*heads, "growth/call"], rows, "served RSS")
