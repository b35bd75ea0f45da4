"""The HTML report (kasim run --report) in a real browser: the filter buttons and long lines that wrap."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from rich.console import Console

from harness import runner
from harness.report import html
from harness.scenario import load_file

pytestmark = pytest.mark.browser

PASSES = """\
name: Reads the company
tags: [company, smoke]
seed: 5
steps:
  - komet.company: {}
"""
# the expected name is one long word: nothing to break it at but the wrapping rule
FAILS = """\
name: Expects a company name far too long
tags: [company]
seed: 5
steps:
  - komet.company: {}
    expect: {name: %s}
""" % ("N" * 600)


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("report-page")
    (base / "passes.yaml").write_text(PASSES, encoding="utf-8")
    (base / "fails.yaml").write_text(FAILS, encoding="utf-8")
    scenarios = load_file(base / "passes.yaml") + load_file(base / "fails.yaml")
    out = Console(file=io.StringIO(), width=200, color_system=None)
    results, seconds = runner.run_all(scenarios, runner.Options(progress=False), out)
    assert [r.status for r in results] == ["passed", "failed"]
    return html.write(base / "report", results, seconds)


@pytest.fixture
def page(chromium: Browser, report: Path) -> Iterator[Page]:
    context = chromium.new_context(viewport={"width": 1000, "height": 800})
    context.set_default_timeout(10_000)
    try:
        page = context.new_page()
        page.goto(report.as_uri())
        yield page
    finally:
        context.close()


def rows(page: Page) -> list[str]:
    """The scenario names of the table's visible rows, top to bottom."""
    return [row.locator("a").inner_text() for row in page.locator("tr[data-ok]").all() if row.is_visible()]


def test_all_is_shown_first_with_the_failure_on_top(page: Page):
    assert rows(page) == ["Expects a company name far too long", "Reads the company"]
    expect(page.get_by_role("button", name="all (2)")).to_have_attribute("aria-pressed", "true")


def test_failed_shows_only_the_failures_rows_and_sections(page: Page):
    page.get_by_role("button", name="failed (1)").click()
    assert rows(page) == ["Expects a company name far too long"]
    expect(page.locator("section[data-ok=yes]")).to_be_hidden()
    expect(page.locator("section[data-ok=no]")).to_be_visible()
    page.get_by_role("button", name="all (2)").click()
    assert len(rows(page)) == 2


def test_a_tag_shows_the_scenarios_that_have_it(page: Page):
    page.get_by_role("button", name="smoke (1)").click()
    assert rows(page) == ["Reads the company"]
    expect(page.get_by_role("button", name="smoke (1)")).to_have_attribute("aria-pressed", "true")
    page.get_by_role("button", name="company (2)").click()
    assert len(rows(page)) == 2


def test_long_lines_wrap_inside_the_page(page: Page):
    failure = page.locator("section[data-ok=no] pre")
    expect(failure).to_contain_text("N" * 100)
    assert failure.evaluate("pre => pre.scrollWidth <= pre.clientWidth")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
