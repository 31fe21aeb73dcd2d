"""One Mesa run told as a story (``events`` table): what each actor did, week by week."""
from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from .cast import Cast
from .common import missing, style

KIND_STYLE = {  # kind: (legend label, marker symbol, colour)
    "action": ("leader action", "circle", "#6baed6"),
    "rung": ("new rung", "square", "#fd8d3c"),
    "deploy": ("units deployed", "triangle-up", "#31a354"),
    "withdraw": ("units withdrawn", "triangle-down", "#a1d99b"),
    "event": ("scheduled event", "star", "#756bb1"),
    "clash": ("direct clash", "x", "#d62728"),
    "diverged": ("left numeric range", "x-thin", "#000000"),
}


def timeline_chart(events: pd.DataFrame, cast: Cast | None = None) -> go.Figure:
    """Events by actor and week with hover text; leaders' "hold" actions are left out as noise.

    Rung changes are shown only when the run has nothing else to tell. The ``cast``'s
    key actors come first, from the top.
    """
    title = "One run, week by week (Mesa narrative): events by actor"
    if (fig := missing(events, ("week", "actor", "kind", "detail"), title, "narrative events")) is not None:
        return fig
    shown = events[events["kind"] != "rung"] if (events["kind"] != "rung").any() else events
    shown = shown[~((shown["kind"] == "action") & shown["detail"].astype(str).str.endswith(": hold"))]
    if shown.empty:
        shown = events
    present = list(dict.fromkeys(shown["actor"]))
    key = (cast or Cast()).key_actors
    order = [a for a in key if a in present] + [a for a in present if a not in key]
    fig = go.Figure()
    for kind, d in shown.groupby("kind", sort=False):
        label, symbol, colour = KIND_STYLE.get(kind, (kind, "circle", "#636363"))
        extra = [_extra(row) for row in d.itertuples(index=False)]
        fig.add_trace(go.Scatter(
            x=d["week"], y=d["actor"], mode="markers", name=label, text=d["detail"], customdata=np.array(extra, dtype=object),
            marker=dict(symbol=symbol, size=11 if kind in ("clash", "event") else 9, color=colour,
                        line=dict(width=1, color="white")),
            hovertemplate="<b>week %{x}, %{y}</b><br>%{text}%{customdata}<extra>" + label + "</extra>"))
    clash_weeks = shown.loc[shown["kind"] == "clash", "week"]
    if len(clash_weeks):
        fig.add_vline(x=int(clash_weeks.min()), line=dict(color=KIND_STYLE["clash"][2], dash="dot"),
                      annotation_text="first clash", annotation_position="top")
    style(fig, title, "week", "actor", height=max(380, 120 + 22 * len(order)), legend_title="event")
    fig.update_yaxes(categoryorder="array", categoryarray=order[::-1], tickfont=dict(size=11))
    return fig


def _extra(row) -> str:
    parts = []
    goldstein = getattr(row, "goldstein", None)
    if goldstein is not None and not pd.isna(goldstein):
        parts.append(f"Goldstein score {goldstein:+.1f}")
    level = getattr(row, "level", None)
    if level is not None and not pd.isna(level):
        parts.append(f"level after the week {level:.2f}")
    return "<br>" + ", ".join(parts) if parts else ""
