"""What would the suggested fixes save? Each one is applied at run time (a monkeypatch inside this process,
or a subprocess with an extra path), never by editing the code, and measured interleaved with the code as
it is, on the same workload:

  journal   simkit/journal.redact, simkit/middleware.decode_body — on purchase.order.list (20 POs × 5 lines,
            82 KB reply, Flask test client):
              memo key check    the secret-key regex run once per distinct key (functools.lru_cache)
              skip clean body   no redaction walk when the raw body holds no secret-looking word
              no body decode    journal keeps no decoded body: the upper bound of decoding lazily, on read
  trust_env requests.Session.trust_env = False on the in-process sessions (simkit.transport.mount): one
            small Komet API call (carrier.list) through the mounted WSGI transport
  rl-accel  reportlab's C accelerator (pip package rl-accel): 100 PDF labels rendered in subprocesses with
            and without it on sys.path, alternating; the PDF bytes must be identical
            (needs --rl-accel DIR, a folder holding _rl_accel: pip install --target DIR rl-accel)
  flow      (--flow) trust_env and the memoised key check together, on the whole in-process flow
  library   (--library) the same two, on `kasim run` of the scenario library in process (subprocesses,
            alternating; wall and CPU time of the run)

    python bench/whatif.py [--quick] [--rl-accel /tmp/rlaccel] [--flow] [--library]
"""

from __future__ import annotations

import functools
import json
import os
import statistics
import subprocess
import sys
import time

import _common as bc

SECRET_WORDS = (b"token", b"password", b"apikey", b"secret")


class Patches:
    """Runtime replacements of the journal and transport functions, undone by reset()."""

    def __init__(self):
        import asinfo_sim.komet_client as komet_client
        import harness.clients as clients
        import harness.topology as topology
        import simkit.journal as journal
        import simkit.middleware as middleware
        import simkit.transport as transport

        self.journal, self.middleware, self.komet_client = journal, middleware, komet_client
        self.topology, self.clients = topology, clients
        self.redact, self.decode_body, self.mount = journal.redact, middleware.decode_body, transport.mount

        @functools.lru_cache(maxsize=4096)
        def is_secret(key: str) -> bool:
            return bool(journal._SECRET_KEY.search(key))

        def redact_memo(value):
            if isinstance(value, dict):
                return {
                    k: (
                        journal.REDACTED
                        if isinstance(k, str) and is_secret(k) and v not in (None, "")
                        else redact_memo(v)
                    )
                    for k, v in value.items()
                }
            if isinstance(value, list):
                return [redact_memo(v) for v in value]
            return value

        def decode_skip_clean(raw: bytes, content_type: str):
            ctype = (content_type or "").split(";")[0].strip().lower()
            if raw and ctype == "application/json":
                lowered = raw.lower()
                if not any(word in lowered for word in SECRET_WORDS):
                    try:
                        return json.loads(raw)
                    except ValueError:
                        pass
            return self.decode_body(raw, content_type)

        def decode_nothing(raw: bytes, content_type: str):
            return {"contentType": content_type, "bytes": len(raw)} if raw else None

        def mount_no_env(session, base_url, app):
            session.trust_env = False
            return self.mount(session, base_url, app)

        self.redact_memo, self.decode_skip_clean, self.decode_nothing = (
            redact_memo,
            decode_skip_clean,
            decode_nothing,
        )
        self.mount_no_env = mount_no_env

    def reset(self) -> None:
        self.set_redact(self.redact)
        setattr(self.middleware, "decode_body", self.decode_body)  # noqa: B010 (imported name, patched)
        self.topology.mount = self.clients.mount = self.mount

    def set_redact(self, fn) -> None:
        # A what-if swaps the module-level function in every module that imported it.
        self.journal.redact = self.middleware.redact = self.komet_client.redact = fn  # type: ignore[attr-defined]


def journal_experiment(patches: Patches, runs: int) -> tuple[list, dict]:
    import po_list

    app, query, body = po_list.komet_world()
    client = app.test_client()
    path = "/api/purchase.order.list"
    variants = {
        "current": patches.reset,
        "memo key check": lambda: patches.set_redact(patches.redact_memo),
        "skip clean body": lambda: setattr(patches.middleware, "decode_body", patches.decode_skip_clean),
        "no body decode (bound)": lambda: setattr(patches.middleware, "decode_body", patches.decode_nothing),
    }

    def case(apply):
        def run():
            patches.reset()
            apply()
            try:
                return client.get(path, query_string=query)
            finally:
                patches.reset()

        return run

    def check(name, reply):
        assert reply.status_code == 200 and reply.get_data() == body, name

    samples = bc.interleaved({n: case(a) for n, a in variants.items()}, runs, 10, check)
    return bc.against(samples, "current", keep_samples=False)


