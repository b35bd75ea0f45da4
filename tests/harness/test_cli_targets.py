"""kasim run checks what it was given before running anything, and FILE::ID picks one scenario."""

from __future__ import annotations

from pathlib import Path

from harness.cli import main

ROOT = Path(__file__).resolve().parents[2]
LIBRARY = ROOT / "scenarios"


def test_file_and_id_runs_exactly_that_scenario(capsys):
    target = f"{LIBRARY / 'confirm-quantities.yaml'}::Confirmed boxes set the line's Komet status[zero]"
    assert main(["run", target, "--no-progress"]) == 0
    out = capsys.readouterr().out
    assert "status[zero]" in out and "status[full]" not in out and "1 passed" in out


def test_an_unknown_id_is_unusable_input(capsys):
    assert main(["run", f"{LIBRARY / 'hawb.yaml'}::No such scenario", "--no-progress"]) == 2
    assert "no scenario 'No such scenario' in this file" in capsys.readouterr().out


def test_a_live_url_that_does_not_answer_runs_nothing(capsys):
    code = main(
        [
            "run",
            str(LIBRARY / "hawb.yaml"),
            "--komet-url",
            "http://127.0.0.1:9",
            "--asinfo-url",
            "http://127.0.0.1:9",
            "--no-progress",
        ]
    )
    out = capsys.readouterr().out
    assert code == 2 and "does not answer" in out and "nothing was run" in out and "Traceback" not in out


def test_a_junit_path_that_is_a_directory_runs_nothing(tmp_path, capsys):
    assert main(["run", str(LIBRARY / "hawb.yaml"), "--junit-xml", str(tmp_path), "--no-progress"]) == 2
    assert "is a directory" in capsys.readouterr().out


def test_fail_fast_with_workers_stops_starting_scenarios(tmp_path, capsys):
    bad = (
        "name: bad {n}\nworld: {{komet: {{vendors: 1, posPerDay: 1, linesPerPo: 1, shipDays: 1}}}}\n"
        "steps:\n  - komet.company: {{}}\n    expect: {{name: Nobody}}\n"
    )
    for n in range(6):
        (tmp_path / f"s{n}.yaml").write_text(bad.format(n=n))
    assert main(["run", str(tmp_path), "-x", "--workers", "2", "--no-progress"]) == 1
    assert capsys.readouterr().out.count("✗") < 6
