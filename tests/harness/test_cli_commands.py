"""The CLI's list of commands names their modules, and a command imports only what it needs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from harness import cli

ROOT = Path(__file__).resolve().parents[2]


def test_every_command_module_is_listed_under_its_own_name():
    on_disk = {p.stem for p in (ROOT / "harness" / "cli").glob("*.py")} - {"__init__", "__main__"}
    assert set(cli.COMMANDS) == on_disk
    for name in cli.COMMANDS:
        assert name == cli.command(name).NAME


def test_help_lists_every_command(capsys):
    with pytest.raises(SystemExit):
        cli.main(["--help"])
    out = capsys.readouterr().out
    for name in cli.COMMANDS:
        assert name in out


def test_serve_loads_neither_the_explorer_nor_the_scenario_machinery():
    """Nor rich (kasim serve prints once both apps answer) nor Faker (the first seed imports it)."""
    unwanted = ("hypothesis", "harness.properties", "harness.engine", "rich", "faker", "reportlab")
    code = (
        "import sys; from harness import cli; cli.build_parser(['serve']); import komet_sim, asinfo_sim; "
        f"print(' '.join(m for m in {unwanted!r} if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == ""
