"""--report DIR: index.html with every scenario (status, timings, tags), each with its sequence diagram,
step timings, failure details, and links to the labels it printed. Failures come first; buttons show all,
only the failed, or one tag (a few lines of script; without it everything shows)."""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..engine import ScenarioResult
from .failure import failure_text
from .sequence import svg

CSS = """
body{font:14px/1.45 system-ui,sans-serif;margin:0;color:#1d2733;background:#f5f7fa}
header{background:#16324f;color:#fff;padding:14px 24px}header h1{margin:0;font-size:20px}
main{padding:18px 24px}table{border-collapse:collapse;background:#fff;width:100%}
td,th{padding:6px 10px;border-bottom:1px solid #e3e8ee;text-align:left;vertical-align:top}
.passed{color:#17803d}.failed,.error,.xpassed{color:#c0262d}.skipped,.xfailed{color:#a16207}
section{background:#fff;margin:18px 0;padding:14px 18px;border-radius:8px;box-shadow:0 1px 3px #0002}
pre{background:#0f1b2a;color:#e6edf3;padding:10px;border-radius:6px;white-space:pre-wrap;overflow-wrap:anywhere}
td{overflow-wrap:anywhere}p{overflow-wrap:anywhere}
.dim{color:#6b7785}.tag{background:#e8eef6;border-radius:10px;padding:1px 8px;margin-right:4px;font-size:12px}
svg.seq{background:#fcfdff;border:1px solid #e3e8ee;border-radius:6px;margin-top:8px}
.actor{fill:#16324f}.actortext{fill:#fff;font:bold 13px sans-serif;text-anchor:middle}
.life{stroke:#b8c4d2;stroke-dasharray:4 4}.call{stroke:#1d4f91;stroke-width:1.4}
.reply{stroke:#7a8796;stroke-width:1.1;stroke-dasharray:5 3}.bad{stroke:#c0262d}
.label{font:12px monospace;fill:#1d2733;stroke:none}.label.bad{fill:#c0262d}
.band{fill:#eef3f9}.step{font:bold 12px sans-serif;fill:#16324f}
.band.failedstep{fill:#fde3e4;stroke:#c0262d}.step.failedstep{fill:#c0262d}
nav.filter{margin:0 0 12px}nav.filter button{font:inherit;border:1px solid #b8c4d2;background:#fff;
border-radius:14px;padding:2px 12px;margin:0 6px 6px 0;cursor:pointer}
nav.filter button[aria-pressed=true]{background:#16324f;color:#fff;border-color:#16324f}
.note{fill:#fff4d6;stroke:#d9a400}.notetext{font:11px monospace;fill:#7a5600}
.bar{background:#4f7cbf;height:10px;display:inline-block;border-radius:3px}
"""

# data-show on a button: "all", "failed" or "tag:NAME"; rows and sections carry data-ok and data-tags.
SCRIPT = """
document.querySelectorAll('nav.filter button').forEach(function (button) {
  button.addEventListener('click', function () {
    var show = button.dataset.show;
    var tag = show.indexOf('tag:') === 0 ? ' ' + show.slice(4) + ' ' : null;
    document.querySelectorAll('nav.filter button').forEach(function (b) {
      b.setAttribute('aria-pressed', b === button ? 'true' : 'false');
    });
    document.querySelectorAll('[data-ok]').forEach(function (el) {
      var failed = el.dataset.ok === 'no';
      var tagged = tag !== null && (' ' + el.dataset.tags + ' ').indexOf(tag) >= 0;
      el.hidden = !(show === 'all' || (show === 'failed' && failed) || tagged);
    });
  });
});
"""


