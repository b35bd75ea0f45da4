"""The grower seam: adapters declare what they support, scenarios that need more are skipped with the reason
(never passed), and --grower finds adapters by module path or entry point."""

from __future__ import annotations

import sys
import types

import pytest

from harness import runner
from harness.engine import run_scenario
from harness.grower import OPERATIONS, AdapterNotFound, Grower, load_grower
from harness.grower.requirements import needs
from harness.report import junit
from harness.scenario import ProblemList, load_file


class SyncOnly(Grower):
    """Connects and syncs; nothing else."""

    name = "sync-only"

    def connect(self, komet_url, token, company_id, **kw):
        self.token = token
        return {"komet": komet_url}

    def sync(self):
        return {"synced": True}


@pytest.fixture
def sync_only_module(monkeypatch):
    module = types.ModuleType("kasim_test_growers")
    module.SyncOnly = SyncOnly
    module.NotAnAdapter = object
    monkeypatch.setitem(sys.modules, "kasim_test_growers", module)
    return "kasim_test_growers:SyncOnly"


def test_operations_are_the_methods_an_adapter_overrides():
    assert SyncOnly.operations == {"connect", "sync"}
    assert set(Grower.operations) == set()
    assert {"connect", "confirm_line", "ship", "relabel", "print_labels", "tick"} <= set(OPERATIONS)


def test_the_loader_names_what_it_could_not_find(sync_only_module):
    assert load_grower("asinfo") is None
    assert load_grower(sync_only_module) is SyncOnly
    with pytest.raises(AdapterNotFound, match="no such adapter"):
        load_grower("nonesuch")
    with pytest.raises(AdapterNotFound, match="cannot import"):
        load_grower("no_such_module_here:X")
    with pytest.raises(AdapterNotFound, match=r"not a harness\.grower\.Grower"):
        load_grower("kasim_test_growers:NotAnAdapter")


SCENARIO = """name: {name}
tags: [{tags}]
world:
  komet: {{vendors: 1, shipDays: 1, posPerDay: 1, linesPerPo: 1}}
  grower: connected
steps:
{steps}
"""


def _run(write, sync_only_module, name: str, tags: str, steps: str):
    scenario = load_file(write(SCENARIO.format(name=name, tags=tags, steps=steps)))[0]
    factory = runner.topology_factory(runner.Options(grower=sync_only_module))
    return run_scenario(scenario, factory)


def test_a_scenario_needing_an_unsupported_operation_is_skipped_with_the_reason(
    write, sync_only_module, tmp_path
):
    result = _run(
        write,
        sync_only_module,
        "needs confirm",
        "komet-observable",
        "  - asinfo.confirm: {po: 0, line: 0, boxes: 1}\n  - komet.get_line: {po: 0, line: 0}\n",
    )
    assert result.status == "skipped"
    assert result.notes == ["the sync-only grower adapter does not support confirm_line"]
    out = tmp_path / "junit.xml"
    junit.write(str(out), [result], 0.1)
    assert '<skipped message="the sync-only grower adapter does not support confirm_line"' in out.read_text()


def test_a_scenario_not_marked_komet_observable_is_skipped_for_another_grower(write, sync_only_module):
    result = _run(write, sync_only_module, "asinfo view", "sync", "  - komet.get_po: {po: 0}\n")
    assert result.status == "skipped"
    assert "komet-observable" in result.notes[0]


def test_a_komet_observable_scenario_runs_through_the_adapter(write, sync_only_module):
    result = _run(
        write,
        sync_only_module,
        "synced",
        "komet-observable",
        "  - asinfo.sync: {}\n  - komet.get_line: {po: 0, line: 0}\n    expect: {lineItemStatus: P}\n",
    )
    assert result.status == "passed", result.failure
    assert "not compared" in result.steps[-1].result["agreement"]


