"""Markdown tables of the latest results (bench/results/*.json), for bench/README.md.

python bench/report.py            # print the tables
python bench/report.py --write    # replace the generated block of bench/README.md with them
"""

from __future__ import annotations

import argparse
import json
import re
import sys

import _common as bc

README = bc.BENCH / "README.md"
START, END = "<!-- results:start (python bench/report.py --write) -->", "<!-- results:end -->"
t, r = bc.fmt_time, bc.fmt_ratio


def machine_line(m: dict) -> str:
    dirty = ", uncommitted changes in the tree" if m.get("dirty") else ""
    return (
        f"*{m['date']} · `nproc` {m['nproc']} · Python {m['python']} · {m['cpu']} · load average "
        f"{m['loadavg1']} at the start · commit {m['commit']}{dirty}*"
    )


def md(headers: list[str], rows: list[list[str]]) -> str:
    out = [
        "| " + " | ".join(headers) + " |",
        "|" + "|".join("---" if i == 0 else "---:" for i in range(len(headers))) + "|",
    ]
    out += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(out)


HEAD = ["case", "N", "median", "p90", "min", "ratio", "CPU median", "CPU ratio"]


def stat_rows(results: dict) -> list[list[str]]:
    return [
        [
            name,
            str(v["wall"]["n"]),
            t(v["wall"]["median"]),
            t(v["wall"]["p90"]),
            t(v["wall"]["min"]),
            r(v["ratio"]),
            t(v["cpu"]["median"]),
            r(v["cpu_ratio"]),
        ]
        for name, v in results.items()
    ]


def po_list(d: dict) -> str:
    return "\n\n".join(
        [
            f"#### po_list — {d['runs']} calls per case, reply {d['reply_bytes']:,} bytes\n\n"
            f"{machine_line(d['machine'])}",
            "In process (Flask test client), ratio to the bare route:\n\n"
            + md(HEAD, stat_rows(d["in_process"])),
            "Real socket (ServerThread + requests.Session), ratio to the bare route served the same way:\n\n"
            + md(HEAD, stat_rows(d["socket"])),
        ]
    )


def labels(d: dict) -> str:
    parts = [f"#### labels — time per label\n\n{machine_line(d['machine'])}"]
    for key in sorted(k for k in d if k.startswith("batch_")):
        b = d[key]
        parts.append(
            f"Batch of {b['batch']} ({b['runs']} batches per case; PDF {b['pdf_bytes'] / b['batch']:,.0f} "
            f"B/label, ZPL {b['zpl_bytes'] / b['batch']:,.0f} B/label), ratio to its bare baseline:\n\n"
            + md(HEAD, stat_rows(b["per_label"]))
        )
    return "\n\n".join(parts)


def flow(d: dict) -> str:
    head = [
        "phase",
        "Komet calls",
        "ASINFO flow median",
        "p90",
        "min",
        "direct Komet median",
        "ratio",
        "CPU median",
        "CPU ratio",
    ]
    rows = []
    for phase, v in d["phases"].items():
        label = f"{phase} (not in total)" if phase == "apps" else phase
        if phase.startswith("total"):
            label = f"**{label}**"
        rows.append(
            [
                label,
                str(v["komet_api_calls"]),
                t(v["asinfo"]["median"]),
                t(v["asinfo"]["p90"]),
                t(v["asinfo"]["min"]),
                t(v["direct"]["median"]) if v["direct"] else "—",
                r(v["ratio"]),
                t(v["cpu_asinfo"]["median"]),
                r(v["cpu_ratio"]),
            ]
        )
    return (
        f"#### flow — {d['runs']} runs of each; 20 POs × 5 lines, {d['boxes']} boxes, PDF {d['pdf_bytes']:,} "
        f"bytes\n\n{machine_line(d['machine'])}\n\n" + md(head, rows)
    )


