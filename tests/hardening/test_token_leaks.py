"""No token in any output (docs/decisions.md S3): the journal blanks every token the world holds by value,
however a request spelt or placed it; a failed scenario's console, JUnit and HTML output show none; the
verbose server log neither."""

from __future__ import annotations

import io
import json
import logging
from pathlib import Path

import pytest
import requests
from rich.console import Console

from harness.clients import KometSimClient
from harness.engine import run_scenario
from harness.report import console as console_report
from harness.report import html, junit
from harness.scenario import load_file
from harness.topology import Topology
from simkit.server import ServerThread


@pytest.fixture
def komet(komet_app) -> KometSimClient:
    return KometSimClient("http://komet.test", app=komet_app)


@pytest.fixture
def token(komet) -> str:
    return komet.create_token(type="Company", methods="all", description="leak test")["token"]


def _journal_text(komet) -> str:
    return json.dumps(komet.journal()["entries"])


@pytest.mark.parametrize(
    ("ctype", "body"),
    [
        ("application/x-www-form-urlencoded", '{{"authenticationToken": "{t}", "poItemId": 1}}'),
        ("application/json", '{{"authenticationTok\\u0065n": "{t}", "poItemId": 1}}'),
        ("application/json", '{{"authenticationToken": "{t}", "note": "{t}", "unknownKey": ["{t}"]}}'),
        ("text/plain", "garbage {t} garbage"),
    ],
    ids=["form-encoded-json", "escaped-key", "unknown-key", "text"],
)
def test_a_token_in_a_request_body_never_reaches_the_journal(komet, token, ctype, body):
    komet.request(
        "POST",
        "/api/purchase.order.item.confirm",
        data=body.format(t=token).encode(),
        headers={"Content-Type": ctype},
    )
    assert "/api/purchase.order.item.confirm" in _journal_text(komet)
    assert token not in _journal_text(komet)


@pytest.mark.parametrize(
    "query",
    [
        "date=2026-11-27;authenticationToken={t}",
        "x={t}&date=2026-11-27",
        "authenticationToken={t}&date=2026-11-27",
    ],
    ids=["semicolon", "unknown-key", "plain"],
)
def test_a_token_in_a_query_string_never_reaches_the_journal(komet, token, query):
    komet.request("GET", "/api/purchase.order.list?" + query.format(t=token))
    assert "/api/purchase.order.list" in _journal_text(komet)
    assert token not in _journal_text(komet)


def test_a_token_in_a_reply_never_reaches_the_journal(komet):
    """The importer's action that makes a token answers it: the journal shows it blanked."""
    made = komet.create_token(type="Company", methods="all", description="answered")["token"]
    assert "/__sim/komet/tokens" in _journal_text(komet)
    assert made not in _journal_text(komet)


def test_the_verbose_server_log_shows_no_token(komet_app, token, caplog):
    with (
        caplog.at_level(logging.INFO, logger="kasim.server"),
        ServerThread(komet_app, verbose=True) as server,
    ):
        requests.get(f"{server.url}/api/carrier.list?x={token}", timeout=5)
    assert "/api/carrier.list" in caplog.text
    assert token not in caplog.text


SAVES_AND_FAILS = """\
name: Saves a token then fails
seed: 5
world:
  komet: {vendors: 1, shipDays: 1, posPerDay: 1, linesPerPo: 1}
steps:
  - komet.create_token: {type: Company, methods: all}
    save: token
  - komet.call: {method: carrier.list, token: "${token}"}
    save: {reply: status}
  - check: {value: "${token}"}
    expect: {token: "certainly not this"}
"""


def test_a_failed_scenario_that_saved_a_token_prints_none(tmp_path: Path):
    (tmp_path / "fails.yaml").write_text(SAVES_AND_FAILS, encoding="utf-8")
    kept = []

    def factory(seed: int, plant=None) -> Topology:
        kept.append(Topology.in_process(seed=seed))
        return kept[-1]

    result = run_scenario(load_file(tmp_path / "fails.yaml")[0], factory)
    assert result.status == "failed"
    apps = kept[0].apps
    assert apps is not None
    token = apps[0].extensions["kasim.world"].store.one("SELECT token FROM tokens")["token"]
    stream = io.StringIO()
    console_report.failure(Console(file=stream, width=200, color_system=None), result)
    junit.write(tmp_path / "junit.xml", [result], 1.0)
    index = html.write(tmp_path / "report", [result], 1.0)
    outputs = {
        "console": stream.getvalue(),
        "junit": (tmp_path / "junit.xml").read_text(encoding="utf-8"),
        "html": index.read_text(encoding="utf-8"),
    }
    for name, text in outputs.items():
        assert "certainly not this" in text, name  # the failure is there...
        assert token not in text, f"the token is in the {name} output"  # ...the token is not


def test_a_value_sent_under_a_secret_key_is_blanked_wherever_else_the_request_repeats_it(komet):
    """Not a token of this world, but sent as one: the journal hides it everywhere in that entry."""
    guess = "q" * 26
    body = {"authenticationToken": guess, "poItemId": 1, "quantityConfirmed": 1, "comment": f"see {guess}"}
    komet.request("POST", "/api/purchase.order.item.confirm", json=body)
    text = _journal_text(komet)
    assert "/api/purchase.order.item.confirm" in text and guess not in text


@pytest.mark.parametrize(
    ("secret", "body"),
    [
        (str(2**63), {"authenticationToken": 2**63, "poItemId": 2**63}),  # a number elsewhere in the entry
        ('", "app": "komet', {"authenticationToken": '", "app": "komet'}),  # the entry's own JSON around it
        ("n12345678", {"authenticationToken": "n12345678", "comment": "a\n12345678"}),  # inside an escape
    ],
    ids=["number", "json-structure", "escape"],
)
def test_a_secret_that_matches_the_entrys_json_leaves_the_journal_readable(komet, secret, body):
    """Blanking by value works on the entry's values, never on the JSON text around them: a secret that also
    spells part of that text would otherwise leave an entry no reader can parse (every journal read a 500)."""
    komet.request("POST", "/api/purchase.order.item.confirm", json=body)
    reply = komet.request("GET", "/__sim/journal")
    assert reply.status_code == 200, reply.text
    entry = reply.json()["entries"][-1]
    assert entry["app"] == "komet" and entry["request"]["path"] == "/api/purchase.order.item.confirm"
    assert not [v for v in _scalars(entry) if secret in v]


def _scalars(value) -> list[str]:
    """Every key and value of a parsed entry, as text (the JSON around them may spell anything)."""
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in (str(k), *_scalars(v))]
    if isinstance(value, list):
        return [s for v in value for s in _scalars(v)]
    return [str(value)]
