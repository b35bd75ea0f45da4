"""The corpus of broken scenario files: each one mistake, its expected problem written on its first line(s) as

    # expect: LINE: part of the message
    # expect: fragments/other.yaml:LINE: part of the message      (a problem reported in another file)

`kasim validate FILE` must exit 2, print no traceback, and print exactly those problems as `file:line: message`
(no vague, duplicated or extra ones). Plus the CLI's other ways to be given unusable input."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CORPUS = Path(__file__).resolve().parent / "corpus"
FILES = sorted(CORPUS.glob("*.yaml"))
EXPECT = re.compile(r"^# expect: (?:(?P<file>[^\s:]+\.ya?ml):)?(?P<line>\d+): (?P<message>.+)$")
# Files that cannot carry their expectation in a comment (a comment would make them non-empty).
UNCOMMENTED = {"empty.yaml": ["# expect: 1: the file is empty (nothing but comments or blank lines)"]}
PROBLEM_LINE = re.compile(r"^\S+\.ya?ml:\d+: ", re.M)
VALID = """\
name: A valid little scenario
tags: [tiny]
steps:
  - komet.company:
    expect: {companyId: {$type: integer}}
"""


def kasim(*args: str, cwd: Path = ROOT, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "harness.cli", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, "COLUMNS": "400", "NO_COLOR": "1"},
    )


def rel(path: Path) -> str:
    return str(path.relative_to(ROOT))


def expectations(path: Path) -> list[tuple[str, int, str]]:
    """(file as kasim prints it, line, message part) for each `# expect:` line at the top of a corpus file."""
    lines = UNCOMMENTED.get(path.name) or path.read_text(encoding="utf-8").splitlines()
    found = []
    for text in lines:
        m = EXPECT.match(text)
        if not m:
            break
        file = rel(path.parent / m["file"]) if m["file"] else rel(path)
        found.append((file, int(m["line"]), m["message"].strip()))
    return found


@pytest.fixture(scope="module")
def validated() -> dict[str, subprocess.CompletedProcess]:
    """`kasim validate` of every corpus file, run side by side (each is its own process)."""
    with ThreadPoolExecutor(max(4, (os.cpu_count() or 2) * 2)) as pool:
        return dict(
            zip([f.name for f in FILES], pool.map(lambda f: kasim("validate", rel(f)), FILES), strict=True)
        )


def assert_no_traceback(proc: subprocess.CompletedProcess) -> None:
    assert "Traceback" not in proc.stdout + proc.stderr, proc.stdout + proc.stderr


def test_the_corpus_covers_at_least_twenty_kinds_of_mistake():
    assert len(FILES) >= 20
    missing = [f.name for f in FILES if not expectations(f)]
    assert not missing, f"corpus files without a first-line '# expect: LINE: message': {missing}"


@pytest.mark.parametrize("path", FILES, ids=[f.stem for f in FILES])
def test_broken_file_gets_its_file_line_and_message(path: Path, validated):
    proc = validated[path.name]
    out = proc.stdout + proc.stderr
    assert_no_traceback(proc)
    assert proc.returncode == 2, out
    printed = [line for line in out.splitlines() if PROBLEM_LINE.match(line)]
    for file, line, message in expectations(path):
        prefix = f"{file}:{line}: "
        assert any(p.startswith(prefix) and message in p for p in printed), (
            f"expected a line starting {prefix!r} containing {message!r}; got:\n{out}"
        )
    assert len(printed) == len(expectations(path)), f"one mistake, one message; got:\n{out}"


def test_validating_the_whole_corpus_reports_every_file_and_skips_fragments():
    proc = kasim("validate", rel(CORPUS))
    assert_no_traceback(proc)
    assert proc.returncode == 2
    for path in FILES:
        for file, line, message in expectations(path):
            assert f"{file}:{line}: " in proc.stdout and message in proc.stdout, (path.name, message)
    # fragments are only checked through the files that include them, never run or validated alone
    assert "fragments/ship.yaml:" not in proc.stdout


def test_run_of_a_broken_file_exits_2_and_runs_nothing(tmp_path):
    junit, report = tmp_path / "junit.xml", tmp_path / "report"
    proc = kasim("run", rel(CORPUS / "unknown-step.yaml"), "--junit-xml", str(junit), "--report", str(report))
    assert_no_traceback(proc)
    assert proc.returncode == 2
    assert f"{rel(CORPUS / 'unknown-step.yaml')}:9: steps[2]: unknown step 'asinfo.shipp'" in proc.stdout
    assert "nothing was run" in proc.stdout
    assert "✓" not in proc.stdout and "✗" not in proc.stdout
    assert not junit.exists() and not report.exists()


def test_run_with_one_broken_file_among_good_ones_runs_nothing(tmp_path):
    good = tmp_path / "good.yaml"
    good.write_text(VALID, encoding="utf-8")
    proc = kasim("run", str(good), rel(CORPUS / "wrong-type.yaml"), "--no-progress")
    assert_no_traceback(proc)
    assert proc.returncode == 2
    assert "A valid little scenario" not in proc.stdout
    assert "1 problem(s): nothing was run" in proc.stdout


def test_a_valid_file_validates_with_exit_0(tmp_path):
    good = tmp_path / "good.yaml"
    good.write_text(VALID, encoding="utf-8")
    proc = kasim("validate", str(good))
    assert_no_traceback(proc)
    assert proc.returncode == 0, proc.stdout
    assert "1 scenario(s) valid" in proc.stdout


def in_process(capsys, *args: str) -> tuple[int, str]:
    """kasim in this process (for the variants of a rule whose first case runs as its own process above)."""
    from harness.cli import main

    try:
        code = main(list(args))
    except SystemExit as exc:  # argparse's own exit for a bad flag
        code = exc.code if isinstance(exc.code, int) else 2
    out = capsys.readouterr()
    return code, out.out + out.err


def test_a_valid_file_including_a_corpus_fragment_validates(tmp_path, capsys):
    """The shared fragment of the corpus is itself valid: the include mistakes are the includers' own."""
    fragment = CORPUS / "fragments" / "ship.yaml"
    scenario = tmp_path / "ships.yaml"
    scenario.write_text(
        f"name: ships\nworld: {{grower: connected}}\nsteps:\n  - asinfo.confirm: {{po: 0, boxes: all}}"
        f"\n  - include: {fragment}\n    with: {{po: 0}}\n",
        encoding="utf-8",
    )
    code, out = in_process(capsys, "validate", str(scenario))
    assert code == 0, out


