"""Which YAML files pytest collects as scenarios: only those the `kasim_scenarios` patterns name."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SCENARIO = (
    "name: tiny\nseed: 1\nworld:\n  komet: {vendors: 1, shipDays: 1, posPerDay: 1, linesPerPo: 1}\n"
    "steps:\n  - komet.company: {}\n"
)


def _collect(root: Path, *args: str) -> str:
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", *args],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return proc.stdout + proc.stderr


def test_only_files_matching_the_patterns_are_collected(tmp_path):
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    (tmp_path / "scenarios" / "deep").mkdir(parents=True)
    (tmp_path / "scenarios" / "deep" / "a.yaml").write_text(SCENARIO)
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "scenarios.yaml").write_text("not: a scenario\n")
    (tmp_path / "other" / "scenarios").mkdir(parents=True)
    (tmp_path / "other" / "scenarios" / "b.yaml").write_text(SCENARIO)
    out = _collect(tmp_path)
    assert "scenarios/deep/a.yaml::tiny" in out
    assert "b.yaml" not in out  # a `scenarios` folder elsewhere is not the library
    assert "config" not in out


def test_the_ini_option_chooses_other_folders(tmp_path):
    (tmp_path / "pytest.ini").write_text("[pytest]\nkasim_scenarios = flows/*.yaml\n")
    (tmp_path / "flows").mkdir()
    (tmp_path / "flows" / "a.yaml").write_text(SCENARIO)
    (tmp_path / "scenarios").mkdir()
    (tmp_path / "scenarios" / "b.yaml").write_text(SCENARIO)
    out = _collect(tmp_path)
    assert "flows/a.yaml::tiny" in out
    assert "b.yaml" not in out


def test_a_file_named_on_the_command_line_is_collected(tmp_path):
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    (tmp_path / "mine.yaml").write_text(SCENARIO)
    assert "mine.yaml::tiny" in _collect(tmp_path, "mine.yaml")
