"""The repository explains itself: whatever the code, tests, scenarios and docs cite is defined in docs/.

The citation forms the project uses, and so the only ones matched (anything else is not a citation):
- a docs page, then its identifiers: `docs/komet-api.md §1.8`, `docs/komet-api.md A3/A4`, `docs/komet-api.md
  B1-B6`, `docs/decisions.md A1–A14`, `docs/domain.md §4.3`;
- a bare decision number in prose (comments, docstrings and other strings of Python, scenario descriptions,
  Markdown text), written as the code writes them: in parentheses or a list, or as a label: `(K8)`,
  `(A6, K10)`, `(K4: deleted tokens…)`, `(K2's type_drift)`, `# K6: status codes`, a docstring's
  `K7: sets…`, `K1–K13`. Those are docs/decisions.md's. "on A4 paper" or "(A4 paper)" is not that form;
- inside docs/, a bare `§2.2` is the page's own section, and in docs/komet-api.md a bare `A3`, `B1`, `C2` is the
  page's own method.
A value that is nothing but an identifier-like token (the IATA code "K4", a rack position "A1", a table cell
"K4") is data, not a citation; numbers never start with 0 (`A01`, ZPL's `^A0`).
"""

from __future__ import annotations

import io
import re
import tokenize
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
SCANNED_DIRS = ("komet_sim", "asinfo_sim", "simkit", "harness", "tests", "scenarios", "bench", "docs", ".ci")
TEXT_SUFFIXES = {".py", ".md", ".yaml", ".yml", ".html", ".js", ".css", ".sql", ".toml", ".txt", ".cfg", ""}
SKIP_PARTS = {"__pycache__", ".venv", "node_modules", ".git", ".pytest_cache", ".ruff_cache"}

# What each docs page's identifiers look like (the rest of the page's headings are not cited).
SECTION = r"§\d+(?:\.\d+)*"
API, DECISIONS = "docs/komet-api.md", "docs/decisions.md"
NO_PAGE = "(no page named)"
ID_FORMS = {
    API: rf"{SECTION}|[ABC][1-9]\d?",
    DECISIONS: r"[KAS][1-9]\d?",
    "docs/domain.md": SECTION,
    "docs/control-plane.md": SECTION,
}
ANY_ID = rf"{SECTION}|[A-Z][1-9]\d?"
SEPARATOR = r"\s*(?:[,/]|–|-|\.\.|\band\b)?\s*"
QUALIFIED = re.compile(
    rf"(?P<page>docs/[\w-]+\.md)(?P<ids>(?:{SEPARATOR}(?:{ANY_ID})(?![\w]))*)",
)
# Before: "(", a list separator, a label's "# " or "### ", or the start of a comment or docstring. After: ")",
# punctuation, "'s", or a range.
BARE_DECISION = re.compile(
    r"(?:(?<=\()|(?<=, )|(?<=; )|(?<=: )|(?<=# )|(?<=/ )|(?<=^)|(?<=^ ))"
    r"([KAS][1-9]\d?)(?:\s*(?:–|-|\.\.)\s*([KAS][1-9]\d?))?"
    r"(?=[),:;.]|'s\b|\s*/|\s*$)",
    re.M,
)
BARE_SECTION = re.compile(rf"(?<![\w]){SECTION}")
BARE_OWN_METHOD = re.compile(r"(?<![\w^/.#-])([ABC][1-9]\d?)(?:\s*(?:–|-)\s*([ABC][1-9]\d?))?(?![\w])")
DATA_TOKEN = re.compile(r"\s*[A-Z]\d+\s*")
# Pointers outside the repository (the background documents this project was built from do not ship). Written
# so that this file holds none of them literally: a repository-wide grep for them must come back empty.
OUTSIDE = re.compile(
    r"\.\./shared|/work/shared|shared/reference|komet-decision[s]\.md|\bDESIG[N]\.md|\bpeer[s]\.md"
)
MD_NAME = re.compile(r"(?<![\w.:/-])([\w./-]*[\w-]\.md)\b")
HEADING_ID = re.compile(rf"^#{{1,6}}\s+({SECTION}|[A-Z][1-9]\d?)(?=[.\s])", re.M)


@dataclass(frozen=True)
class Citation:
    where: str  # path:line
    page: str  # the docs page it points at, from the repository root
    ident: str
    ranged: bool = False  # named only as part of a range (A1–A14), not on its own


