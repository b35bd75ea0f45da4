"""YAML read with the line of every node, so any problem can be reported as file:line."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

Path_ = tuple  # a JSON path: keys and indexes from the document root


@dataclass
class Problem(Exception):
    """file:line: message — what users see for anything wrong in a scenario file."""

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


@dataclass
class Source:
    file: str
    text: str
    data: Any
    lines: dict[Path_, tuple[int, int]] = field(default_factory=dict)   # node path -> (first, last line)
    key_lines: dict[Path_, int] = field(default_factory=dict)           # path of a mapping key -> its line

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
        return self.lines.get(tuple(path), (self.line(path), self.line(path)))

    def excerpt(self, first: int, last: int) -> str:
        rows = self.text.splitlines()
        width = len(str(last))
        return "\n".join(f"{n:>{width}} | {rows[n - 1]}" for n in range(first, min(last, len(rows)) + 1))


def load(path: str | Path, display: str | None = None) -> Source:
    file = display or str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise Problem(file, 1, "file not found") from None
    except UnicodeDecodeError as exc:
        raise Problem(file, 1, f"not UTF-8 text ({exc.reason})") from None
    return parse(text, file)


def parse(text: str, file: str) -> Source:
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        what = exc.problem or exc.context or "invalid YAML"
        raise Problem(file, line, f"YAML syntax error: {what}") from None
    except yaml.YAMLError as exc:
        raise Problem(file, 1, f"YAML error: {exc}") from None
    if node is None:
        raise Problem(file, 1, "the file is empty")
    src = Source(file, text, None)
    try:
        src.data = _build(node, (), src)
    except yaml.constructor.ConstructorError as exc:
        mark = exc.problem_mark
        raise Problem(file, mark.line + 1 if mark else 1, f"YAML error: {exc.problem}") from None
    return src


_constructor = yaml.SafeLoader(stream="")


def _build(node, path: Path_, src: Source) -> Any:
    src.lines[path] = (node.start_mark.line + 1, max(node.start_mark.line + 1, _last_line(node)))
    if isinstance(node, yaml.MappingNode):
        out: dict = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise Problem(src.file, key_node.start_mark.line + 1, "a key must be plain text")
            key = _constructor.construct_object(key_node, deep=True)
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise Problem(src.file, key_node.start_mark.line + 1, "merge keys (<<) are not supported; use include")
            if key in out:
                raise Problem(src.file, key_node.start_mark.line + 1, f"duplicate key {key!r}")
            src.key_lines[path + (key,)] = key_node.start_mark.line + 1
            out[key] = _build(value_node, path + (key,), src)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_build(item, path + (i,), src) for i, item in enumerate(node.value)]
    return _constructor.construct_object(node, deep=True)


def _last_line(node) -> int:
    """end_mark of a block node points past its last line; step back over a trailing newline."""
    end = node.end_mark
    return end.line + 1 if end.column > 0 else end.line
