"""An OpenAPI document as a contract: find the operation a request hit and the schema its reply must meet.

Used by the conformance suite (against any Komet), the journal replay test and the Pact export. It reads a
document (a file, a URL's JSON, or a dict) and never the code that serves it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import jsonschema

Schema = dict[str, Any]
KOMET_DOCUMENT = Path(__file__).with_name("komet-openapi.json")


def _pointer(doc: Schema, ref: str) -> Schema:
    node: Any = doc
    for part in ref.lstrip("#/").split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def inline(schema: Any, doc: Schema) -> Any:
    """The schema with every local $ref replaced by what it points at (the documents have no cycles)."""
    if isinstance(schema, dict):
        if "$ref" in schema and str(schema["$ref"]).startswith("#/"):
            return inline(_pointer(doc, schema["$ref"]), doc)
        return {k: inline(v, doc) for k, v in schema.items()}
    if isinstance(schema, list):
        return [inline(v, doc) for v in schema]
    return schema


@dataclass(frozen=True)
class Violation:
    where: str  # "GET /api/product.list → 200"
    path: str  # the JSON path inside the body
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.path or '(body)'}: {self.message}"


class Contract:
    def __init__(self, doc: Schema):
        self.doc = doc

    @classmethod
    def load(cls, path: str | Path = KOMET_DOCUMENT) -> Contract:
        return cls(json.loads(Path(path).read_text()))

    @cached_property
    def _templates(self) -> list[tuple[re.Pattern, str]]:
        out = []
        for path in self.doc["paths"]:
            pattern = re.escape(path)
            pattern = re.sub(r"\\\{[^}]+\\\}", r"[^/]+", pattern)
            out.append((re.compile(f"^{pattern}$"), path))
        # Literal paths before templated ones: /a/b beats /a/{x}.
        return sorted(out, key=lambda t: t[1].count("{"))

    def operation(self, verb: str, path: str) -> tuple[str, Schema] | None:
        """(path template, operation) for a request, or None when the document does not describe it."""
        bare = path.split("?", 1)[0]
        for pattern, template in self._templates:
            if pattern.match(bare):
                op = self.doc["paths"][template].get(verb.lower())
                if op is not None:
                    return template, op
        return None

    def response_schema(self, op: Schema, status: int, body_hint: Any = None) -> Schema | None:
        responses = op.get("responses", {})
        chosen = (
            responses.get(str(status)) or responses.get(f"{str(status)[0]}XX") or responses.get("default")
        )
        if chosen is None:
            return None
        content = inline(chosen, self.doc).get("content", {})
        if not isinstance(body_hint, str):
            media = content.get("application/json") or next(iter(content.values()), None)
        else:  # a text body: the first text media the operation documents, else its JSON (a violation)
            texts = [v for k, v in content.items() if k.startswith("text/")]
            media = texts[0] if texts else content.get("application/json")
        return media.get("schema") if media else None

    def check(self, verb: str, path: str, status: int, body: Any) -> list[Violation]:
        """Every way a reply breaks the document (an undescribed operation or status is one violation)."""
        where = f"{verb} {path.split('?', 1)[0]} → {status}"
        found = self.operation(verb, path)
        if found is None:
            return [Violation(where, "", "the document describes no such operation")]
        schema = self.response_schema(found[1], status, body)
        if schema is None:
            return [Violation(where, "", f"the document gives no reply for HTTP {status}")]
        validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
        out = []
        for err in sorted(validator.iter_errors(body), key=lambda e: list(map(str, e.absolute_path))):
            # Of oneOf's alternatives, the error deepest in the body says what is wrong.
            best = max(err.context, key=lambda e: len(e.absolute_path)) if err.context else err
            out.append(Violation(where, "/".join(str(p) for p in best.absolute_path), best.message[:300]))
        return out
