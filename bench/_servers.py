"""Servers the speed benchmark starts as processes of their own (so their CPU and memory are theirs alone):
`kasim serve`, a bare Flask app under the same server, the start-up floor (bench/_flask_floor.py), and WireMock's
standalone jar.

    python bench/_servers.py bare BODY_FILE PORT     # the bare Flask route under simkit.server.ServerThread
"""

from __future__ import annotations

import atexit
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
PATH = "/api/purchase.order.list"
WIREMOCK_VERSION = "3.13.2"
# Where `npm install --prefix bench/.wiremock wiremock@3.13.2` puts the jar (the npm package ships it).
WIREMOCK_HOME = BENCH / ".wiremock"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def child_env(tree: Path) -> dict:
    """A server's environment as a user's shell gives it: bytecode cached after the first start (a sandbox that
    sets PYTHONDONTWRITEBYTECODE makes every start compile the ~120 modules of the tree again)."""
    env = dict(os.environ, PYTHONUNBUFFERED="1", NO_COLOR="1", COLUMNS="200")
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(tree), env.get("PYTHONPATH")) if p)
    return env


_USER_PYTHON: list[str] = []


def user_python() -> str:
    """An interpreter as `pip install .` (README) leaves a user's: this interpreter's packages on its path, but not
    the editable install's import hook that a developer's `pip install -e .` adds to every start (~10 ms). A venv
    without pip, whose one .pth names this one's site-packages; .pth files in a directory named that way are not
    run, and the tree being measured comes first on PYTHONPATH (child_env) as an installed kasim would."""
    if not _USER_PYTHON:
        import site
        import venv

        home = Path(tempfile.mkdtemp(prefix="kasim-bench-python-"))
        atexit.register(shutil.rmtree, home, True)
        venv.EnvBuilder(with_pip=False, symlinks=True).create(home)
        lib = next((home / "lib").glob("python3*")) / "site-packages"
        (lib / "bench-packages.pth").write_text("\n".join(site.getsitepackages()) + "\n")
        _USER_PYTHON.append(str(home / "bin" / "python"))
    return _USER_PYTHON[0]


WIREMOCK_JOURNAL = 1000  # requests WireMock keeps for verification, the oldest dropped first


def wiremock_jar() -> Path | None:
    """The standalone jar from the npm package, if installed (and java is there to run it)."""
    if shutil.which("java") is None:
        return None
    found = sorted(WIREMOCK_HOME.glob("node_modules/wiremock/build/wiremock-standalone-*.jar"))
    return found[-1] if found else None


def install_wiremock() -> Path | None:
    """`npm install` the wiremock package (it ships the standalone jar) into bench/.wiremock."""
    if shutil.which("npm") is None:
        return None
    subprocess.run(
        [
            "npm",
            "install",
            "--no-audit",
            "--no-fund",
            "--prefix",
            str(WIREMOCK_HOME),
            f"wiremock@{WIREMOCK_VERSION}",
        ],
        check=False,
        capture_output=True,
        timeout=300,
    )
    return wiremock_jar()


def wait_until(ready, timeout: float, proc: subprocess.Popen | None = None, poll: float = 0.005) -> float:
    """Seconds until `ready()` is true (polled every `poll` s); RuntimeError past `timeout` or if `proc` dies."""
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < timeout:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"{proc.args!r} exited with {proc.returncode}")
        try:
            if ready():
                return time.perf_counter() - t0
        except OSError:
            pass
        time.sleep(poll)
    raise RuntimeError("not ready in time")


class Process:
    """A server process; `stop()` ends it (SIGTERM, then SIGKILL)."""

    def __init__(self, args: list[str], cwd: Path, env: dict | None = None):
        self.t0 = time.perf_counter()
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 (open as long as the process; closed by stop())
        self.proc = subprocess.Popen(args, cwd=cwd, env=env, stdout=self.log, stderr=subprocess.STDOUT)

    @property
    def pid(self) -> int:
        return self.proc.pid

    def cpu_seconds(self) -> float:
        """User + system CPU of the process (every thread) so far, from /proc."""
        fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def rss_bytes(self) -> int:
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
        return 0

    def output(self) -> str:
        self.log.seek(0)
        return self.log.read().decode("utf-8", "replace")[-3000:]

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        self.log.close()