def _files() -> list[Path]:
    out = [*ROOT.glob("*.md"), ROOT / "pyproject.toml"]
    for d in SCANNED_DIRS:
        for p in (ROOT / d).rglob("*"):
            if p.is_file() and p.suffix in TEXT_SUFFIXES and not SKIP_PARTS & set(p.parts):
                out.append(p)
    return sorted(set(out) - {Path(__file__).resolve()})


def _rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def defined_ids(page: str) -> set[str]:
    path = ROOT / page
    return set(HEADING_ID.findall(path.read_text(encoding="utf-8"))) if path.exists() else set()


def _expand(where: str, page: str, first: str, last: str | None) -> list[Citation]:
    """A1–A6 → A1..A6 (a range names every number in it); § ranges are not used."""
    if not last:
        return [Citation(where, page, first)]
    if first[0] != last[0] or first.startswith("§"):
        return [Citation(where, page, first), Citation(where, page, last)]
    numbers = range(int(first[1:]), int(last[1:]) + 1)
    return [Citation(where, page, f"{first[0]}{n}", ranged=True) for n in numbers]


def qualified(text: str, where: str) -> tuple[list[Citation], str]:
    """The `docs/<page>.md ids` citations in a text, and the text with them blanked out."""
    found: list[Citation] = []
    spans = []
    for m in QUALIFIED.finditer(text):
        page = m["page"]
        form = re.compile(ID_FORMS.get(page, SECTION))
        found.append(Citation(where, page, ""))  # the page itself must exist
        previous, end = None, m.start("ids")
        for part in re.finditer(rf"({SEPARATOR})({ANY_ID})(?![\w])", m["ids"]):
            sep, ident = part.groups()
            if not form.fullmatch(ident):
                break  # e.g. the K6 of "docs/komet-api.md A1, K6" is a decision, not one of this page's ids
            if previous and sep.strip() in ("-", "–", ".."):
                found[-1:] = _expand(where, page, previous, ident)
            else:
                found.append(Citation(where, page, ident))
            previous, end = ident, m.start("ids") + part.end()
        spans.append((m.start(), end))
    for start, end in spans:  # blank what was read, keep the rest (that K6) for the bare scan
        text = text[:start] + " " * (end - start) + text[end:]
    return found, text


def bare(text: str, where: str, own_page: str | None) -> list[Citation]:
    """Bare identifiers in prose. Outside docs/ a bare § is an error: it does not say whose section it is."""
    found: list[Citation] = []
    own_methods = own_page == API
    if own_methods:
        for m in BARE_OWN_METHOD.finditer(text):
            found += _expand(where, API, m[1], m[2])
        text = BARE_OWN_METHOD.sub(lambda m: " " * len(m.group(0)), text)
    for m in BARE_DECISION.finditer(text):
        found += _expand(where, DECISIONS, m[1], m[2])
    for m in BARE_SECTION.finditer(text):
        found.append(Citation(where, own_page or NO_PAGE, m.group(0)))
    return found


def python_prose(source: str) -> list[tuple[int, str]]:
    """Comments and string contents with their line, except strings that are only an identifier-like token."""
    out = []
    kinds = {tokenize.COMMENT, tokenize.STRING, getattr(tokenize, "FSTRING_MIDDLE", -1)}
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type not in kinds:
            continue
        text = tok.string
        if tok.type == tokenize.STRING:
            text = re.sub(r"^[rbuRBUfF]*('''|\"\"\"|'|\")", "", text)[:-1].strip("'\"")
        if not DATA_TOKEN.fullmatch(text):
            out.append((tok.start[0], text))
    return out


def _yaml_strings(node, out: list[str]) -> None:
    if isinstance(node, dict):
        for k, v in node.items():
            _yaml_strings(k, out)
            _yaml_strings(v, out)
    elif isinstance(node, list):
        for v in node:
            _yaml_strings(v, out)
    elif isinstance(node, str) and not DATA_TOKEN.fullmatch(node):
        out.append(node)


def yaml_prose(source: str) -> list[tuple[int, str]]:
    """String values and comments; each reported at the first line holding its start."""
    try:
        docs = list(yaml.safe_load_all(source))
    except yaml.YAMLError:
        return list(enumerate(source.splitlines(), 1))  # a deliberately broken fixture: read it as text
    strings: list[str] = []
    for d in docs:
        _yaml_strings(d, strings)
    lines = source.splitlines()
    out = [(i, line.split("#", 1)[1]) for i, line in enumerate(lines, 1) if "#" in line]
    for s in strings:
        head = s.strip().split("\n", 1)[0][:30]
        line = next((i for i, text in enumerate(lines, 1) if head and head in text), 0)
        out.append((line, s))
    return out