def write(
    report_dir: str | Path, results: list[ScenarioResult], seconds: float, title: str = "kasim run"
) -> Path:
    out = Path(report_dir)
    out.mkdir(parents=True, exist_ok=True)
    # failures first, each group in the order the scenarios ran; ids keep the run order
    order = sorted(range(len(results)), key=lambda i: results[i].ok)
    rows = []
    for i in order:
        r = results[i]
        tags = "".join(f"<span class='tag'>{escape(t)}</span>" for t in r.scenario.tags)
        rows.append(
            f"<tr {_filtered(r)}><td class='{r.status}'>{r.status}</td><td><a href='#s{i}'>"
            f"{escape(r.scenario.id)}</a><div class='dim'>{escape(r.scenario.file)}</div></td><td>{tags}</td>"
            f"<td>{r.seconds:.2f}s</td><td>{len(r.labels)}</td></tr>"
        )
    sections = [_section(i, results[i], out) for i in order]
    passed = sum(r.ok for r in results)
    html = (
        f"<!doctype html><html><head><meta charset='utf-8'><title>{escape(title)}</title><style>{CSS}</style>"
        f"</head><body><header><h1>{escape(title)}</h1><div>{passed}/{len(results)} passed in {seconds:.2f}s"
        f"</div></header><main>{_filters(results)}<table><tr><th>status</th><th>scenario</th><th>tags</th>"
        f"<th>time</th><th>labels</th></tr>{''.join(rows)}</table>{''.join(sections)}</main>"
        f"<script>{SCRIPT}</script></body></html>"
    )
    index = out / "index.html"
    index.write_text(html, encoding="utf-8")
    return index


def _filtered(r: ScenarioResult) -> str:
    """The attributes the filter buttons read."""
    return f"data-ok='{'yes' if r.ok else 'no'}' data-tags='{escape(' '.join(r.scenario.tags))}'"


def _filters(results: list[ScenarioResult]) -> str:
    failed = sum(not r.ok for r in results)
    tags = sorted({t for r in results for t in r.scenario.tags})
    buttons = [
        f"<button type='button' data-show='all' aria-pressed='true'>all ({len(results)})</button>",
        f"<button type='button' data-show='failed' aria-pressed='false'>failed ({failed})</button>",
    ] + [
        f"<button type='button' data-show='tag:{escape(t)}' aria-pressed='false'>{escape(t)} "
        f"({sum(t in r.scenario.tags for r in results)})</button>"
        for t in tags
    ]
    return f"<nav class='filter' aria-label='show'>{''.join(buttons)}</nav>"


def _section(i: int, r: ScenarioResult, out: Path) -> str:
    sc = r.scenario
    longest = max((s.seconds for s in r.steps), default=0) or 1
    steps = "".join(
        f"<tr><td class='{s.status}'>{s.status}</td><td>{escape(s.title)}</td>"
        f"<td class='dim'>{escape(s.step.file + ':' + str(s.step.first)) if s.step else ''}</td>"
        f"<td>{s.seconds * 1000:.0f} ms <span class='bar' style='width:{int(120 * s.seconds / longest)}px'></span></td>"
        "</tr>"
        for s in r.steps
    )
    failure = ""
    if r.failure:
        f = r.failure
        body = failure_text(f, r.journals, r.seed)
        failure = f"<h3 class='failed'>Failure</h3><pre>{escape(body)}</pre>"
    labels = "".join(
        f"<li><a href='{escape(_rel(p, out))}'>{escape(Path(p).name)}</a></li>" for p in r.labels
    )
    titles = {s.correlation: s.title for s in r.steps if s.correlation}
    failed_step = next((s.correlation for s in r.steps if s.status in ("failed", "error")), None)
    notes = "".join(f"<p class='dim'>{escape(n)}</p>" for n in r.notes)
    return (
        f"<section id='s{i}' {_filtered(r)}><h2 class='{r.status}'>{escape(sc.id)}</h2><p>{escape(sc.description)}</p>"
        f"<p class='dim'>{escape(sc.file)} · seed {r.seed} · {r.seconds:.2f}s</p>{notes}{failure}"
        f"<h3>Messages</h3>{svg(r.journals, titles, failed_step)}<h3>Steps</h3><table>{steps}</table>"
        f"{'<h3>Labels printed</h3><ul>' + labels + '</ul>' if labels else ''}</section>"
    )


def _rel(path: str, out: Path) -> str:
    try:
        return str(Path(path).resolve().relative_to(out.resolve()))
    except ValueError:
        return str(path)
