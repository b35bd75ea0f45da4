"""JUnit XML for CI: one testcase per scenario, the failure with its YAML location, seed and replay command."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path
from typing import TYPE_CHECKING

from .failure import failure_text

if TYPE_CHECKING:
    from ..engine import ScenarioResult


def classname(file: str) -> str:
    """scenarios/any-grower/reply-lost.yaml → scenarios.any-grower.reply-lost: viewers that read the last dot as
    the class (Jenkins) show the scenario file as the class and its folders as the package."""
    path = Path(file)
    try:
        path = path.resolve().relative_to(Path.cwd())
    except ValueError:
        path = Path(*[p for p in path.parts if p not in ("/", "..", ".")])
    return ".".join(part.replace(".", "_") for part in path.with_suffix("").parts)


def write(path: str | Path, results: list[ScenarioResult], seconds: float) -> None:
    suite = ET.Element(
        "testsuite",
        name="kasim",
        tests=str(len(results)),
        failures=str(sum(r.status in ("failed", "xpassed") for r in results)),
        errors=str(sum(r.status == "error" for r in results)),
        skipped=str(sum(r.status in ("skipped", "xfailed") for r in results)),
        time=f"{seconds:.3f}",
    )
    for r in results:
        case = ET.SubElement(
            suite,
            "testcase",
            classname=classname(r.scenario.file),
            name=r.scenario.id,
            time=f"{r.seconds:.3f}",
        )
        if r.status in ("failed", "error", "xpassed"):
            f = r.failure or {
                "message": "passed unexpectedly (xfail)",
                "details": [],
                "where": r.scenario.file,
            }
            tag = "error" if r.status == "error" else "failure"
            node = ET.SubElement(case, tag, message=f["message"], type=r.status)
            node.text = failure_text(f, r.journals, r.seed) if r.failure else f["message"]
        elif r.status in ("skipped", "xfailed"):
            ET.SubElement(case, "skipped", message="; ".join(r.notes) or r.status)
        props = ET.SubElement(case, "properties")
        ET.SubElement(props, "property", name="seed", value=str(r.seed))
        for tag in r.scenario.tags:
            ET.SubElement(props, "property", name="tag", value=tag)
    root = ET.Element("testsuites")
    root.append(suite)
    tree = ET.ElementTree(root)
    ET.indent(tree)
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    tree.write(path, encoding="utf-8", xml_declaration=True)
