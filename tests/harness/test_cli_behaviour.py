"""The CLI's edges, one test each: Ctrl-C, -k that selects nothing, --version, a missing file, kasim run outside a
project, kasim serve on a busy port, JUnit class names, and a closed pipe."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from harness import engine
from harness.cli import main

ROOT = Path(__file__).resolve().parents[2]
TINY = (
    "name: tiny {n}\nworld: {{komet: {{vendors: 1, shipDays: 1, posPerDay: 1, linesPerPo: 1}}}}\n"
    "steps:\n  - komet.company: {{}}\n"
)


def write_tiny(directory: Path, count: int) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    for n in range(count):
        (directory / f"tiny-{n}.yaml").write_text(TINY.format(n=n), encoding="utf-8")
    return directory


def test_version_prints_the_installed_version(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0
    assert capsys.readouterr().out.startswith("kasim 0.")


def test_k_that_selects_nothing_exits_5_and_says_so(tmp_path, capsys):
    write_tiny(tmp_path / "s", 2)
    assert main(["run", str(tmp_path / "s"), "-k", "nothing-like-this", "--no-progress"]) == 5
    out = capsys.readouterr().out
    assert "-k 'nothing-like-this' matches none of the 2 scenario(s)" in out


def test_a_missing_file_is_named_without_a_line(capsys):
    assert main(["run", "no/such/file.yaml", "--no-progress"]) == 2
    out = capsys.readouterr().out
    assert "no/such/file.yaml: no such file or directory" in out and ":1" not in out


def test_run_outside_a_project_says_where_it_looked(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["run", "--no-progress"]) == 2
    out = capsys.readouterr().out
    assert f"no scenarios/ directory in {tmp_path} or any directory above it" in out


def test_run_in_a_projects_subdirectory_finds_its_scenarios(tmp_path, monkeypatch, capsys):
    write_tiny(tmp_path / "project" / "scenarios", 1)
    (tmp_path / "project" / "docs").mkdir()
    monkeypatch.chdir(tmp_path / "project" / "docs")
    assert main(["run", "--no-progress"]) == 0
    assert "1 passed" in capsys.readouterr().out


def test_junit_classname_is_the_file_without_yaml(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    write_tiny(tmp_path / "scenarios" / "nightly", 1)
    assert main(["run", "--no-progress", "--junit-xml", "junit.xml"]) == 0
    [case] = ET.parse(tmp_path / "junit.xml").getroot().iter("testcase")
    assert case.get("classname") == "scenarios.nightly.tiny-0"
    assert case.get("name") == "tiny 0"


def test_ctrl_c_in_process_reports_what_ran_and_exits_130(tmp_path, monkeypatch, capsys):
    write_tiny(tmp_path / "s", 4)
    real = engine.run_scenario
    calls = []

    def interrupt_the_second(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return real(*args, **kwargs)

    monkeypatch.setattr(engine, "run_scenario", interrupt_the_second)
    junit, report = tmp_path / "junit.xml", tmp_path / "report"
    code = main(
        ["run", str(tmp_path / "s"), "--no-progress", "--junit-xml", str(junit), "--report", str(report)]
    )
    out = capsys.readouterr().out
    assert code == 130
    assert "interrupted: 1 of 4 scenario(s) ran" in out and "1 passed" in out
    assert len(list(ET.parse(junit).getroot().iter("testcase"))) == 1
    assert "tiny 0" in (report / "index.html").read_text(encoding="utf-8")


def test_ctrl_c_from_the_terminal_stops_the_run_with_130(tmp_path):
    scenarios = write_tiny(tmp_path / "s", 30)
    junit = tmp_path / "junit.xml"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "harness.cli",
            "run",
            str(scenarios),
            "--no-progress",
            "--junit-xml",
            str(junit),
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    first = proc.stdout.readline()  # the first scenario has finished: interrupt the rest
    assert "tiny" in first
    proc.send_signal(signal.SIGINT)
    rest, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err
    assert "interrupted" in rest and "Traceback" not in rest + err
    ran = len(list(ET.parse(junit).getroot().iter("testcase")))
    assert 1 <= ran < 30


def test_serve_on_a_busy_port_starts_nothing_and_says_so_once(capsys):
    with socket.socket() as busy, socket.socket() as free:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        free.bind(("127.0.0.1", 0))
        free_port = free.getsockname()[1]
        free.close()
        taken = busy.getsockname()[1]
        code = main(["serve", "--komet-port", str(free_port), "--asinfo-port", str(taken)])
        out = capsys.readouterr().out
        assert code == 2
        assert out.count("kasim serve:") == 1 and f"port {taken}" in out and "--asinfo-port" in out
        assert "Komet Sales simulator" not in out and "nothing was started" in out
        with socket.socket() as again:  # Komet was never started on its (free) port
            again.bind(("127.0.0.1", free_port))


def test_serve_on_a_host_it_cannot_listen_on_says_so_and_starts_nothing(capsys):
    assert main(["serve", "--host", "no-such-host.invalid"]) == 2
    out = capsys.readouterr().out
    assert "cannot listen on --host no-such-host.invalid" in out and "nothing was started" in out
    assert "not free" not in out and "Komet Sales simulator" not in out


def test_a_closed_pipe_ends_quietly(tmp_path):
    shell = f"{sys.executable} -m harness.cli schema | head -c 10"
    proc = subprocess.run(
        ["bash", "-c", shell], cwd=ROOT, capture_output=True, text=True, timeout=120, env={**os.environ}
    )
    assert proc.stdout == '{\n  "$sche'
    assert "Traceback" not in proc.stderr


def test_the_exit_codes_documented_are_the_ones_kasim_uses():
    from harness.cli import run as run_command

    table = (ROOT / "docs/control-plane.md").read_text(encoding="utf-8").split("## The `kasim` CLI")[1]
    documented = {
        int(line.split("|")[1])
        for line in table.splitlines()
        if line.startswith("| ") and "|" in line[2:] and line.split("|")[1].strip().isdigit()
    }
    assert documented == {0, 1, 2, run_command.NOTHING_SELECTED, run_command.INTERRUPTED}


def test_the_version_is_looked_up_only_when_asked_for(monkeypatch):
    """Reading it from the package metadata costs every command ~2 ms (kasim serve is timed to ready)."""
    import harness.cli as cli

    def looked_up() -> str:
        raise AssertionError("the version was looked up")

    monkeypatch.setattr(cli, "_version", looked_up)
    assert cli.build_parser(["serve"]).parse_args(["serve", "--no-cache"]).no_cache is True
