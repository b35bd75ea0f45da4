"""Running one scenario: refusals, saved values, and what a failure tells the person reading it."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
WORLD = "world:\n  komet: {vendors: 1, shipDays: 1, posPerDay: 1, linesPerPo: 2}\n"


def scenario(*steps: str, name: str = "tiny", extra: str = "") -> str:
    return f"name: {name}\nseed: 3\n{extra}{WORLD}steps:\n" + "".join(steps)


UNKNOWN_METHOD = "  - komet.call: {method: no.such.method, token: company}\n"


# --- refused: ----------------------------------------------------------------------------------------------


def test_refused_matches_a_substring_of_the_message_ignoring_case(run_yaml):
    r = run_yaml(scenario(UNKNOWN_METHOD, "    refused: METHOD NOT FOUND\n"))
    assert r.status == "passed", r.failure
    assert r.steps[1].result["refused"] == "Method not found."


def test_refused_matches_a_regex_between_slashes(run_yaml):
    r = run_yaml(scenario(UNKNOWN_METHOD, "    refused: /^Method not \\w+\\.$/\n"))
    assert r.status == "passed", r.failure


def test_refused_with_a_regex_that_does_not_match_fails(run_yaml):
    r = run_yaml(scenario(UNKNOWN_METHOD, "    refused: /^not found/\n"))
    assert r.status == "failed"


def test_refused_for_another_reason_fails_showing_both_reasons(run_yaml):
    r = run_yaml(scenario(UNKNOWN_METHOD, "    refused: quota exceeded\n"))
    assert r.status == "failed"
    assert r.failure["message"] == "refused, but not for the expected reason"
    assert r.failure["details"] == ["expected: quota exceeded", "actual:   Method not found."]


def test_refused_expected_but_the_step_succeeded_fails(run_yaml):
    r = run_yaml(scenario("  - komet.company: {}\n    refused: token\n"))
    assert r.status == "failed"
    assert r.failure["message"] == "expected a refusal matching 'token', but the step succeeded"


def test_a_refusal_nobody_expected_fails_with_the_apps_message(run_yaml):
    r = run_yaml(scenario(UNKNOWN_METHOD))
    assert r.status == "failed"
    assert r.failure["message"] == "refused: Method not found."


def test_expect_applies_to_the_refusal_record(run_yaml):
    r = run_yaml(scenario(UNKNOWN_METHOD, "    refused: not found\n    expect: {reply: {status: 0}}\n"))
    assert r.status == "passed", r.failure


# --- save: -------------------------------------------------------------------------------------------------


def test_save_under_a_name_keeps_the_whole_result(run_yaml):
    r = run_yaml(
        scenario(
            "  - komet.company: {}\n    save: company\n",
            '  - check: {value: "${company.companyId}"}\n    expect: {$type: integer}\n',
        )
    )
    assert r.status == "passed", r.failure


def test_save_with_paths_keeps_each_value(run_yaml):
    r = run_yaml(
        scenario(
            "  - komet.company: {}\n    save: {cid: companyId, limit: dailyLimit}\n",
            '  - check: {value: ["${cid}", "${limit}"]}\n    expect: {$each: {$type: integer}}\n',
        )
    )
    assert r.status == "passed", r.failure


def test_save_with_a_path_into_a_list(run_yaml):
    r = run_yaml(
        scenario(
            "  - komet.get_po: {po: 0}\n    save: {item: 'details[1].poItemId', po: '@'}\n",
            '  - check: {value: "${item}"}\n    expect: {$type: integer}\n',
            '  - check: {value: "${po.details[1].poItemId}"}\n    expect: "${item}"\n',
        )
    )
    assert r.status == "passed", r.failure


def test_save_that_finds_nothing_fails_clearly_at_its_step(run_yaml):
    r = run_yaml(scenario("  - komet.company: {}\n", "  - komet.company: {}\n    save: {cid: companyID}\n"))
    assert r.status == "failed"
    assert r.failure["message"] == "save cid: 'companyID' finds nothing in the result"
    assert r.failure["where"].endswith("s.yaml:7")
    assert r.failure["details"][0].startswith('result: {"callsToday"')


def test_last_holds_the_previous_result(run_yaml):
    r = run_yaml(
        scenario(
            "  - komet.company: {}\n",
            '  - check: {value: "${last.companyId}"}\n    expect: {$type: integer}\n',
        )
    )
    assert r.status == "passed", r.failure


# --- a failing expect ----------------------------------------------------------------------------------------

FAILING = scenario(
    "  - komet.company: {}\n    save: {cid: companyId}\n",
    "  - komet.company: {}\n    expect:\n      name: Nobody Imports\n",
    "  - komet.company: {}\n    save: never\n",
)


def test_a_failing_expect_reports_the_file_and_line_of_its_step(run_yaml, tmp_path):
    r = run_yaml(FAILING)
    assert r.status == "failed"
    assert r.failure["where"] == f"{tmp_path / 's.yaml'}:8"
    assert r.failure["step"] == "komet.company"


def test_a_failing_expect_shows_the_steps_yaml_lines(run_yaml):
    r = run_yaml(FAILING)
    assert (
        r.failure["excerpt"]
        == " 8 |   - komet.company: {}\n 9 |     expect:\n10 |       name: Nobody Imports"
    )


def test_a_failing_expect_says_what_differs_and_the_actual_value(run_yaml):
    r = run_yaml(FAILING)
    assert r.failure["message"] == "expectation not met"
    assert r.failure["details"][0].startswith("at $.name: expected 'Nobody Imports', got ")
    assert r.failure["details"][-1].startswith("actual: {")


def test_a_failing_expect_lists_the_variables_in_scope(run_yaml):
    vars_ = run_yaml(FAILING).failure["vars"]
    assert vars_["seed"] == "3"
    assert vars_["cid"].isdigit()
    assert "never" not in vars_  # saved only after the failure
    assert "world" not in vars_  # too big to print; the seed rebuilds it


def test_a_failing_expect_gives_the_seed_and_a_one_line_replay_command(run_yaml, tmp_path):
    f = run_yaml(FAILING).failure
    assert f["seed"] == 3
    assert f["replay"] == f"kasim run {tmp_path / 's.yaml'}::tiny --seed 3"


def test_the_replay_command_carries_an_overridden_seed(run_yaml):
    f = run_yaml(FAILING, seed=99).failure
    assert f["seed"] == 99 and f["replay"].endswith("--seed 99")


def test_the_replay_command_runs_the_failed_scenario_again(run_yaml, capsys):
    from harness.cli import main

    r = run_yaml(FAILING.replace("name: tiny", "name: Expects the wrong company"))
    argv = shlex.split(r.failure["replay"])
    assert argv[:2] == ["kasim", "run"]
    capsys.readouterr()
    assert main([*argv[1:], "--no-progress"]) == 1  # it runs, and fails the same way (not 2: unusable input)


def test_the_steps_after_a_failure_do_not_run(run_yaml):
    r = run_yaml(FAILING)
    assert [s.status for s in r.steps] == ["passed", "passed", "failed"]


def test_a_failing_step_of_a_fragment_reports_the_fragments_file_and_line(write, run_yaml, tmp_path):
    write("steps:\n  - komet.company: {}\n    expect: {name: Nobody}\n", "fragments/check.yaml")
    r = run_yaml(scenario("  - komet.company: {}\n", "  - include: fragments/check.yaml\n"))
    assert (
        r.failure["where"]
        == f"{tmp_path / 'fragments' / 'check.yaml'}:2 (included from {tmp_path / 's.yaml'}:7)"
    )


def test_the_replay_of_a_case_selects_that_case(run_yaml):
    r = run_yaml(
        scenario('  - check: {value: "${n}"}\n    expect: 1\n', extra="cases:\n  - {name: two, n: 2}\n")
    )
    assert r.scenario.id == "tiny[two]"
    assert "s.yaml::tiny[two]' --seed 3" in r.failure["replay"]  # quoted for the shell ([ ] are special)


def test_a_step_that_cannot_go_on_fails_with_the_reason(run_yaml):
    r = run_yaml(scenario("  - asinfo.sync: {}\n"))
    assert r.status == "failed"
    assert "not connected yet" in r.failure["message"]


# --- kasim run exit codes --------------------------------------------------------------------------------------


def kasim_run(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "harness.cli", "run", str(path), "--no-progress"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "COLUMNS": "300"},
    )


def test_kasim_run_exits_0_when_everything_passes(write):
    proc = kasim_run(write(scenario("  - komet.company: {}\n    expect: {companyId: {$type: integer}}\n")))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "1 passed" in proc.stdout


def test_kasim_run_exits_1_when_a_scenario_fails_and_prints_how_to_replay_it(write):
    path = write(FAILING)
    proc = kasim_run(path)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr
    assert f"{path}:8" in proc.stdout
    assert f"replay: kasim run {path}::tiny --seed 3" in proc.stdout
