"""Wall time of the whole scenario library (issue 4), in process and live, side by side.

  in process  python -m harness.cli run <files> --no-progress
  live        python -m harness.cli serve --komet-port P --asinfo-port Q --poll 0   (a fresh pair of servers
              per run, started before the clock starts, ready when /__sim/health answers on both ports and
              `serve` has printed that it is up), then
              python -m harness.cli run <files> --no-progress --komet-url … --asinfo-url …
              and the servers are stopped (SIGINT, as Ctrl+C) after the clock stops

Both are timed as the wall time of the `kasim run` subprocess (interpreter start-up and imports included,
equally in both); server start-up is reported on its own line, not in the ratio. Runs alternate
(in process, live, live, in process, …) so both share the machine's noise.

The library is being written while this runs: the file list is fixed once at the start (so every run runs
the same scenarios), and a file that does not validate yet is left out and named in the output. Failing
scenarios are timed all the same and counted in the table; a run in which nothing ran at all (a file
broken between two runs) is left out of the samples and shown.

    python bench/library.py            # 5 runs of each
    python bench/library.py --quick    # 1
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time

import _common as bc

SCENARIOS = bc.ROOT / "scenarios"
READY_LINE = "Ctrl+C stops the servers"
START_TIMEOUT = 60.0
RUN_TIMEOUT = 600.0


def library_files() -> tuple[list[str], int, list[str]]:
    """(files that validate, scenarios they hold counting every case, files left out with their problem)."""
    from harness.scenario import ProblemList, discover, load_file

    files, left_out, count = [], [], 0
    for f in discover([str(SCENARIOS)]):
        try:
            count += len(load_file(f))
        except ProblemList as exc:
            left_out.append(f"{f.relative_to(bc.ROOT)}: {exc.problems[0]}")
            continue
        files.append(str(f.relative_to(bc.ROOT)))
    return files, count, left_out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def child_env() -> dict:
    env = dict(os.environ, PYTHONUNBUFFERED="1", NO_COLOR="1", COLUMNS="200")
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(bc.ROOT), env.get("PYTHONPATH")) if p)
    return env


class Servers:
    """`kasim serve` in a subprocess, on two free ports, with background polling off."""

    def __init__(self):
        self.komet_port, self.asinfo_port = free_port(), free_port()
        self.output: list[str] = []
        self._ready = threading.Event()
        t0 = time.perf_counter()
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "harness.cli",
                "serve",
                "--komet-port",
                str(self.komet_port),
                "--asinfo-port",
                str(self.asinfo_port),
                "--poll",
                "0",
            ],
            cwd=bc.ROOT,
            env=child_env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        threading.Thread(target=self._read, daemon=True).start()
        try:
            self._wait()
        except BaseException:
            self.stop()
            raise
        self.startup = time.perf_counter() - t0

    @property
    def urls(self) -> tuple[str, str]:
        return f"http://127.0.0.1:{self.komet_port}", f"http://127.0.0.1:{self.asinfo_port}"

    def _read(self) -> None:
        for line in self.proc.stdout:
            self.output.append(line.rstrip("\n"))
            if READY_LINE in line:
                self._ready.set()

    def _wait(self) -> None:
        import requests

        deadline = time.monotonic() + START_TIMEOUT
        healthy: set[str] = set()
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("kasim serve exited early:\n" + "\n".join(self.output[-20:]))
            for url in self.urls:
                if url not in healthy:
                    try:
                        if requests.get(url + "/__sim/health", timeout=2).json().get("status") == "ok":
                            healthy.add(url)
                    except (requests.RequestException, ValueError):
                        pass
            if len(healthy) == 2 and self._ready.wait(0.05):
                return
            time.sleep(0.05)
        raise RuntimeError("kasim serve not ready in time:\n" + "\n".join(self.output[-20:]))

    def cpu(self) -> float:
        """CPU seconds the server process has used so far (Linux /proc; 0.0 where unavailable)."""
        try:
            with open(f"/proc/{self.proc.pid}/stat", encoding="ascii") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except (OSError, ValueError, IndexError):
            return 0.0

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=15)


SUMMARY = re.compile(r"^((?:\d+ \w+(?:, )?)+) in ([\d.]+)s", re.MULTILINE)


def run_library(files: list[str], urls: tuple[str, str] | None) -> dict:
    cmd = [sys.executable, "-m", "harness.cli", "run", *files, "--no-progress"]
    if urls:
        cmd += ["--komet-url", urls[0], "--asinfo-url", urls[1]]
    c0 = _children_cpu()
    t0 = time.perf_counter()
    proc = subprocess.run(
        cmd, cwd=bc.ROOT, env=child_env(), capture_output=True, text=True, timeout=RUN_TIMEOUT, check=False
    )
    wall = time.perf_counter() - t0
    cpu = _children_cpu() - c0
    matches = list(SUMMARY.finditer(proc.stdout))
    m = matches[-1] if matches else None
    counts = {word: int(n) for n, word in re.findall(r"(\d+) (\w+)", m.group(1))} if m else {}
    return {
        "wall": wall,
        "cpu": cpu,
        "rc": proc.returncode,
        "counts": counts,
        "reported_seconds": float(m.group(2)) if m else None,
        "failed": [ln.strip() for ln in proc.stdout.splitlines() if ln.startswith(("✗", "!"))],
        "tail": "\n".join((proc.stdout + proc.stderr).strip().splitlines()[-15:]),
    }


def _children_cpu() -> float:
    """CPU seconds of finished child processes (the kasim run client; the live servers are read apart)."""
    t = os.times()
    return t.children_user + t.children_system


def main(argv: list[str] | None = None) -> int:
    args = bc.parser(__doc__.split("\n")[0], runs=5, quick_runs=1).parse_args(argv)
    runs = bc.runs_from(args)
    info = bc.machine()
    files, count, left_out = library_files()
    if not files:
        print("no runnable scenario file in scenarios/")
        return 1
    print(
        f"{count} scenario(s) in {len(files)} file(s)"
        + (f"; left out (not valid yet): {len(left_out)}" if left_out else ""),
        flush=True,
    )
    for line in left_out:
        print(f"  left out: {line}")

    samples = bc.Samples(["in process", "live"])
    runs_log: list[dict] = []
    startups = []
    for round_no in range(runs):
        order = ["in process", "live"] if round_no % 2 == 0 else ["live", "in process"]
        for mode in order:
            if mode == "live":
                servers = Servers()
                try:
                    before = servers.cpu()
                    result = run_library(files, servers.urls)
                    result["server_cpu"] = servers.cpu() - before
                    result["cpu"] += result["server_cpu"]
                finally:
                    servers.stop()
                result["server_startup"] = servers.startup
                startups.append(servers.startup)
            else:
                result = run_library(files, None)
            result["mode"] = mode
            runs_log.append(result)
            if result["counts"]:
                samples[mode].append(result["wall"])
                samples.cpu[mode].append(result["cpu"])
            print(
                f"  run {round_no + 1}/{runs} {mode:10} {bc.fmt_time(result['wall']):>9}  rc {result['rc']}  "
                f"{result['counts']}",
                flush=True,
            )
            for name in result["failed"]:
                print(f"    {name}")
            if not result["counts"]:
                print(
                    "    nothing ran (a file changed under us?): sample left out; the run ended with:\n    "
                    + result["tail"].replace("\n", "\n    ")
                )
    if not all(samples.values()):
        print("no valid run for " + ", ".join(m for m, v in samples.items() if not v) + ": no table")
        return 1

    rows, results = bc.against(samples, "in process")
    last = {r["mode"]: r for r in runs_log if r["counts"]}
    for row, mode in zip(rows, samples, strict=True):
        row.insert(
            1, ", ".join(f"{n} {w}" for w, n in last[mode]["counts"].items()) or f"rc {last[mode]['rc']}"
        )
    start = bc.summary(startups)
    rows.append(
        [
            "live: server start-up (not timed above)",
            "",
            str(start["n"]),
            bc.fmt_time(start["median"]),
            bc.fmt_time(start["p90"]),
            bc.fmt_time(start["min"]),
            "",
            "",
            "",
        ]
    )
    print()
    print(bc.header("library", info))
    print(
        f"`kasim run` of the scenario library: {count} scenarios in {len(files)} files; {runs} run(s) of each, "
        "alternating; wall time of the kasim run subprocess\n"
    )
    headers = ["mode", "result", *bc.STAT_HEADERS[1:]]
    print(
        bc.table(
            headers,
            rows,
            "ratio = median / in-process median; cpu = the kasim run process, plus the "
            "kasim serve process for live runs",
        )
    )
    if not args.no_json:
        path = bc.write_json(
            "library",
            {
                "benchmark": "library",
                "machine": info,
                "runs": runs,
                "scenarios": count,
                "files": files,
                "left_out": left_out,
                "baseline": "the same files run in process",
                "results": results,
                "server_startup": start,
                "log": runs_log,
            },
        )
        print(f"\nwrote {path.relative_to(bc.ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
