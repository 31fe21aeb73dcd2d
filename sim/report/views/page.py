"""A self-contained HTML page of figures: plotly.js inlined once, nothing fetched when it opens."""
from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from typing import Sequence

import plotly.graph_objects as go
import plotly.io as pio
from plotly.offline import get_plotlyjs

CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Helvetica,Arial,sans-serif;max-width:1300px;margin:auto;
     padding:1em 1.5em;color:#222;line-height:1.4}
h1{margin-bottom:.2em} h2{margin-top:1.6em;border-bottom:1px solid #ddd;padding-bottom:.2em}
dl.meta{display:grid;grid-template-columns:max-content auto max-content auto max-content auto;gap:.2em 1em;color:#444}
dl.meta dt{font-weight:600}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(200px,1fr));gap:.8em;margin:1em 0}
.card{background:#f4f6f8;border-radius:8px;padding:.7em .9em}
.card .value{font-size:1.6em;font-weight:650} .card .label{color:#555;font-size:.9em}
.card .ci{color:#666;font-size:.85em}
.tablewrap{max-width:100%;overflow-x:auto;margin:1em 0}
.tablewrap table{border-collapse:collapse} .tablewrap td,.tablewrap th{padding:.3em .8em;
     border-bottom:1px solid #e3e3e3;text-align:right;white-space:nowrap;vertical-align:top}
.tablewrap th{white-space:normal;max-width:12em} .tablewrap td:first-child,.tablewrap th:first-child{text-align:left}
p.answer{font-size:1.15em;background:#fff7e6;border-left:4px solid #e8a317;padding:.6em .9em;margin:.8em 0}
.banner{background:#fdecea;border-left:4px solid #c62828;padding:.6em .9em;margin:.8em 0}
ul.overrides{margin:.3em 0;color:#333} ul.overrides code{background:#f4f6f8;padding:0 .3em}
nav ol{columns:2;column-gap:3em;color:#555}
section.figure{margin:1.8em 0} .caption{color:#444;margin:.3em 0 0 .2em;font-size:.95em}
pre{background:#f7f7f7;padding:1em;overflow:auto;max-height:32em;font-size:.85em}
"""


@dataclass(frozen=True)
class FigureEntry:
    """A figure of a report: a short name (file names, anchors), the figure and a one-sentence caption."""
    name: str
    figure: go.Figure
    caption: str


def figure_html(entry: FigureEntry) -> str:
    fig = entry.figure
    div = pio.to_html(fig, include_plotlyjs=False, full_html=False, div_id=f"figure-{entry.name}", auto_play=False,
                      config={"displaylogo": False, "responsive": True, "toImageButtonOptions": {"width": 1400}})
    return (f'<section class="figure" id="{entry.name}">{div}'
            f'<p class="caption">{html.escape(entry.caption)}</p></section>')


def meta_list(pairs: Sequence[tuple[str, object]]) -> str:
    items = "".join(f"<dt>{html.escape(k)}</dt><dd>{html.escape(str(v))}</dd>" for k, v in pairs)
    return f'<dl class="meta">{items}</dl>'


def cards(items: Sequence[tuple[str, str, str]]) -> str:
    """Headline numbers as cards of (value, label, interval or note)."""
    body = "".join(f'<div class="card"><div class="value">{html.escape(v)}</div><div class="label">{html.escape(label)}'
                   f'</div><div class="ci">{html.escape(note)}</div></div>' for v, label, note in items)
    return f'<div class="cards">{body}</div>'


def table(header: Sequence[str], rows: Sequence[Sequence[object]], css: str = "headline") -> str:
    """A table that wraps its header and scrolls sideways inside the page rather than running off it."""
    head = "".join(f"<th>{html.escape(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in row) + "</tr>" for row in rows)
    return (f'<div class="tablewrap"><table class="{html.escape(css)}"><thead><tr>{head}</tr></thead>'
            f'<tbody>{body}</tbody></table></div>')


def config_block(title: str, config: dict | None) -> str:
    text = html.escape(json.dumps(config, indent=2)) if config else "(not stored)"
    return f"<details><summary>{html.escape(title)}</summary><pre>{text}</pre></details>"


def page(title: str, header: str, figures: Sequence[FigureEntry], footer: str) -> str:
    """The whole document: header HTML, a contents list, the figures with captions, then ``footer``."""
    headings = _headings(figures)
    contents = "".join(f'<li><a href="#{e.name}">{html.escape(h)}</a></li>' for e, h in zip(figures, headings))
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{html.escape(title)}</title><style>{CSS}</style>"
            f'<script type="text/javascript">{get_plotlyjs()}</script></head><body>'
            f"{header}<nav><h2>Figures</h2><ol>{contents}</ol></nav>"
            f"{''.join(figure_html(e) for e in figures)}{footer}</body></html>")


_CLOSING_NOTE = re.compile(r"\s+\([^()]*\)$")  # "... (95% Wilson band)", "(bars: probability; ...)"


def _headings(figures: Sequence[FigureEntry]) -> list[str]:
    """Contents entries: each title without its closing note, up to its colon; never two alike."""
    out: list[str] = []
    for entry in figures:
        full = _CLOSING_NOTE.sub("", entry.figure.layout.title.text or entry.name).strip()
        heading = _CLOSING_NOTE.sub("", full.split(": ")[0]).strip() or entry.name
        if heading in out:
            heading = full
        n = 2
        while heading in out:
            heading, n = f"{heading} ({n})", n + 1
        out.append(heading)
    return out