@pytest.mark.parametrize(
    "content", ["", "\n\n   \n", "# nothing\n\n# at all\n"], ids=["0-bytes", "blank", "comments"]
)
def test_an_empty_file_is_reported_at_line_1(tmp_path, capsys, content):
    path = tmp_path / "empty.yaml"
    path.write_text(content, encoding="utf-8")
    code, out = in_process(capsys, "validate", str(path))
    assert code == 2
    assert f"{path}:1: the file is empty" in out


def test_a_file_that_is_not_utf8_is_reported(tmp_path, capsys):
    path = tmp_path / "latin1.yaml"
    path.write_bytes("name: Año\nsteps:\n  - asinfo.sync: {}\n".encode("latin-1"))
    code, out = in_process(capsys, "validate", str(path))
    assert code == 2
    assert f"{path}: not UTF-8 text" in out


def test_a_path_that_does_not_exist_is_reported(capsys):
    code, out = in_process(capsys, "validate", "no/such/scenario.yaml")
    assert code == 2
    assert "no/such/scenario.yaml: no such file or directory" in out and ".yaml:1" not in out


def test_a_bad_flag_exits_2_without_a_traceback():
    proc = kasim("run", "--wat")
    assert_no_traceback(proc)
    assert proc.returncode == 2
    assert "--wat" in proc.stderr


@pytest.mark.parametrize(
    "args",
    [["run", "--seed", "seven"], ["validate"], ["wat"], ["run", "--workers", "0"]],
    ids=["bad-value", "no-path", "no-command", "workers-0"],
)
def test_other_unusable_command_lines_exit_2(capsys, args):
    code, out = in_process(capsys, *args)
    assert code == 2, out


def test_a_broken_k_expression_exits_2_without_a_traceback(tmp_path):
    good = tmp_path / "good.yaml"
    good.write_text(VALID, encoding="utf-8")
    proc = kasim("run", str(good), "-k", "tiny and", "--no-progress")
    assert_no_traceback(proc)
    assert proc.returncode == 2, proc.stdout
    assert "-k 'tiny and': expression ends too early" in proc.stdout
    assert "A valid little scenario" not in proc.stdout


@pytest.mark.parametrize("expr", ["(tiny", "tiny)", "and tiny", "not", "tiny or or tiny"])
def test_every_broken_k_expression_exits_2(tmp_path, capsys, expr):
    good = tmp_path / "good.yaml"
    good.write_text(VALID, encoding="utf-8")
    code, out = in_process(capsys, "run", str(good), "-k", expr, "--no-progress")
    assert code == 2, out
    assert f"-k {expr!r}" in out
