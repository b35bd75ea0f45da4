"""Shared plumbing for the benchmarks: interleaved timing, statistics, the table, the JSON result file.

Rules every benchmark follows (guide: "report medians and ratios", these machines are shared and noisy):
  * the measured case and its baseline run in the same process, in the same run, interleaved round by
    round (the order inside a round alternates), so both see the same machine noise;
  * each sample is one call timed with time.perf_counter; the garbage collector stays on (the real thing
    runs with it); warm-up rounds are run first and thrown away;
  * we report median, p90 and min over N samples, and the ratio of the medians (case / baseline); the JSON
    also keeps the median of the per-round ratios, which is less sensitive to slow drift;
  * next to the wall time (perf_counter) we keep the process CPU time of each sample (time.process_time):
    on a loaded machine the wall time includes waiting for a core, the CPU time mostly does not.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
RESULTS = BENCH / "results"

# Benchmark the working tree, whatever is installed in site-packages.
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


# --- the machine -----------------------------------------------------------------------------------
def machine() -> dict:
    """What the numbers were measured on: date, nproc, Python, CPU, and the commit of the tree."""
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    try:
        nproc = len(os.sched_getaffinity(0))
    except AttributeError:
        nproc = os.cpu_count() or 0
    try:
        load = os.getloadavg()[0]
    except OSError:
        load = None
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "nproc": nproc,
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "platform": platform.platform(terse=True),
        "cpu": cpu,
        "loadavg1": round(load, 2) if load is not None else None,
        "commit": _git("rev-parse", "--short", "HEAD"),
        "dirty": bool(_git("status", "--porcelain", "--untracked-files=no")),
        "versions": _versions("flask", "werkzeug", "requests", "reportlab", "faker"),
    }


def _git(*args: str) -> str | None:
    try:
        out = subprocess.run(
            ["git", *args], cwd=ROOT, capture_output=True, text=True, timeout=10, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() if out.returncode == 0 else None


def _versions(*names: str) -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    found = {}
    for name in names:
        with contextlib.suppress(PackageNotFoundError):
            found[name] = version(name)
    return found


# --- timing ----------------------------------------------------------------------------------------
class Samples(dict):
    """name -> wall-clock seconds per sample (time.perf_counter); .cpu: name -> process CPU seconds per
    sample (time.process_time: every thread of this process, so a served app's threads count too)."""

    def __init__(self, names):
        super().__init__((n, []) for n in names)
        self.cpu: dict[str, list[float]] = {n: [] for n in names}


def interleaved(
    cases: Mapping[str, Callable[..., object]],
    runs: int,
    warmup: int = 0,
    check: Callable[[str, object], None] | None = None,
) -> Samples:
    """Time each case `runs` times, one sample of every case per round, the order rotating each round so
    that no case always runs first (or right after another). `check(name, result)` runs after each
    sample, outside the timed region, to prove the call did the work."""
    names = list(cases)
    samples = Samples(names)
    for round_no in range(warmup + runs):
        k = round_no % len(names)
        order = names[k:] + names[:k]
        if round_no % 2:
            order.reverse()
        for name in order:
            fn = cases[name]
            c0 = time.process_time()
            t0 = time.perf_counter()
            result = fn()
            elapsed = time.perf_counter() - t0
            cpu = time.process_time() - c0
            if check is not None:
                check(name, result)
            if round_no >= warmup:
                samples[name].append(elapsed)
                samples.cpu[name].append(cpu)
    return samples


def summary(samples: list[float]) -> dict:
    ordered = sorted(samples)
    n = len(ordered)
    return {
        "n": n,
        "median": statistics.median(ordered),
        "p90": _quantile(ordered, 0.90),
        "min": ordered[0],
        "max": ordered[-1],
        "mean": statistics.fmean(ordered),
        "stdev": statistics.stdev(ordered) if n > 1 else 0.0,
    }


def _quantile(ordered: list[float], q: float) -> float:
    """Linear interpolation between closest ranks (numpy's default)."""
    if len(ordered) == 1:
        return ordered[0]
    pos = (len(ordered) - 1) * q
    lo = int(pos)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)


