"""Make the example recordings again (tests/fixtures/recordings/), exactly as a developer records a real Komet:

    kasim serve komet --port K                       # its clock frozen, so replies are replayable to the second
    kasim proxy --to http://127.0.0.1:K --port P --out tests/fixtures/recordings/NAME.jsonl
    kasim run scenarios/SCENARIO.yaml --komet-url http://127.0.0.1:P

Run from the repository root: `.venv/bin/python tools/record_examples.py` (a minute or so). Each command runs as
its own process, started and stopped here by its id. The recordings differ from the committed ones only in
wall-clock fields (`startedAt`, `at`, `ms`); the tests in tests/recording/test_examples.py hold either.
"""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "tests" / "fixtures" / "recordings"
EXAMPLES = {  # recording → the library scenario whose calls it records
    "full-confirmation": "scenarios/full-confirmation.yaml",
    "token-missing-ship-method": "scenarios/token-missing-ship-method.yaml",
}
START = "2026-03-02T08:00:00"
KASIM = [sys.executable, "-m", "harness.cli"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, seconds: float = 60.0) -> None:
    """Until the server just started answers (a process starting has nothing to poll but its port)."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            requests.get(url, timeout=2)
            return
        except requests.ConnectionError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def record(name: str, scenario: str) -> Path:
    out = OUT / f"{name}.jsonl"
    out.unlink(missing_ok=True)
    komet_port, proxy_port = free_port(), free_port()
    komet = f"http://127.0.0.1:{komet_port}"
    serve = subprocess.Popen([*KASIM, "serve", "komet", "--port", str(komet_port)], cwd=ROOT)
    proxy = None
    try:
        wait_for(f"{komet}/__sim/health")
        requests.post(
            f"{komet}/__sim/clock", json={"set": START, "running": False}, timeout=10
        ).raise_for_status()
        proxy = subprocess.Popen(
            [*KASIM, "proxy", "--to", komet, "--port", str(proxy_port), "--out", str(out)], cwd=ROOT
        )
        wait_for(f"http://127.0.0.1:{proxy_port}/__sim/health")
        run = subprocess.run(
            [*KASIM, "run", scenario, "--komet-url", f"http://127.0.0.1:{proxy_port}", "--no-progress"],
            cwd=ROOT,
            check=False,
        )
        if run.returncode != 0:
            raise SystemExit(f"{scenario} failed through the proxy (exit {run.returncode})")
    finally:
        if proxy is not None:
            stop(proxy)
        stop(serve)
    return out


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, scenario in EXAMPLES.items():
        out = record(name, scenario)
        lines = out.read_text(encoding="utf-8").splitlines()
        print(f"{out.relative_to(ROOT)}: {len(lines) - 1} exchange(s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
