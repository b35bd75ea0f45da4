"""Copies of the method table that live outside komet_sim, rendered from it.

The harness's conformance suite holds any Komet to the API's OpenAPI document; it reads a committed copy,
never the simulator's code, so a change to the contract shows in review. ASINFO stands for a grower's
system: it must not import the Komet simulator, so it keeps its own copy of the verbs it calls, as a real
client keeps what it learnt from the docs. Tests compare each copy with what
this module renders from the table; `python -m komet_sim.copies` rewrites them after a change.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from .methods import METHODS

ROOT = Path(__file__).resolve().parent.parent
ASINFO_METHODS = ROOT / "asinfo_sim" / "komet_methods.py"
KOMET_CONTRACT = ROOT / "harness" / "contract" / "komet-openapi.json"


def asinfo_methods() -> str:
    verbs = "".join(f'    "{m.name}": "{m.verb}",\n' for m in METHODS.values())
    query_posts = ", ".join(f'"{m.name}"' for m in METHODS.values() if m.in_query and m.verb == "POST")
    return (
        '"""How each Komet method is called: its HTTP verb, and the POSTs that take their parameters in the URL.\n'
        "\n"
        "Generated from komet_sim's method table by `python -m komet_sim.copies`; do not edit by hand. ASINFO\n"
        "does not import the Komet simulator (it can talk to a real Komet); tests/contract fails when this copy\n"
        "and the table disagree.\n"
        '"""\n'
        "\n"
        "VERBS: dict[str, str] = {\n"
        f"{verbs}"
        "}\n"
        f"QUERY_POSTS: frozenset[str] = frozenset({{{query_posts}}})\n"
        'GET_METHODS: frozenset[str] = frozenset(name for name, verb in VERBS.items() if verb == "GET")\n'
    )


def komet_contract() -> str:
    """The Komet API's OpenAPI document: the contract `kasim contract` holds any Komet to, reviewed in diffs."""
    from .api.openapi import api_document

    return json.dumps(api_document(), indent=1, ensure_ascii=False) + "\n"


COPIES = {ASINFO_METHODS: asinfo_methods, KOMET_CONTRACT: komet_contract}


def main() -> int:
    for path, render in COPIES.items():
        path.write_text(render())
        print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