def test_kasim_run_reports_skips_with_their_reason(write, sync_only_module, capsys):
    from harness.cli import main

    path = write(
        SCENARIO.format(
            name="needs ship", tags="komet-observable", steps="  - asinfo.ship: {awb: 729-1234-5675}\n"
        )
    )
    code = main(["run", str(path), "--grower", sync_only_module, "--no-progress"])
    assert code == 0
    text = " ".join(capsys.readouterr().out.split())
    assert "skipped: the sync-only grower adapter does not support ship" in text
    assert "1 skipped" in text


def test_needs_reads_the_world_and_every_step(write):
    scenario = load_file(
        write(
            SCENARIO.format(
                name="n",
                tags="x",
                steps="  - asinfo.confirm: {po: 0, boxes: all}\n  - background: {asinfo.ship: {awb: 0}}\n"
                "  - fault: {app: asinfo, kind: error}\n",
            )
        )
    )[0]
    assert needs(scenario.steps, scenario.world) == {
        "connect",
        "sync",
        "confirm_order",
        "ship",
        "the ASINFO simulator's control plane",
    }


def test_komet_observable_steps_may_not_check_the_growers_own_view(write):
    """kasim validate refuses the tag on a scenario whose steps check what the grower shows."""
    path = write(
        SCENARIO.format(
            name="n",
            tags="komet-observable",
            steps="  - asinfo.confirm: {po: 0, line: 0, boxes: 1}\n    expect: {confirmState: accepted}\n"
            "  - asinfo.get_line: {po: 0, line: 0}\n  - asinfo.sync: {}\n",
        )
    )
    with pytest.raises(ProblemList) as exc:
        load_file(path)
    found = [(p.line, p.message) for p in exc.value.problems]
    assert found == [
        (
            7,
            "tagged komet-observable, but asinfo.confirm with expect:/refused: checks the grower's own answer",
        ),
        (9, "tagged komet-observable, but asinfo.get_line reads the grower's own view; check Komet instead"),
    ]


def test_an_entry_point_in_the_kasim_growers_group_names_an_adapter(monkeypatch):
    class EntryPoint:
        name = "sync-only"

        def load(self):
            return SyncOnly

    import harness.grower.loader as loader

    monkeypatch.setattr(
        loader, "entry_points", lambda group: [EntryPoint()] if group == "kasim.growers" else []
    )
    assert load_grower("sync-only") is SyncOnly
    with pytest.raises(AdapterNotFound, match="known: asinfo, sync-only"):
        load_grower("other")


class OutOfScope(SyncOnly):
    """Its sync also calls a method the importer did not enable on its token."""

    name = "out-of-scope"

    def connect(self, komet_url, token, company_id, **kw):
        import requests

        self.session = requests.Session()
        self.session.headers["User-Agent"] = "out-of-scope/1"
        self.url, self.token = komet_url, token
        return {"komet": komet_url}

    def sync(self):
        day = "2026-11-26"
        params = {"authenticationToken": self.token, "fromDate": day, "toDate": day}
        return self.session.get(f"{self.url}/api/awb.list", params=params, timeout=10).json()


def test_check_verdict_names_the_broken_rule_mid_scenario(write, monkeypatch):
    module = types.ModuleType("kasim_test_growers_2")
    module.OutOfScope = OutOfScope
    monkeypatch.setitem(sys.modules, "kasim_test_growers_2", module)
    path = write(
        SCENARIO.format(
            name="verdict step", tags="komet-observable", steps="  - asinfo.sync: {}\n  - check: verdict\n"
        )
    )
    scenario = load_file(path)[0]
    result = run_scenario(
        scenario, runner.topology_factory(runner.Options(grower="kasim_test_growers_2:OutOfScope"))
    )
    assert result.status == "failed"
    assert result.failure["step"] == "check"
    assert result.failure["message"] == "the grower broke protocol rules (kasim verdict):"
    assert result.failure["details"][0].startswith(
        "- token-scope: called awb.list, which its token does not enable"
    )
