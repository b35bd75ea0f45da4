"""pytest plugin (entry point pytest11 "kasim"): scenario files (the `kasim_scenarios` ini patterns, by
default `scenarios/*.yaml` under the rootdir, at any depth) become test items, one per scenario (and per
case); tags become marks, so -k and -m work; items are independent, so pytest-xdist runs them in parallel.
Also a `kasim_topology` fixture for Python tests."""

from __future__ import annotations

from fnmatch import fnmatch
from pathlib import Path, PurePosixPath

import pytest

from .engine import ScenarioResult, run_scenario
from .scenario import ProblemList, Scenario, is_fragment, load_file
from .scenario_checks import grower_results


def pytest_addoption(parser):
    group = parser.getgroup("kasim", "Komet ⇄ ASINFO scenarios")
    group.addoption("--kasim-seed", type=int, default=None, help="override every scenario's seed")
    group.addoption("--kasim-komet-url", default=None, help="run scenarios against a live Komet")
    group.addoption("--kasim-asinfo-url", default=None, help="run scenarios against a live ASINFO")
    group.addoption(
        "--kasim-grower",
        default="asinfo",
        help="the grower adapter (asinfo, package.module:Class or a kasim.growers entry point)",
    )
    parser.addini(
        "kasim_scenarios",
        type="args",
        default=["scenarios/*.yaml", "scenarios/*.yml"],
        help="fnmatch patterns (relative to the rootdir; * crosses folders) of the YAML files that are scenarios",
    )


def pytest_collect_file(file_path: Path, parent):
    if file_path.suffix not in (".yaml", ".yml") or is_fragment(file_path):
        return None
    config = parent.config
    try:
        relative = PurePosixPath(file_path.relative_to(config.rootpath).as_posix())
    except ValueError:  # outside the rootdir: only when named on the command line
        relative = None
    named = any(Path(str(a).split("::", 1)[0]).resolve() == file_path.resolve() for a in config.args)
    if named or (
        relative is not None and any(fnmatch(str(relative), g) for g in config.getini("kasim_scenarios"))
    ):
        return ScenarioFile.from_parent(parent, path=file_path)
    return None


class ScenarioFile(pytest.File):
    def collect(self):
        try:
            with grower_results(self.config.getoption("kasim_grower") or "asinfo"):
                scenarios = load_file(self.path)
        except ProblemList as exc:
            raise pytest.Collector.CollectError("\n".join(map(str, exc.problems))) from None
        for sc in scenarios:
            item = ScenarioItem.from_parent(self, name=sc.id, scenario=sc)
            for tag in sc.tags:
                self.config.addinivalue_line("markers", f"{tag}: kasim scenario tag")
                item.add_marker(tag)
            if sc.skip:
                item.add_marker(pytest.mark.skip(reason=sc.skip))
            if sc.xfail:
                item.add_marker(pytest.mark.xfail(reason=sc.xfail, strict=True))
            yield item


class ScenarioFailed(Exception):
    def __init__(self, result: ScenarioResult):
        super().__init__(result.failure["message"] if result.failure else result.status)
        self.result = result


class ScenarioItem(pytest.Item):
    def __init__(self, *, scenario: Scenario, **kwargs):
        super().__init__(**kwargs)
        self.scenario = scenario

    def runtest(self) -> None:
        from .runner import Options, topology_factory

        opts = Options(
            komet_url=self.config.getoption("kasim_komet_url"),
            asinfo_url=self.config.getoption("kasim_asinfo_url"),
            grower=self.config.getoption("kasim_grower"),
        )
        urls = "".join(
            f" --kasim-{name}-url {url}"
            for name, url in (("komet", opts.komet_url), ("asinfo", opts.asinfo_url))
            if url
        )
        if opts.grower != "asinfo":
            urls += f" --kasim-grower {opts.grower}"
        result = run_scenario(
            self.scenario,
            topology_factory(opts),
            self.config.getoption("kasim_seed"),
            command="pytest {target}" + urls + " --kasim-seed {seed}",
        )
        self.user_properties.append(("seed", result.seed))
        if result.status == "skipped":  # e.g. the grower adapter lacks an operation the scenario needs
            pytest.skip("; ".join(result.notes) or "skipped")
        if result.status in ("failed", "error", "xfailed"):  # xfailed: pytest's own xfail marker judges it
            raise ScenarioFailed(result)

    def repr_failure(self, excinfo, style=None):
        if isinstance(excinfo.value, ScenarioFailed):
            return render(excinfo.value.result)
        return super().repr_failure(excinfo, style)

    def reportinfo(self):
        return self.path, self.scenario.line - 1, f"scenario: {self.scenario.id}"


def render(result: ScenarioResult) -> str:
    from .report.failure import failure_text

    if result.failure is None:  # raised for failed, error and xfailed results, which always carry one
        return f"{result.scenario.id}: {result.status}"
    return failure_text(result.failure, result.journals, result.seed)


@pytest.fixture
def kasim_topology():
    """Both simulators wired together in process (fresh for each test); closed afterwards."""
    from .topology import Topology

    topo = Topology.in_process()
    yield topo
    topo.close()