def library(d: dict) -> str:
    rows = stat_rows(d["results"])
    last = {e["mode"]: e for e in d["log"] if e["counts"]}
    for row in rows:
        counts = last[row[0]]["counts"]
        row.insert(1, ", ".join(f"{n} {w}" for w, n in counts.items()))
    s = d["server_startup"]
    rows.append(
        [
            "live: server start-up (not in the times above)",
            "",
            str(s["n"]),
            t(s["median"]),
            t(s["p90"]),
            t(s["min"]),
            "",
            "",
            "",
        ]
    )
    left = f"; {len(d['left_out'])} file(s) left out as not valid yet" if d["left_out"] else ""
    return (
        f"#### library — {d['runs']} runs of each; {d['scenarios']} scenarios in {len(d['files'])} files{left}\n\n"
        f"{machine_line(d['machine'])}\n\n" + md(["mode", "result", *HEAD[1:]], rows)
    )


def whatif(d: dict) -> str:
    parts = [f"#### whatif — the suggested fixes, measured\n\n{machine_line(d['machine'])}"]
    titles = {
        "journal": "journal redaction, purchase.order.list in process",
        "trust_env": "requests trust_env, one small in-process API call",
        "rl_accel": "reportlab accelerator, PDF render CPU per label (median column; same bytes)",
        "flow": "whole flow, trust_env=False + memoised key check",
        "library": "scenario library in process, trust_env=False + memoised key check",
    }
    for key, title in titles.items():
        if key not in d:
            continue
        block = d[key]
        if key == "flow":
            rows = [[phase, *stat_rows(v)[0][1:]] for phase, v in block.items()]
        else:
            rows = stat_rows({k: v for k, v in block.items() if isinstance(v, dict) and "wall" in v})
        parts.append(f"{title}:\n\n" + md(["phase" if key == "flow" else "case", *HEAD[1:]], rows))
    return "\n\n".join(parts)


def speed(d: dict) -> str:
    mode = " (--quick)" if d.get("quick") else ""
    notes = "".join(f"\n\nnote: {n}" for n in d.get("notes", []))
    here = (d["machine"]["date"], d["machine"]["commit"])
    earlier: dict[tuple[str, str], list[str]] = {}
    for section, when in d.get("ran", {}).items():
        if (when["date"], when["commit"]) != here:
            earlier.setdefault((when["date"], when["commit"]), []).append(section)
    notes += "".join(
        f"\n\nrows kept from the run of {date} (commit {commit}): {', '.join(sections)}"
        for (date, commit), sections in earlier.items()
    )
    return (
        f"#### speed — issue 15, every figure against its baseline{mode}\n\n{machine_line(d['machine'])}; load "
        f"average at the end {d['load_at_end']}\n\n"
        + md(["figure", "medians", "ratio", "goal"], d["summary"])
        + notes
    )


RENDER = {
    "speed": speed,
    "po_list": po_list,
    "flow": flow,
    "labels": labels,
    "library": library,
    "whatif": whatif,
}


def render() -> str:
    out = []
    for name, fn in RENDER.items():
        path = bc.RESULTS / f"{name}.json"
        if path.exists():
            with open(path, encoding="utf-8") as fh:
                out.append(fn(json.load(fh)))
        else:
            out.append(f"#### {name}\n\nno results yet: run `python bench/{name}.py`")
    return "\n\n".join(out)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--write", action="store_true", help="update the generated block of bench/README.md")
    args = p.parse_args(argv)
    text = render()
    if not args.write:
        print(text)
        return 0
    readme = README.read_text(encoding="utf-8")
    if START not in readme or END not in readme:
        print(f"{README} has no generated block ({START} … {END})", file=sys.stderr)
        return 1
    block = f"{START}\n\n{text}\n\n{END}"
    README.write_text(
        re.sub(re.escape(START) + r".*?" + re.escape(END), lambda _: block, readme, flags=re.S),
        encoding="utf-8",
    )
    print(f"updated {README.relative_to(bc.ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
