"""YAML read with the line of every node, so any problem can be reported as file:line."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

Path_ = tuple  # a JSON path: keys and indexes from the document root


@dataclass
class Problem(Exception):
    """file:line: message — what users see for anything wrong in a scenario file (file: message when the
    problem is the file itself: not there, a directory, not text)."""

    file: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{where}: {self.message}"


@dataclass
class Source:
    file: str
    text: str
    data: Any
    lines: dict[Path_, tuple[int, int]] = field(default_factory=dict)  # node path -> (first, last line)
    key_lines: dict[Path_, int] = field(default_factory=dict)  # path of a mapping key -> its line

    def line(self, path: Path_) -> int:
        """The line of the deepest known node on `path` (falls back to its parents)."""
        path = tuple(path)
        while path:
            if path in self.key_lines:
                return self.key_lines[path]
            if path in self.lines:
                return self.lines[path][0]
            path = path[:-1]
        return self.lines.get((), (1, 1))[0]

    def span(self, path: Path_) -> tuple[int, int]:
        """First and last line of the node at `path`; a mapping key's own line counts as its first."""
        path = tuple(path)
        if path not in self.lines:
            return self.line(path), self.line(path)
        first, last = self.lines[path]
        return min(first, self.key_lines.get(path, first)), last

    def excerpt(self, first: int, last: int) -> str:
        rows = self.text.splitlines()
        width = len(str(last))
        return "\n".join(f"{n:>{width}} | {rows[n - 1]}" for n in range(first, min(last, len(rows)) + 1))


def load(path: str | Path, display: str | None = None) -> Source:
    file = display or str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise Problem(file, None, "file not found") from None
    except IsADirectoryError:
        raise Problem(file, None, "a directory, not a YAML file") from None
    except UnicodeDecodeError as exc:
        raise Problem(file, None, f"not UTF-8 text ({exc.reason})") from None
    return parse(text, file)


def parse(text: str, file: str) -> Source:
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        line, message = explain_yaml(exc)
        raise Problem(file, line, f"YAML syntax error: {message}") from None
    except yaml.YAMLError as exc:
        raise Problem(file, 1, f"YAML error: {exc}") from None
    if node is None:
        raise Problem(file, 1, "the file is empty (nothing but comments or blank lines)")
    src = Source(file, text, None)
    rows = text.splitlines()
    try:
        src.data = _build(node, (), src, rows)
    except yaml.constructor.ConstructorError as exc:
        mark = exc.problem_mark
        raise Problem(file, mark.line + 1 if mark else 1, f"YAML error: {exc.problem}") from None
    return src


def explain_yaml(exc: yaml.MarkedYAMLError) -> tuple[int, str]:
    """PyYAML's parser talk ("expected <block end>, but found '<block sequence start>'") in a person's words,
    at the line where the mistake is (an unclosed bracket is reported where it was opened)."""
    problem, context = exc.problem or "", exc.context or ""
    at = exc.problem_mark.line + 1 if exc.problem_mark else 1
    opened = exc.context_mark.line + 1 if exc.context_mark else at
    found = next((problem.split(sep, 1)[1] for sep in ("but found ", "but got ") if sep in problem), "")
    found = "the end of the file" if found == "'<stream end>'" else found
    if "'\\t'" in problem:
        return at, "a tab character; YAML indents with spaces only (replace the tab with spaces)"
    if context.startswith(("while parsing a flow mapping", "while parsing a flow sequence")):
        bracket, closer = ("{", "}") if "mapping" in context else ("[", "]")
        return opened, (
            f"the '{bracket}' opened on line {opened} is never closed: expected ',' or '{closer}', "
            f"found {found} on line {at}"
        )
    if context.startswith("while scanning a quoted scalar"):
        return opened, f"the quote opened on line {opened} is never closed"
    if context.startswith("while scanning a simple key") or "could not find expected ':'" in problem:
        return (
            opened,
            f"line {opened} is not `key: value` (a ':' is missing, or text on several lines needs quotes)",
        )
    if "expected <block end>" in problem and "<block" in found:
        return at, (
            f"bad indentation: line {at} does not line up with the block it belongs to "
            f"(which starts on line {opened}); indent items of one list or mapping equally"
        )
    if "expected <block end>" in problem:
        return (
            at,
            f"unexpected text on line {at} after a value ended (text after a closing quote? quote it all)",
        )
    if problem == "mapping values are not allowed here":
        return at, (
            "a ':' where no key can start: is the line indented too far, or does a text contain ': '? "
            "(quote such text, or write {key: value})"
        )
    if problem.startswith("found undefined alias"):
        return at, f"{problem.split()[-1]} is used as an alias (*name) but no anchor &name defines it"
    if "another document" in problem:
        return at, "a second YAML document (---): one scenario per file (use cases: for variants)"
    if "cannot start any token" in problem:
        char = problem.split("'")[1] if "'" in problem else "?"
        return at, f"a value cannot start with {char!r}: put the text in quotes"
    return at, problem + (f" ({context} on line {opened})" if context else "")


_constructor = yaml.SafeLoader(stream="")


def _build(node, path: Path_, src: Source, rows: list[str]) -> Any:
    first = node.start_mark.line + 1
    out: Any
    if isinstance(node, yaml.MappingNode):
        out = {}
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1
            if not isinstance(key_node, yaml.ScalarNode):
                raise Problem(src.file, line, "a key must be plain text")
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise Problem(
                    src.file, line, "merge keys (<<) are not supported; use include: for shared steps"
                )
            key = _scalar(key_node, src)
            if key in out:
                raise Problem(
                    src.file, line, f"duplicate key {key!r} (first on line {src.key_lines[(*path, key)]})"
                )
            src.key_lines[(*path, key)] = line
            out[key] = _build(value_node, (*path, key), src, rows)
        last = src.lines[(*path, key)][1] if out and not node.flow_style else _end(node, rows)
    elif isinstance(node, yaml.SequenceNode):
        out = [_build(item, (*path, i), src, rows) for i, item in enumerate(node.value)]
        last = src.lines[(*path, len(out) - 1)][1] if out and not node.flow_style else _end(node, rows)
    else:
        out = _scalar(node, src)
        last = _end(node, rows)
    src.lines[path] = (first, max(first, last))
    return out


def _scalar(node, src: Source) -> Any:
    """A scalar as YAML reads it, except dates and times, which stay the text written (2026-11-27 is what the
    APIs send and answer, and 2026-02-30 is then a wrong date the schema can name, not a crash)."""
    if node.tag == "tag:yaml.org,2002:timestamp":
        return node.value
    try:
        return _constructor.construct_object(node, deep=True)
    except (ValueError, TypeError, OverflowError) as exc:
        raise Problem(
            src.file,
            node.start_mark.line + 1,
            f"YAML error: cannot read {node.value!r} as {node.tag.rsplit(':', 1)[-1]} ({exc})",
        ) from None


def _end(node, rows: list[str]) -> int:
    """The last line of a scalar or flow node. A block scalar's end mark lies past its trailing newline and
    blank lines; step back over them."""
    end = node.end_mark
    last = end.line + 1 if end.column > 0 else end.line
    while last > node.start_mark.line + 1 and last <= len(rows) and not rows[last - 1].strip():
        last -= 1
    return last
