"""One failure, as text: where, the YAML lines, what was expected and found, the variables in scope, the
seed, the last requests of both journals (the actors', not the harness's own lookups), and the replay
command. The console, pytest, JUnit XML and the HTML report all print these same lines."""

from __future__ import annotations

from typing import Any


def describe(e: dict) -> str:
    """One journal entry on one line: #seq VERB path → outcome."""
    req, resp = e.get("request") or {}, e.get("response")
    arrow = "→" if e.get("direction") != "out" else "⇒ komet"
    if resp is None:
        outcome = e.get("fault") or (e.get("error") or {}).get("kind") or "no reply"
    else:
        body = resp.get("body")
        status = body.get("status") if isinstance(body, dict) else None
        msg = body.get("message") if isinstance(body, dict) else None
        outcome = (
            f"{resp.get('status')}"
            + (f" status={status}" if status is not None else "")
            + (f" {msg!r}" if msg and status in ("0", 0) else "")
            + (f" [{e['fault']}]" if e.get("fault") else "")
        )
    return f"#{e['seq']} {req.get('method')} {req.get('path')} {arrow} {outcome}"


def last_requests(journals: dict, app: str, n: int = 4) -> list[dict]:
    """What the actors last did on `app`: lookups the harness made to resolve references are left out, and
    Komet's copy of ASINFO's calls too (ASINFO's own journal shows them, with the outcome ASINFO saw)."""
    entries = [e for e in journals.get(app, []) if not e.get("lookup")]
    if app == "komet":
        entries = [e for e in entries if not str(e.get("agent", "")).startswith("asinfo-sim")]
    return entries[-n:]


def failure_lines(failure: dict, journals: dict, seed: int) -> list[tuple[str, str]]:
    """(kind, text) pairs: kind is one of head, yaml, message, detail, section, item, replay."""
    out: list[tuple[str, Any]] = [
        ("head", f"{failure['where']}  step: {failure['step'] or 'setup'}  (seed {seed})")
    ]
    if failure.get("excerpt"):
        out.append(("yaml", failure["excerpt"]))
    out.append(("message", failure["message"]))
    out += [("detail", f"  {d}") for d in failure["details"]]
    if failure["vars"]:
        out.append(("section", "variables in scope"))
        out += [("item", f"  {k} = {v}") for k, v in failure["vars"].items()]
    for app in ("komet", "asinfo"):
        entries = last_requests(journals, app)
        if entries:
            out.append(("section", f"last requests to {app}"))
            out += [("item", f"  {describe(e)}") for e in entries]
    out.append(("replay", f"replay: {failure['replay']}"))
    return out


def failure_text(failure: dict, journals: dict, seed: int) -> str:
    return "\n".join(text for _, text in failure_lines(failure, journals, seed))