def kasim_serve(tree: Path, which: str = "komet", extra: tuple[str, ...] = ()) -> tuple[Process, dict]:
    ports = {"komet": free_port(), "asinfo": free_port()}
    args = [user_python(), "-m", "harness.cli", "serve", which, "--poll", "0", *extra]
    if which == "komet":
        args += ["--port", str(ports["komet"])]
    else:
        args += ["--komet-port", str(ports["komet"]), "--asinfo-port", str(ports["asinfo"])]
    return Process(args, tree, child_env(tree)), ports


def wiremock(jar: Path, body: bytes, root: Path) -> tuple[Process, int]:
    """WireMock serving `body` as a canned stub at PATH (any query), from a mapping file read at start."""
    (root / "mappings").mkdir(parents=True, exist_ok=True)
    (root / "__files").mkdir(exist_ok=True)
    (root / "__files" / "po_list.json").write_bytes(body)
    mapping = {
        "request": {"method": "GET", "urlPath": PATH},
        "response": {
            "status": 200,
            "bodyFileName": "po_list.json",
            "headers": {"Content-Type": "application/json"},
        },
    }
    (root / "mappings" / "po_list.json").write_text(json.dumps(mapping))
    port = free_port()
    # A bounded journal, as kasim's is: left unbounded, WireMock keeps every request wrk sends (6.5 GB after a
    # few rounds at ~3,000 requests/s), until its collector stalls it and it stops answering.
    journal = ["--max-request-journal-entries", str(WIREMOCK_JOURNAL)]
    args = [
        "java",
        "-jar",
        str(jar),
        "--port",
        str(port),
        "--root-dir",
        str(root),
        "--disable-banner",
        *journal,
    ]
    return Process(args, root), port


def _serve_bare(body_file: str, port: int) -> None:
    sys.path.insert(0, str(BENCH.parent))
    from flask import Flask, Response

    from simkit.server import ServerThread

    body = Path(body_file).read_bytes()
    bare = Flask("bare")

    @bare.get(PATH)
    def po_list():
        return Response(body, mimetype="application/json")

    server = ServerThread(bare, port=port).start()
    server.run_until_interrupted()


def bare_flask(tree: Path, body: bytes, root: Path) -> tuple[Process, int]:
    root.mkdir(parents=True, exist_ok=True)
    (root / "body.json").write_bytes(body)
    port = free_port()
    args = [sys.executable, str(BENCH / "_servers.py"), "bare", str(root / "body.json"), str(port)]
    return Process(args, tree, child_env(tree)), port


def flask_floor(tree: Path, body: bytes, root: Path) -> tuple[Process, int]:
    """A one-route Flask app started as `kasim serve` starts its apps (bench/_flask_floor.py), under the same
    interpreter: the start-up figure's floor."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "body.json").write_bytes(body)
    port = free_port()
    args = [user_python(), str(BENCH / "_flask_floor.py"), str(root / "body.json"), str(port), PATH]
    return Process(args, tree, child_env(tree)), port


if __name__ == "__main__" and sys.argv[1:2] == ["bare"]:
    _serve_bare(sys.argv[2], int(sys.argv[3]))


def wrk(url: str, seconds: float) -> dict:
    out = subprocess.run(
        ["wrk", "-t2", "-c16", f"-d{seconds:g}s", "--latency", url],
        capture_output=True,
        text=True,
        timeout=seconds + 60,
        check=True,
    ).stdout
    done, rps = re.search(r"(\d+) requests in", out), re.search(r"Requests/sec:\s+([\d.]+)", out)
    assert done and rps, f"wrk's report has no request count or rate:\n{out}"
    requests_done = int(done.group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: (.*)", out)
    return {
        "rps": float(rps.group(1)),
        "requests": requests_done,
        "non2xx": int(errors.group(1)) if errors else 0,
        "socket_errors": socket_errors.group(1) if socket_errors else None,
    }


def health(url: str) -> bool:
    import requests

    return requests.get(url + "/__sim/health", timeout=2).status_code == 200


def fetch(url: str) -> bytes:
    import requests

    return requests.get(url, timeout=10).content