def markdown_prose(source: str) -> list[tuple[int, str]]:
    """Text outside code blocks and code spans; a table cell holding only an identifier is data."""
    out, fenced = [], False
    for i, line in enumerate(source.splitlines(), 1):
        if line.lstrip().startswith("```"):
            fenced = not fenced
            continue
        if fenced:
            continue
        line = re.sub(r"`[^`]*`", " ", line)
        if line.lstrip().startswith("|"):
            line = " | ".join(c for c in line.split("|") if not DATA_TOKEN.fullmatch(c))
        out.append((i, line))
    return out


def citations_in(path: Path, text: str) -> list[Citation]:
    rel = _rel(path)
    own = _rel(path) if path.parent == DOCS else None
    prose = {".py": python_prose, ".yaml": yaml_prose, ".yml": yaml_prose, ".md": markdown_prose}.get(
        path.suffix
    )
    found: list[Citation] = []
    if prose is None:  # other files: only the explicit `docs/<page>.md` form
        for i, row in enumerate(text.splitlines(), 1):
            found += qualified(row, f"{rel}:{i}")[0]
        return found
    for line, chunk in prose(text):
        where = f"{rel}:{line}"
        cited, rest = qualified(chunk, where)
        found += cited + bare(rest, where, own)
    return found


def outside_pointers(path: Path, text: str) -> list[str]:
    rel, bad = _rel(path), []
    for i, line in enumerate(text.splitlines(), 1):
        bad += [f"{rel}:{i}: {m.group(0)}" for m in OUTSIDE.finditer(line)]
        for m in MD_NAME.finditer(line):
            name = m.group(1)
            base = path.parent if path.parent == DOCS and "/" not in name else ROOT
            if not (base / name).exists() and not (path.parent / name).exists():
                bad.append(f"{rel}:{i}: {name} is not a file of this repository")
    return bad


# --- the checks on the repository ---------------------------------------------------------------------------


def test_every_cited_section_and_decision_is_defined_in_docs():
    files = _files()
    assert any(p.suffix == ".py" for p in files) and (ROOT / DECISIONS).exists()
    defined = {page: defined_ids(page) for page in ID_FORMS}
    missing = []
    for path in files:
        for c in citations_in(path, path.read_text(encoding="utf-8")):
            if c.page == NO_PAGE:
                missing.append(
                    f"{c.where}: {c.ident} does not say whose section it is: docs/<page>.md {c.ident}"
                )
            elif not (ROOT / c.page).is_file():
                missing.append(f"{c.where}: {c.page} does not exist")
            elif c.ident and c.ident not in defined.get(c.page, set()):
                missing.append(f"{c.where}: {c.ident} is not defined in {c.page}")
    assert not missing, "citations docs/ does not define:\n" + "\n".join(missing)


def test_nothing_points_outside_the_repository():
    bad = []
    for path in _files():
        bad += outside_pointers(path, path.read_text(encoding="utf-8"))
    assert not bad, "pointers outside the repository:\n" + "\n".join(bad)


def test_code_and_docs_cite_decisions_in_both_directions():
    """Each decision is cited somewhere outside docs/ (its "where" is real), and the pages keep their numbers."""
    cited: set[str] = set()
    for path in _files():
        if path.parent != DOCS:
            found = citations_in(path, path.read_text(encoding="utf-8"))
            cited |= {c.ident for c in found if c.page == DECISIONS and not c.ranged}
    decisions = defined_ids(DECISIONS)
    assert {f"K{n}" for n in range(1, 14)} | {f"A{n}" for n in range(1, 7)} <= decisions
    assert not decisions - cited, f"decisions no code cites: {sorted(decisions - cited)}"


