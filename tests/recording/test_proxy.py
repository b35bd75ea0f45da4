"""kasim proxy: a grower pointed at it works as before, and every exchange is recorded with its tokens
redacted as stable placeholders."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import requests

from harness.cli import main
from harness.recording import format as fmt
from harness.recording import redaction
from harness.recording.proxy import RecordingProxy, forward_url, method_of

LIBRARY = Path(__file__).resolve().parents[2] / "scenarios"


def test_asinfo_through_the_proxy_runs_a_whole_flow_and_every_call_is_recorded(komet, recorder, capsys):
    proxy_server, proxy, out = recorder
    scenario = str(LIBRARY / "partial-confirmation-split.yaml")
    assert main(["run", scenario, "--komet-url", proxy_server.url, "--no-progress"]) == 0, (
        capsys.readouterr().out
    )
    rec = fmt.read(out)
    assert rec.problems == []
    methods = [e.method for e in rec.exchanges]
    assert {"purchase.order.list", "purchase.order.item.confirm", "purchase.order.items.awb.add"} <= set(
        methods
    )
    assert proxy.recorded == len(rec.exchanges) and proxy.simulator
    # No token in the file; the grower's calls all carry one placeholder; the company ID is kept.
    # (the scenario removed its company when it passed: its tokens are looked for by their shape, K4)
    text = out.read_text()
    assert "authenticationToken" in text and re.findall(r"\b[a-z0-9]{26}\b", text) == []
    grower = {e.token for e in rec.exchanges if e.method == "purchase.order.item.confirm"}
    assert len(grower) == 1 and redaction.is_placeholder(grower.pop())
    assert all(e.request.get("account") for e in rec.exchanges)
    for e in rec.exchanges:  # the simulator's time, the reply's bytes as a digest
        assert e.data["serverTime"].startswith("2026-03-0")
        raw = json.dumps(e.body, ensure_ascii=False).encode()
        assert e.reply["sha256"] == hashlib.sha256(raw).hexdigest() and e.reply["bytes"] == len(raw)


def test_the_proxy_passes_status_headers_and_non_api_paths_unchanged(komet, recorder):
    proxy_server, _, out = recorder
    wrong_verb = requests.post(f"{proxy_server.url}/api/purchase.order.list", json={}, timeout=10)
    direct = requests.post(f"{komet.url}/api/purchase.order.list", json={}, timeout=10)
    assert (wrong_verb.status_code, wrong_verb.headers["Allow"], wrong_verb.content) == (
        direct.status_code,
        direct.headers["Allow"],
        direct.content,
    )
    health = requests.get(f"{proxy_server.url}/__sim/health", timeout=10)
    assert health.json()["app"] == "komet"
    rec = fmt.read(out)
    assert [e.method for e in rec.exchanges] == ["purchase.order.list"]  # /__sim is forwarded, not recorded
    assert rec.exchanges[0].reply["status"] == 405


def test_a_target_that_does_not_answer_is_a_502_and_is_recorded(tmp_path):
    out = tmp_path / "r.jsonl"
    writer = fmt.Writer(out, fmt.header("http://127.0.0.1:9", "2026-03-02T08:00:00Z", "tests"))
    app = RecordingProxy("http://127.0.0.1:9", writer, timeout=2)
    reply = app_call(app, "/api/vendor.list?authenticationToken=secret-token-value")
    writer.close()
    assert reply[0].startswith("502") and json.loads(reply[1])["status"] == "0"
    rec = fmt.read(out)
    (e,) = rec.exchanges
    assert e.reply is None and "no reply" in e.data["error"]
    assert e.request["query"]["authenticationToken"] == redaction.placeholder("secret-token-value")
    assert "secret-token-value" not in out.read_text()


def app_call(app, path: str) -> tuple[str, bytes]:
    from werkzeug.test import Client

    resp = Client(app).get(path)
    return resp.status, resp.data


def test_placeholders_are_stable_and_link_a_login_key_to_its_calls():
    key = "abcdefghijklmnopqrstuvwxyz"
    login_reply = redaction.redact({"status": 1, "message": "OK", "apiKey": key})
    call = redaction.redact({"authenticationToken": key, "date": "2026-03-03"})
    assert login_reply["apiKey"] == call["authenticationToken"] == redaction.placeholder(key)
    assert redaction.redact(call) == call  # a placeholder is never hashed again
    assert redaction.redact({"username": "a@b", "password": "komet123"})["password"] == "[redacted]"
    assert redaction.redact({"authenticationToken": ""}) == {"authenticationToken": ""}
    assert redaction.placeholder(key) != redaction.placeholder(key[::-1])


def test_forwarding_keeps_the_path_and_never_doubles_api():
    assert forward_url("http://k:5001", "/api/vendor.list") == "http://k:5001/api/vendor.list"
    assert (
        forward_url("https://komet.example/api", "/api/vendor.list")
        == "https://komet.example/api/vendor.list"
    )
    assert (
        forward_url("https://komet.example/api/", "/vendor.list") == "https://komet.example/api/vendor.list"
    )
    assert method_of("/api/purchase.order.list") == "purchase.order.list"
    assert method_of("/v2/api/box.code.change") == "box.code.change"
    assert method_of("/__sim/health") is None


def test_recording_show_summarises_methods_pos_lines_and_errors(komet, recorder, capsys):
    proxy_server, _, out = recorder
    scenario = str(LIBRARY / "partial-confirmation-split.yaml")
    assert main(["run", scenario, "--komet-url", proxy_server.url, "--no-progress"]) == 0
    requests.get(f"{proxy_server.url}/api/purchase.order.list", params={"date": "2026-03-03"}, timeout=10)
    capsys.readouterr()
    assert main(["recording", "show", str(out)]) == 0
    shown = capsys.readouterr().out
    assert "format version 1" in shown and "purchase.order.items.awb.add" in shown
    assert "POs: 1 (10001)" in shown and "AWBs: 729-" in shown and "lines: " in shown
    assert "refusals and errors: 1" in shown and "authenticationToken" in shown  # the call without a token


def test_a_file_that_is_not_a_recording_is_named_by_line(tmp_path, capsys):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"format": "kasim-recording", "version": 1}\n{"seq": 1, "at": "x"}\nnot json\n')
    rec = fmt.read(bad)
    assert sorted({p.line for p in rec.problems}) == [2, 3]
    assert any("method" in p.message for p in rec.problems)
    assert main(["recording", "show", str(bad)]) == 2
    assert f"{bad}:3: not JSON" in capsys.readouterr().out
    future = tmp_path / "future.jsonl"
    future.write_text('{"format": "kasim-recording", "version": 2}\n')
    assert "reads version 1 only" in str(fmt.read(future).problems[0])


def test_a_recording_is_continued_never_overwritten(tmp_path):
    out = tmp_path / "r.jsonl"
    head = fmt.header("http://k", "2026-03-02T08:00:00Z", "tests")
    exchange = {
        "at": "2026-03-02T08:00:00.000Z",
        "method": "vendor.list",
        "token": None,
        "request": {"verb": "GET", "path": "/api/vendor.list"},
        "reply": None,
        "error": "x",
    }
    w = fmt.Writer(out, head)
    w.append(exchange)
    w.close()
    w = fmt.Writer(out, head)
    assert w.append(exchange)["seq"] == 2
    w.close()
    assert [e.seq for e in fmt.read(out).exchanges] == [1, 2]
    other = tmp_path / "notes.txt"
    other.write_text("my notes\n")
    try:
        fmt.Writer(other, head)
    except ValueError as exc:
        assert "not a kasim recording" in str(exc)
    else:
        raise AssertionError("an existing file that is not a recording must be refused")
    assert other.read_text() == "my notes\n"
