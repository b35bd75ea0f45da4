"""What a run leaves behind: JUnit XML for CI and the HTML report with its sequence diagrams and labels."""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from rich.console import Console

from harness import runner
from harness.report import console as console_report
from harness.report import html, junit
from harness.scenario import load_file

SHIPS = """\
name: Ship one PO with labels
tags: [report, labels]
seed: 11
world:
  komet: {vendors: 1, shipDays: 1, posPerDay: 1, linesPerPo: 1}
  grower: connected
steps:
  - asinfo.confirm: {po: 0, boxes: all}
  - asinfo.create_awb: {po: 0}
    save: awb
  - asinfo.assign_boxes: {awb: "${awb}", po: 0}
  - asinfo.print_labels: {awb: "${awb}", format: pdf}
  - asinfo.print_labels: {awb: "${awb}", format: zpl}
  - asinfo.ship: {awb: "${awb}"}
    expect: {state: shipped}
  - komet.get_po: {po: 0}
  - komet.get_line: {po: 0, line: 0}
    expect: {lineItemStatus: S}
"""
FAILS = """\
name: Expects the wrong company
seed: 5
steps:
  - komet.company: {}
    save: company
  - komet.company: {}
    expect: {name: Nobody Imports}
"""


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    """Both scenarios run once, in process, with --report and --junit-xml as `kasim run` writes them."""
    base = tmp_path_factory.mktemp("report")
    (base / "ships.yaml").write_text(SHIPS, encoding="utf-8")
    (base / "fails.yaml").write_text(FAILS, encoding="utf-8")
    scenarios = load_file(base / "ships.yaml") + load_file(base / "fails.yaml")
    out = Console(file=io.StringIO(), width=200, color_system=None)
    results, seconds = runner.run_all(
        scenarios, runner.Options(report_dir=str(base / "report"), progress=False), out
    )
    junit.write(base / "junit.xml", results, seconds)
    index = html.write(base / "report", results, seconds)
    return {
        "base": base,
        "results": results,
        "index": index,
        "html": index.read_text(encoding="utf-8"),
        "console": out,
    }


def test_the_scenarios_ran_as_expected(run):
    assert [r.status for r in run["results"]] == ["passed", "failed"]


# --- JUnit XML -------------------------------------------------------------------------------------------


def test_junit_xml_parses_with_one_testcase_per_scenario(run):
    root = ET.parse(run["base"] / "junit.xml").getroot()
    suite = root.find("testsuite")
    assert suite.get("tests") == "2" and suite.get("failures") == "1" and suite.get("errors") == "0"
    assert [c.get("name") for c in suite.iter("testcase")] == [
        "Ship one PO with labels",
        "Expects the wrong company",
    ]


def test_junit_failure_has_the_message_the_step_location_seed_and_replay(run):
    case = ET.parse(run["base"] / "junit.xml").getroot().findall(".//testcase")[1]
    failure = case.find("failure")
    assert failure is not None
    assert failure.get("message") == "expectation not met"
    text = failure.text
    assert f"{run['base'] / 'fails.yaml'}:6" in text
    assert "(seed 5)" in text
    assert re.search(r"replay: kasim run '\S+fails\.yaml::Expects the wrong company' --seed 5", text), text


def test_junit_passing_case_has_no_failure_and_records_seed_and_tags(run):
    case = ET.parse(run["base"] / "junit.xml").getroot().findall(".//testcase")[0]
    assert case.find("failure") is None and case.find("error") is None
    props = {(p.get("name"), p.get("value")) for p in case.iter("property")}
    assert ("seed", "11") in props and ("tag", "labels") in props


# --- HTML report -------------------------------------------------------------------------------------------


def section(run, i: int) -> str:
    """Scenario i's section of the report (i in the order they ran)."""
    return run["html"].split(f"<section id='s{i}'")[1].split("</section>")[0]


def bands(svg: str) -> list[tuple[str, str]]:
    """Each step band's title, with what the diagram draws under it."""
    parts = re.split(r"<text x='10' y='\d+' class='step[^']*'>([^<]*)</text>", svg)
    return list(zip(parts[1::2], parts[2::2], strict=True))


def test_the_report_has_a_sequence_diagram_per_scenario(run):
    assert run["html"].count("<svg") == 2


def test_failures_come_first_in_the_table_and_the_sections(run):
    html = run["html"]
    assert html.index(">Expects the wrong company</a>") < html.index(">Ship one PO with labels</a>")
    assert html.index("<section id='s1'") < html.index("<section id='s0'")


def test_the_sequence_diagram_shows_the_four_actors(run):
    for i in (0, 1):
        for actor in ("Importer", "Komet", "ASINFO", "Grower"):
            assert f">{actor}</text>" in section(run, i)


def test_the_sequence_diagram_draws_the_grower_and_asinfo_calls_of_each_step(run):
    ships = section(run, 0)
    assert "asinfo.ship" in ships  # the step band
    assert "items.awb.add" in ships  # ASINFO's call to Komet while shipping