def compare(case: list[float], baseline: list[float]) -> dict:
    """The case against its baseline: the ratio of medians, and the median of per-round ratios."""
    a, b = summary(case), summary(baseline)
    paired = [x / y for x, y in zip(case, baseline, strict=False) if y > 0]
    return {
        "case": a,
        "baseline": b,
        "ratio": a["median"] / b["median"] if b["median"] else float("inf"),
        "paired_ratio_median": statistics.median(paired) if paired else None,
    }


# --- output ----------------------------------------------------------------------------------------
def fmt_time(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    if seconds >= 1:
        return f"{seconds:.2f} s"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.2f} ms"
    return f"{seconds * 1e6:.1f} µs"


def fmt_ratio(ratio: float | None) -> str:
    if ratio is None:
        return "—"
    return f"{ratio:,.1f}×" if ratio >= 10 else f"{ratio:.2f}×"


def table(headers: list[str], rows: list[list[str]], title: str | None = None) -> str:
    """A plain-text table whose first column is left-aligned and the others right-aligned."""
    widths = [max(len(str(x)) for x in col) for col in zip(headers, *rows, strict=True)]

    def line(cells):
        return "  ".join(
            str(c).ljust(w) if i == 0 else str(c).rjust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        )

    out = [title, ""] if title else []
    out += [line(headers), "  ".join("-" * w for w in widths)]
    out += [line(r) for r in rows]
    return "\n".join(out)


def stat_row(
    label: str, s: dict, ratio: float | None = None, cpu: dict | None = None, cpu_ratio: float | None = None
) -> list[str]:
    return [
        label,
        str(s["n"]),
        fmt_time(s["median"]),
        fmt_time(s["p90"]),
        fmt_time(s["min"]),
        fmt_ratio(ratio),
        fmt_time(cpu["median"]) if cpu else "—",
        fmt_ratio(cpu_ratio),
    ]


STAT_HEADERS = ["case", "N", "median", "p90", "min", "ratio", "cpu median", "cpu ratio"]


def against(
    samples: Samples, baseline: str, names: list[str] | None = None, keep_samples: bool = True
) -> tuple[list[list[str]], dict]:
    """Table rows and JSON results for every case of `samples` against the case named `baseline`."""
    rows, results = [], {}
    for name in names or list(samples):
        wall = compare(samples[name], samples[baseline])
        cpu = compare(samples.cpu[name], samples.cpu[baseline])
        results[name] = {
            "wall": wall["case"],
            "ratio": wall["ratio"],
            "paired_ratio_median": wall["paired_ratio_median"],
            "cpu": cpu["case"],
            "cpu_ratio": cpu["ratio"],
        }
        if keep_samples:
            results[name]["samples"] = [round(x, 7) for x in samples[name]]
        rows.append(stat_row(name, wall["case"], wall["ratio"], cpu["case"], cpu["ratio"]))
    return rows, results


def header(name: str, info: dict) -> str:
    dirty = " (uncommitted changes)" if info.get("dirty") else ""
    return (
        f"{name} · {info['date']} · nproc {info['nproc']} · Python {info['python']} · load {info['loadavg1']}"
        f" · {info['cpu']} · commit {info['commit']}{dirty}"
    )


def write_json(name: str, payload: dict) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.json"
    with open(path, "w", encoding="utf-8") as fh:
        json.dump(payload, fh, indent=2, sort_keys=False)
        fh.write("\n")
    return path


def parser(description: str, runs: int, quick_runs: int) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--quick", action="store_true", help=f"a smoke run: {quick_runs} runs instead of {runs}")
    p.add_argument("-n", "--runs", type=int, help=f"samples per case (default {runs}, --quick {quick_runs})")
    p.add_argument("--no-json", action="store_true", help="do not write bench/results/<name>.json")
    p.set_defaults(default_runs=runs, quick_runs=quick_runs)
    return p


def runs_from(args: argparse.Namespace) -> int:
    if args.runs:
        return args.runs
    return args.quick_runs if args.quick else args.default_runs
