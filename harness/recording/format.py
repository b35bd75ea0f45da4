"""The recording file: JSON Lines, a header line then one line per exchange (docs/recording-format.md).

The format is versioned (`version` in the header); a reader refuses a version it does not know rather than
guessing. The JSON Schemas below are the format's one definition: the proxy's lines are checked against them
in the tests, and every file read is checked against them, each problem reported as file:line.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from jsonschema import Draft202012Validator

from ..source import Problem

FORMAT = "kasim-recording"
VERSION = 1

HEADER_SCHEMA: dict = {
    "type": "object",
    "required": ["format", "version"],
    "properties": {
        "format": {"const": FORMAT},
        "version": {"type": "integer"},
        "target": {"type": "string"},
        "startedAt": {"type": "string"},
        "recordedBy": {"type": "string"},
    },
}
EXCHANGE_SCHEMA: dict = {
    "type": "object",
    "required": ["seq", "at", "method", "request"],
    "properties": {
        "seq": {"type": "integer", "minimum": 1},
        "at": {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}"},
        "ms": {"type": "number", "minimum": 0},
        "serverTime": {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$"},
        "method": {"type": ["string", "null"]},
        "token": {"type": ["string", "null"]},
        "request": {
            "type": "object",
            "required": ["verb", "path"],
            "properties": {
                "verb": {"type": "string"},
                "path": {"type": "string"},
                "query": {
                    "type": "object",
                    "additionalProperties": {
                        "anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]
                    },
                },
                "body": {},
                "account": {"type": "string"},
            },
        },
        "reply": {
            "type": ["object", "null"],
            "required": ["status"],
            "properties": {
                "status": {"type": "integer"},
                "contentType": {"type": ["string", "null"]},
                "body": {},
                "bytes": {"type": "integer", "minimum": 0},
                "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
            },
        },
        "error": {"type": "string"},
    },
}
_HEADER = Draft202012Validator(HEADER_SCHEMA)
_EXCHANGE = Draft202012Validator(EXCHANGE_SCHEMA)


@dataclass
class Exchange:
    """One recorded call and what came back; `line` is where it is in its file."""

    data: dict
    line: int = 0
    file: str = ""

    @property
    def seq(self) -> int:
        return int(self.data["seq"])

    @property
    def method(self) -> str | None:
        return self.data.get("method")

    @property
    def at(self) -> str:
        return self.data["at"]

    @property
    def time(self) -> str:
        """The server's time of the call when it told it (a kasim simulator), else the proxy's, to the second."""
        return self.data.get("serverTime") or self.at[:19]

    @property
    def token(self) -> str | None:
        return self.data.get("token")

    @property
    def request(self) -> dict:
        return self.data["request"]

    @property
    def reply(self) -> dict | None:
        return self.data.get("reply")

    @property
    def body(self) -> Any:
        return (self.reply or {}).get("body")

    @property
    def params(self) -> dict:
        """The call's parameters as the method sees them: the query, then the JSON body (which wins), without
        the token."""
        out: dict = dict(self.request.get("query") or {})
        if isinstance(self.request.get("body"), dict):
            out.update(self.request["body"])
        out.pop("authenticationToken", None)
        return out

    @property
    def ok(self) -> bool:
        return isinstance(self.body, dict) and str(self.body.get("status")) == "1"

    @property
    def refused(self) -> bool:
        return isinstance(self.body, dict) and str(self.body.get("status")) == "0"

    @property
    def message(self) -> str:
        return str(self.body.get("message")) if isinstance(self.body, dict) else ""

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass
class Recording:
    file: str
    header: dict = field(default_factory=dict)
    exchanges: list[Exchange] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def _problems(validator: Draft202012Validator, value: Any, file: str, line: int) -> list[Problem]:
    out = []
    for err in sorted(validator.iter_errors(value), key=lambda e: list(map(str, e.absolute_path))):
        where = ".".join(str(p) for p in err.absolute_path) or "line"
        out.append(Problem(file, line, f"{where}: {err.message}"))
    return out


def is_recording(first_line: str) -> bool:
    try:
        head = json.loads(first_line)
    except ValueError:
        return False
    return isinstance(head, dict) and head.get("format") == FORMAT


def parse(text: str, file: str) -> Recording:
    """A recording's text: its header, its exchanges, and every problem (file:line) in it."""
    rec = Recording(file)
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        rec.problems.append(Problem(file, 1, f"empty: a recording starts with its header line ({FORMAT})"))
        return rec
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        try:
            data = json.loads(raw)
        except ValueError as exc:
            rec.problems.append(Problem(file, number, f"not JSON: {exc}"))
            continue
        if number == 1:
            rec.header = data if isinstance(data, dict) else {}
            found = _problems(_HEADER, data, file, number)
            if found:
                rec.problems += found
                return rec
            if data["version"] != VERSION:
                rec.problems.append(
                    Problem(file, 1, f"version {data['version']}: this kasim reads version {VERSION} only")
                )
                return rec
            continue
        found = _problems(_EXCHANGE, data, file, number)
        if found:
            rec.problems += found
            continue
        rec.exchanges.append(Exchange(data, number, file))
    return rec


def read(path: str | Path) -> Recording:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        rec = Recording(str(path))
        rec.problems.append(Problem(str(path), 1, f"cannot read: {exc}"))
        return rec
    return parse(text, str(path))


def header(target: str, started: str, recorded_by: str) -> dict:
    return {
        "format": FORMAT,
        "version": VERSION,
        "target": target,
        "startedAt": started,
        "recordedBy": recorded_by,
    }


def dumps(data: dict) -> str:
    """One line of the file: compact, non-ASCII kept as it is (replies are compared byte for byte later)."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


class Writer:
    """Appends exchanges to a recording, one flushed line each (a stopped proxy loses nothing it answered).

    An existing recording of this version is continued (its sequence numbers go on); anything else is
    refused, never overwritten."""

    def __init__(self, path: str | Path, head: dict):
        self.path = Path(path)
        self._lock = threading.Lock()
        self.seq = 0
        existing = self.path.read_text(encoding="utf-8") if self.path.exists() else ""
        if existing.strip():
            rec = parse(existing, str(self.path))
            if rec.problems:
                raise ValueError(
                    f"{rec.problems[0]} (not a kasim recording to continue; choose another --out)"
                )
            self.seq = max((e.seq for e in rec.exchanges), default=0)
        else:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self._file: IO[str] = self.path.open("a", encoding="utf-8")
        if not existing.strip():
            self._write(head)

    def _write(self, data: dict) -> None:
        self._file.write(dumps(data) + "\n")
        self._file.flush()

    def append(self, exchange: dict) -> dict:
        with self._lock:
            self.seq += 1
            line = {"seq": self.seq, **exchange}
            self._write(line)
            return line

    def close(self) -> None:
        with self._lock:
            self._file.close()
