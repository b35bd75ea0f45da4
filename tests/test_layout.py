"""The test tree's shape: every directory holding Python is a package (so two kits or tests may share a name
without shadowing each other, and imports are explicit), and the shared helpers live in one kit."""

from __future__ import annotations

from pathlib import Path

TESTS = Path(__file__).resolve().parent


def test_every_test_directory_with_python_is_a_package():
    missing = sorted(
        str(d.relative_to(TESTS.parent))
        for d in [TESTS, *TESTS.rglob("*")]
        if d.is_dir()
        and "__pycache__" not in d.parts
        and any(d.glob("*.py"))
        and not (d / "__init__.py").exists()
    )
    assert missing == []


def test_no_two_helper_modules_share_a_name():
    helpers = [p for p in TESTS.rglob("*.py") if not p.name.startswith(("test_", "__init__", "conftest"))]
    names = [p.name for p in helpers]
    assert sorted(n for n in names if names.count(n) > 1) == []
