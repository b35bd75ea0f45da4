"""The planted-bug matrix's summary: which check caught each plant (from test_plant_matrix.py's records)."""

from __future__ import annotations


def pytest_terminal_summary(terminalreporter):
    rows = [
        (report.nodeid.split("::")[-1], value)
        for report in terminalreporter.stats.get("passed", [])
        for key, value in report.user_properties
        if key == "caught_by"
    ]
    if not rows:
        return
    terminalreporter.section("planted bugs: the check that caught each")
    for test, caught in sorted(rows, key=lambda r: (r[0].split("[")[-1], r[0])):
        terminalreporter.write_line(f"{test.split('[')[-1].rstrip(']'):<32} {caught}")