def trust_env_experiment(patches: Patches, runs: int) -> tuple[list, dict]:
    import po_list
    import requests

    from simkit.transport import mount

    app, query, _ = po_list.komet_world()
    sessions = {
        "trust_env=True (current)": mount(requests.Session(), "http://komet.test", app),
        "trust_env=False": mount(requests.Session(), "http://komet.test", app),
    }
    sessions["trust_env=False"].trust_env = False
    params = {"authenticationToken": query["authenticationToken"]}
    cases = {
        name: (lambda s=s: s.get("http://komet.test/api/carrier.list", params=params, timeout=10))
        for name, s in sessions.items()
    }

    def check(name, reply):
        assert reply.status_code == 200 and str(reply.json().get("status")) == "1", name

    samples = bc.interleaved(cases, runs, 10, check)
    return bc.against(samples, "trust_env=True (current)", keep_samples=False)


RENDER = """
import hashlib, json, sys, time
sys.path[:0] = [{bench!r}, {root!r}]
import labels
from asinfo_sim.labels.pdf import render_pdf
import reportlab.lib.rl_accel as accel
batch = labels.make_labels(100)
render_pdf(batch)
cpu = []
for _ in range({repeats}):
    c0 = time.process_time(); pdf = render_pdf(batch); cpu.append((time.process_time() - c0) / 100)
print(json.dumps({{"accelerated": bool(accel._c_funcs), "cpu": cpu, "sha": hashlib.sha256(pdf).hexdigest()}}))
"""