def test_the_importers_reads_of_a_po_and_a_line_are_in_the_diagram(run):
    drawn = bands(section(run, 0))
    [get_po] = [under for title, under in drawn if title.startswith("komet.get_po")]
    [get_line] = [under for title, under in drawn if title.startswith("komet.get_line")]
    assert "GET purchase-orders" in get_po and "GET purchase-orders" in get_line


def test_the_failing_step_is_marked_in_the_diagram(run):
    fails = section(run, 1)
    assert fails.count("class='band failedstep'") == 1
    [marked] = [title for title, _ in bands(fails) if title.startswith("✗ failed here: ")]
    assert "komet.company" in marked
    assert [t for t, _ in bands(fails) if "komet.company" in t] == ["komet.company", marked]  # the second one
    assert "failedstep" not in section(run, 0)


def test_a_failing_step_that_sent_nothing_is_still_marked():
    from harness.report.sequence import svg

    read = {
        "request": {"method": "GET", "path": "/__sim/komet/company"},
        "response": {"status": 200, "body": {}},
        "agent": "kasim-harness",
        "correlation": "step-1",
        "begin": 1,
        "end": 2,
    }
    drawn = svg({"komet": [read]}, {"step-1": "komet.company", "step-2": "check"}, failed_step="step-2")
    assert [title for title, _ in bands(drawn)] == ["komet.company", "✗ failed here: check"]
    assert "(no messages)" in bands(drawn)[1][1] and drawn.count("class='band failedstep'") == 1


def test_the_filter_offers_all_failed_and_each_tag_with_counts(run):
    nav = run["html"].split("<nav class='filter'")[1].split("</nav>")[0]
    shows = re.findall(r"data-show='([^']+)' aria-pressed='\w+'>([^<]+)</button>", nav)
    assert shows == [
        ("all", "all (2)"),
        ("failed", "failed (1)"),
        ("tag:labels", "labels (1)"),
        ("tag:report", "report (1)"),
    ]


def test_rows_and_sections_carry_what_the_filter_reads(run):
    assert run["html"].count("data-ok='no' data-tags=''") == 2  # the failed one's row and section
    assert run["html"].count("data-ok='yes' data-tags='report labels'") == 2


def test_the_report_links_the_printed_labels_and_they_exist(run):
    links = re.findall(r"<a href='(labels/[^']+)'>", run["html"])
    assert [Path(link).suffix for link in links] == [".pdf", ".zpl"]
    pdf, zpl = (run["index"].parent / link for link in links)
    assert pdf.read_bytes().startswith(b"%PDF")
    assert zpl.read_text().startswith("^XA")


def test_the_report_shows_the_failure_with_its_replay(run):
    assert "expectation not met" in run["html"]
    assert "replay: kasim run" in run["html"]


def test_the_report_lists_step_timings(run):
    section = run["html"].split("id='s0'")[1]
    assert section.count(" ms <span class='bar'") >= 7  # world, six steps, invariants


# --- console -------------------------------------------------------------------------------------------


def test_console_failure_prints_yaml_lines_expected_vs_actual_vars_seed_and_replay(run, quiet_console):
    failed = run["results"][1]
    console_report.failure(quiet_console, failed)
    text = quiet_console.file.getvalue()
    assert "fails.yaml:6" in text and "seed 5" in text
    assert "6 |   - komet.company: {}\n7 |     expect: {name: Nobody Imports}" in text
    assert "at $.name: expected 'Nobody Imports'" in text
    assert "variables in scope" in text and "company = " in text
    assert "replay: kasim run" in text


def test_console_prints_one_line_per_scenario(run):
    lines = run["console"].file.getvalue().splitlines()
    assert lines[0].startswith("✓") and "Ship one PO with labels" in lines[0]
    assert lines[1].startswith("✗") and "fails.yaml:6" in lines[1]


def test_the_librarys_wrong_expectation_reads_clearly_when_it_fails(quiet_console):
    """scenarios/wrong-expectation-reported.yaml is wrong on purpose (xfail): run as if it were meant, its
    failure names the step's line, the field, what was expected and what came, and how to replay it."""
    import dataclasses

    path = Path(__file__).resolve().parents[2] / "scenarios" / "wrong-expectation-reported.yaml"
    [scenario] = load_file(path)
    assert scenario.xfail
    results, _ = runner.run_all(
        [dataclasses.replace(scenario, xfail=None)], runner.Options(progress=False), quiet_console
    )
    [result] = results
    assert result.status == "failed"
    console_report.failure(quiet_console, result)
    text = quiet_console.file.getvalue()
    line = next(i for i, t in enumerate(path.read_text().splitlines(), 1) if "komet.get_line" in t)
    assert f"wrong-expectation-reported.yaml:{line}  step: komet.get_line" in text
    assert "at $.quantityConfirmed: expected 3, got 2" in text
    assert "replay: kasim run" in text and "--seed 7" in text
