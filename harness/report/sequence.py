"""The messages between importer, Komet, ASINFO and grower as a sequence diagram (SVG), from the journals.

Arrows come from: the harness's importer actions and direct API calls (Komet journal, agent kasim-harness),
the grower's actions (ASINFO journal, inbound) and ASINFO's calls to Komet (ASINFO journal, outbound).
Faults Komet applied to ASINFO's calls are drawn as notes. In process the shared logical clock orders all."""

from __future__ import annotations

from html import escape

ACTORS = ["Importer", "Komet", "ASINFO", "Grower"]
X = {a: 90 + i * 210 for i, a in enumerate(ACTORS)}
ROW = 26


def events(journals: dict) -> list[dict]:
    out = []
    for e in journals.get("asinfo", []):
        req = e.get("request") or {}
        if e.get("lookup"):
            continue
        if e.get("direction") == "out":
            out += _pair(e, "ASINFO", "Komet", e.get("op") or req.get("path", ""), _komet_reply(e))
        else:
            out += _pair(e, "Grower", "ASINFO", f"{req.get('method')} {req.get('path')}", _status(e))
    for e in journals.get("komet", []):
        req = e.get("request") or {}
        path = req.get("path", "")
        if e.get("lookup"):
            continue
        if e.get("agent", "").startswith("asinfo-sim"):
            if e.get("fault") or e.get("duplicate"):
                what = e.get("fault") or "duplicate"
                out.append(
                    {
                        "t": e.get("begin", 0) + 0.5,
                        "kind": "note",
                        "actor": "Komet",
                        "label": f"fault: {what}",
                        "step": e.get("correlation"),
                    }
                )
            continue
        who = "Importer" if path.startswith("/__sim/komet") else "Grower"
        label = (
            path.replace("/__sim/komet", "").strip("/") if who == "Importer" else path.replace("/api/", "")
        )
        out += _pair(e, who, "Komet", f"{req.get('method')} {label}", _komet_reply(e))
    return _collapse(sorted(out, key=lambda ev: (_step_rank(ev.get("step")), ev["t"])))


def _step_rank(step: str | None) -> tuple:
    """Steps in scenario order first (world, step-1, step-2, ..., invariants): two served apps count their
    ticks apart, so ticks only order the messages within one step."""
    if step == "world":
        return (0, 0)
    if step and step.startswith("step-") and step[5:].isdigit():
        return (1, int(step[5:]))
    return (2, 0) if step == "invariants" else (3, 0)


def _collapse(evs: list[dict]) -> list[dict]:
    """A run of the same call with the same reply (the sync's one list per ship date) becomes one arrow ×N."""
    out: list[dict] = []
    i = 0
    while i < len(evs):
        call, reply = evs[i], evs[i + 1] if i + 1 < len(evs) else None
        n = 1
        if call["kind"] == "call" and reply and reply["kind"] == "reply":
            while (
                i + 2 * n + 1 < len(evs) and _same(evs[i + 2 * n], call) and _same(evs[i + 2 * n + 1], reply)
            ):
                n += 1
        if n > 1 and reply is not None:  # n > 1 only after a reply
            out += [{**call, "label": f"{call['label']} ×{n}"}, reply]
            i += 2 * n
        else:
            out.append(call)
            i += 1
    return out


def _same(a: dict, b: dict) -> bool:
    return all(a.get(k) == b.get(k) for k in ("kind", "src", "dst", "label", "step"))


def _pair(e: dict, src: str, dst: str, label: str, reply: str) -> list[dict]:
    step = e.get("correlation")
    first = {
        "t": e.get("begin", e.get("seq", 0)),
        "kind": "call",
        "src": src,
        "dst": dst,
        "label": label,
        "step": step,
    }
    back = {
        "t": e.get("end", e.get("seq", 0)),
        "kind": "reply",
        "src": dst,
        "dst": src,
        "label": reply,
        "step": step,
        "bad": reply.startswith(("✗", "5", "4")) or "status 0" in reply,
    }
    return [first, back]


def _status(e: dict) -> str:
    resp = e.get("response")
    if resp is None:
        return f"✗ {e.get('fault') or 'no reply'}"
    return str(resp.get("status"))


def _komet_reply(e: dict) -> str:
    resp = e.get("response")
    if resp is None:
        err = e.get("error") or {}
        return f"✗ {e.get('fault') or err.get('kind') or 'no reply'}"
    body = resp.get("body")
    if isinstance(body, dict) and "status" in body:
        if str(body["status"]) == "0":
            return f"status 0: {str(body.get('message'))[:60]}"
        return "status 1"
    return str(resp.get("status"))


def svg(journals: dict, step_titles: dict[str, str], failed_step: str | None = None) -> str:
    """The diagram; the step that failed (its correlation) has a red band, drawn even when it sent nothing."""
    evs = events(journals)
    if failed_step and not any(ev["step"] == failed_step for ev in evs):
        evs.append({"kind": "quiet", "step": failed_step, "t": 0, "label": "(no messages)"})
        evs.sort(key=lambda ev: _step_rank(ev.get("step")))  # stable: the rest keep their order
    if not evs:
        return "<p class='dim'>No messages were journaled.</p>"
    rows, y, last_step = [], 70, object()
    for ev in evs:
        if ev["step"] != last_step:
            last_step = ev["step"]
            title = step_titles.get(ev["step"] or "", ev["step"] or "")
            failed = ev["step"] is not None and ev["step"] == failed_step
            mark = " failedstep" if failed else ""
            rows.append(
                f"<rect x='4' y='{y - 14}' width='{X['Grower'] + 110}' height='20' class='band{mark}'/>"
                f"<text x='10' y='{y}' class='step{mark}'>{'✗ failed here: ' if failed else ''}"
                f"{escape(title)}</text>"
            )
            y += ROW
        if ev["kind"] == "quiet":
            rows.append(f"<text x='{X['Komet']}' y='{y}' class='notetext'>{escape(ev['label'])}</text>")
        elif ev["kind"] == "note":
            x = X[ev["actor"]]
            rows.append(
                f"<rect x='{x + 6}' y='{y - 13}' width='150' height='18' class='note'/>"
                f"<text x='{x + 12}' y='{y}' class='notetext'>{escape(ev['label'])}</text>"
            )
        else:
            x1, x2 = X[ev["src"]], X[ev["dst"]]
            cls = "reply bad" if ev.get("bad") else ("reply" if ev["kind"] == "reply" else "call")
            marker = "url(#head)"
            rows.append(f"<line x1='{x1}' y1='{y}' x2='{x2}' y2='{y}' class='{cls}' marker-end='{marker}'/>")
            tx = min(x1, x2) + 8
            rows.append(f"<text x='{tx}' y='{y - 4}' class='label {cls}'>{escape(ev['label'][:48])}</text>")
        y += ROW
    height = y + 20
    heads = "".join(
        f"<rect x='{X[a] - 55}' y='10' width='110' height='30' rx='6' class='actor'/>"
        f"<text x='{X[a]}' y='30' class='actortext'>{a}</text>"
        f"<line x1='{X[a]}' y1='40' x2='{X[a]}' y2='{height}' class='life'/>"
        for a in ACTORS
    )
    return (
        f"<svg xmlns='http://www.w3.org/2000/svg' width='{X['Grower'] + 120}' height='{height}' class='seq'>"
        "<defs><marker id='head' markerWidth='8' markerHeight='8' refX='8' refY='4' orient='auto'>"
        "<path d='M0,0 L8,4 L0,8 z' fill='#555'/></marker></defs>"
        f"{heads}{''.join(rows)}</svg>"
    )