def rl_accel_experiment(path: str, rounds: int) -> tuple[list, dict]:
    code = RENDER.format(bench=str(bc.BENCH), root=str(bc.ROOT), repeats=3)
    samples = bc.Samples(["pure Python (current)", "rl-accel"])
    shas = {}
    for round_no in range(rounds):
        order = list(samples) if round_no % 2 == 0 else list(reversed(samples))
        for name in order:
            env = dict(os.environ)
            if name == "rl-accel":
                env["PYTHONPATH"] = os.pathsep.join(p for p in (path, env.get("PYTHONPATH")) if p)
            out = subprocess.run(
                [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
            )
            result = json.loads(out.stdout)
            assert result["accelerated"] == (name == "rl-accel"), f"{name}: accelerator state is wrong"
            shas[name] = result["sha"]
            samples[name].append(statistics.median(result["cpu"]))
            samples.cpu[name].append(statistics.median(result["cpu"]))
    assert len(set(shas.values())) == 1, f"the PDF bytes differ with the accelerator: {shas}"
    rows, results = bc.against(samples, "pure Python (current)", keep_samples=False)
    for row in rows:  # each sample is already a CPU time per label
        row[-2:] = ["", ""]
    return rows, {**results, "identical_pdf_bytes": True}


def flow_experiment(patches: Patches, runs: int) -> tuple[list, dict]:
    import flow

    def case(patched):
        def run():
            patches.reset()
            if patched:
                patches.set_redact(patches.redact_memo)
                patches.topology.mount = patches.clients.mount = patches.mount_no_env
            try:
                return flow.asinfo_flow()[0]
            finally:
                patches.reset()

        return run

    clocks: dict[str, list] = {"current": [], "trust_env=False + memo key check": []}
    cases = {"current": case(False), "trust_env=False + memo key check": case(True)}
    for round_no in range(runs + 1):
        for name in list(cases) if round_no % 2 == 0 else list(reversed(cases)):
            clock = cases[name]()
            if round_no:
                clocks[name].append(clock)
    rows, results = [], {}
    for phase in [*flow.PHASES, "total"]:
        samples = bc.Samples(cases)
        for name in cases:
            for clock in clocks[name]:
                wall = sum(clock.wall[p] for p in flow.PHASES) if phase == "total" else clock.wall[phase]
                cpu = sum(clock.cpu[p] for p in flow.PHASES) if phase == "total" else clock.cpu[phase]
                samples[name].append(wall)
                samples.cpu[name].append(cpu)
        r, res = bc.against(samples, "current", ["trust_env=False + memo key check"], keep_samples=False)
        r[0][0] = phase
        rows += r
        results[phase] = res
    return rows, results


LIBRARY_RUN = """
import functools, sys
sys.path[:0] = [{root!r}]
if {patched!r}:
    import requests
    _init = requests.Session.__init__
    def _no_env(self, *args, **kwargs):  # in process every session is mounted on a simulator app
        _init(self, *args, **kwargs)
        self.trust_env = False
    requests.Session.__init__ = _no_env
    import asinfo_sim.komet_client as komet_client
    import simkit.journal as journal
    import simkit.middleware as middleware
    secret = functools.lru_cache(maxsize=4096)(lambda k: bool(journal._SECRET_KEY.search(k)))
    def redact(value):
        if isinstance(value, dict):
            return {{k: (journal.REDACTED if isinstance(k, str) and secret(k) and v not in (None, "") else redact(v))
                    for k, v in value.items()}}
        if isinstance(value, list):
            return [redact(v) for v in value]
        return value
    journal.redact = middleware.redact = komet_client.redact = redact
from harness.cli import main
sys.exit(main(["run", *{files!r}, "--no-progress"]))
"""


def library_experiment(rounds: int) -> tuple[list, dict]:
    import library

    files, count, _ = library.library_files()
    names = ["current", "trust_env=False + memo key check"]
    samples = bc.Samples(names)
    for round_no in range(rounds):
        for name in names if round_no % 2 == 0 else list(reversed(names)):
            code = LIBRARY_RUN.format(root=str(bc.ROOT), patched=name != "current", files=files)
            c0 = os.times()
            t0 = time.perf_counter()
            done = subprocess.run(
                [sys.executable, "-c", code],
                cwd=bc.ROOT,
                env=library.child_env(),
                capture_output=True,
                text=True,
                check=False,
            )
            samples[name].append(time.perf_counter() - t0)
            c1 = os.times()
            samples.cpu[name].append(
                c1.children_user + c1.children_system - c0.children_user - c0.children_system
            )
            assert done.returncode in (0, 1), done.stdout[-2000:] + done.stderr[-2000:]
    rows, results = bc.against(samples, "current", keep_samples=False)
    return rows, {**results, "scenarios": count}


def main(argv: list[str] | None = None) -> int:
    p = bc.parser(__doc__.split("\n")[0], runs=100, quick_runs=20)
    p.add_argument(
        "--rl-accel", metavar="DIR", help="a folder holding _rl_accel (pip install --target DIR rl-accel)"
    )
    p.add_argument("--flow", action="store_true", help="also run the whole flow with and without the fixes")
    p.add_argument(
        "--library", action="store_true", help="also run the scenario library with and without them"
    )
    args = p.parse_args(argv)
    runs = bc.runs_from(args)
    info = bc.machine()
    patches = Patches()
    out: dict = {"benchmark": "whatif", "machine": info, "runs": runs}
    print(bc.header("whatif", info) + "\n")
    rows, out["journal"] = journal_experiment(patches, runs)
    print(
        bc.table(bc.STAT_HEADERS, rows, "journal: purchase.order.list in process (ratio = median / current)")
    )
    rows, out["trust_env"] = trust_env_experiment(patches, runs * 3)
    print()
    print(
        bc.table(
            bc.STAT_HEADERS,
            rows,
            "trust_env: one small API call (carrier.list) through the in-process transport",
        )
    )
    if args.rl_accel:
        rows, out["rl_accel"] = rl_accel_experiment(args.rl_accel, 2 if args.quick else 4)
        print()
        print(
            bc.table(
                bc.STAT_HEADERS,
                rows,
                "rl-accel: PDF render, CPU time per label (100-label batches, "
                "one subprocess per sample); same PDF bytes",
            )
        )
    else:
        print("\nrl-accel: skipped (give --rl-accel DIR after: pip install --target DIR rl-accel)")
    if args.flow:
        rows, out["flow"] = flow_experiment(patches, 2 if args.quick else 6)
        print()
        print(
            bc.table(
                bc.STAT_HEADERS,
                rows,
                "flow: trust_env=False + memoised key check vs current, per phase (ratio = median / current)",
            )
        )
    if args.library:
        rows, out["library"] = library_experiment(2 if args.quick else 3)
        print()
        print(
            bc.table(
                bc.STAT_HEADERS,
                rows,
                f"library: kasim run in process, {out['library']['scenarios']} "
                "scenarios, trust_env=False + memoised key check vs current",
            )
        )
    if not args.no_json:
        path = bc.write_json("whatif", out)
        print(f"\nwrote {path.relative_to(bc.ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