def _slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def test_docs_links_modules_and_anchors_resolve():
    bad = []
    pages = [*DOCS.glob("*.md"), ROOT / "README.md", ROOT / "ARCHITECTURE.md"]
    for page in pages:
        text = page.read_text(encoding="utf-8")
        for target in re.findall(r"\]\(([^)\s]+)\)", text):
            if re.match(r"[a-z]+:", target):
                continue
            name, _, anchor = target.partition("#")
            dest = (page.parent / name) if name else page
            if not dest.exists():
                bad.append(f"{_rel(page)}: link to {target}: no such file")
            elif anchor and anchor not in {
                _slug(h) for h in re.findall(r"^#+\s+(.*)$", dest.read_text(encoding="utf-8"), re.M)
            }:
                bad.append(f"{_rel(page)}: link to {target}: no such heading")
        if page.parent == DOCS:  # the modules a decision says it lives in
            for path in re.findall(
                r"`((?:komet_sim|asinfo_sim|simkit|harness|tests|scenarios|bench)/[\w/.-]*)`", text
            ):
                if not (ROOT / path).exists():
                    bad.append(f"{_rel(page)}: names {path}, which does not exist")
    assert not bad, "\n".join(bad)


# --- the matcher itself: precise both ways ------------------------------------------------------------------


def _cites(path: str, text: str) -> list[tuple[str, str]]:
    return sorted((c.page, c.ident) for c in citations_in(ROOT / path, text) if c.ident)


@pytest.mark.parametrize(
    ("path", "text", "expected"),
    [
        (
            "komet_sim/x.py",
            '"""Confirm (docs/komet-api.md A2, K7)."""\n',
            [(API, "A2"), (DECISIONS, "K7")],
        ),
        ("komet_sim/x.py", "# docs/komet-api.md B1-B3\n", [(API, i) for i in ("B1", "B2", "B3")]),
        (
            "komet_sim/x.py",
            "# docs/komet-api.md A3/A4, and §1.8\n",
            [(API, "A3"), (API, "A4"), (NO_PAGE, "§1.8")],
        ),
        (
            "asinfo_sim/x.py",
            '"""Sync (A2, A3); K1–K3."""\n',
            [(DECISIONS, i) for i in ("A2", "A3", "K1", "K2", "K3")],
        ),
        (
            "docs/domain.md",
            "see §2.2 (docs/decisions.md K8)\n",
            [("docs/domain.md", "§2.2"), (DECISIONS, "K8")],
        ),
        (
            "docs/komet-api.md",
            "same rule as A3 (gap: K8)\n",
            [(API, "A3"), (DECISIONS, "K8")],
        ),
        (
            "scenarios/x.yaml",
            "name: n\ndescription: Komet sets it (K7).\nsteps: []\n",
            [(DECISIONS, "K7")],
        ),
    ],
)
def test_citations_are_found(path, text, expected):
    assert _cites(path, text) == sorted(expected)


@pytest.mark.parametrize(
    ("path", "text"),
    [
        ("komet_sim/flowers.py", 'AIRLINES = [("272", "K4", "Kalitta Air")]\n'),  # an IATA designator
        ("tests/t.py", 'receive(position="A12", boxes=["A1", "A2"])\n'),  # rack positions, box codes
        ("tests/t.py", 'cmds = [("^A0", "N,50,50")]  # ^A0 is font 0\n'),  # ZPL
        ("scenarios/x.yaml", "steps:\n  - komet.receive: {boxes: [x], position: A1}\n"),  # a value
        ("scenarios/x.yaml", "steps:\n  - komet.receive: {position: A01}\n"),
        ("docs/domain.md", "| 272 | K4 | Kalitta Air |\n"),  # a table cell
        ("docs/domain.md", "```\n^FO40,520^BY3^BCN,160,Y,N,N^FD73992893^FS K9\n```\n"),  # a code block
        ("README.md", "print it on A4 paper, or (A4 paper), with `(K9)` in a code span\n"),  # not the form
    ],
)
def test_data_is_not_a_citation(path, text):
    assert _cites(path, text) == []


def test_a_missing_number_and_a_pointer_outside_are_caught():
    defined = defined_ids(DECISIONS)
    cited = _cites("komet_sim/x.py", "# K99: not a decision; docs/komet-api.md §9.9 not a section\n")
    assert (DECISIONS, "K99") in cited and "K99" not in defined
    assert (API, "§9.9") in cited and "§9.9" not in defined_ids(API)
    path = ROOT / "komet_sim" / "x.py"
    # In pieces, so that this file holds no outside pointer literally (see OUTSIDE).
    assert outside_pointers(path, "# see .." + "/shared/reference/komet-api" + ".md\n")
    assert outside_pointers(path, "# see komet-api" + ".md §1.8\n")  # a page named without docs/ is not ours
    assert not outside_pointers(path, "# see docs/komet-api.md §1.8 and README.md\n")
