"""Shared pieces of every view: colours per actor, bloc, rung and scenario; quantile columns; messages; layout."""
from __future__ import annotations

from typing import Iterable, Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.colors import qualitative, sample_colorscale

from sim.results import columns as col
from .cast import Cast

# The median and the bounds of the 50% and 90% bands; the names come from the result tables.
BAND_QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)


def quantile_columns(of: str = "") -> tuple[str, str, str, str, str]:
    """Columns of the band quantiles (5%, 25%, median, 75%, 95%), of the levels or of ``of``."""
    return tuple(col.quantile(q, of) for q in BAND_QUANTILES)


# Roles keep their colour in every figure and every scenario, so a reader can carry
# "the adversary is red" from one figure to the next; the other key actors (states with
# a leader) take the next colours in the scenario's order of leaders.
ROLE_COLOURS = {"adversary": "#d62728", "guarantor": "#1f77b4", "coalition_lead": "#17becf"}
KEY_PALETTE = ["#9467bd", "#e377c2", "#7f7f7f", "#8c564b", "#ff7f0e"]
_RESERVED = {c.lower() for c in [*ROLE_COLOURS.values(), *KEY_PALETTE]}
_OTHER_PALETTE = [c for c in qualitative.Dark24 + qualitative.Alphabet if c.lower() not in _RESERVED]
# Blocs: the adversary's red, the guarantor's blue, the others green, purple, ...
BLOC_PALETTE = ["#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2"]
OTHER_BLOC = "#bcbd22"
SCENARIO_PALETTE = qualitative.Safe
FONT = dict(family="system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif", size=13)


def actor_colours(actors: Sequence[str], cast: Cast | None = None) -> dict[str, str]:
    """A stable colour per actor: by role, then the other key actors, then the rest in the order given.

    Pass the run's full actor list (the manifest's ``actors``) so that an actor
    outside the key set keeps one colour across every figure of a report.
    """
    cast = cast or Cast()
    colours = {getattr(cast, r): c for r, c in ROLE_COLOURS.items() if getattr(cast, r)}
    key = [a for a in cast.key_actors if a not in colours][:len(KEY_PALETTE)]
    colours.update(zip(key, KEY_PALETTE))
    others = [a for a in dict.fromkeys(actors) if a not in colours]
    colours.update({a: _OTHER_PALETTE[i % len(_OTHER_PALETTE)] for i, a in enumerate(others)})
    return colours


def bloc_colours(blocs: Sequence[str], cast: Cast | None = None) -> dict[str, str]:
    """A colour per bloc: the adversary's red and the guarantor's blue, the others in the order given."""
    cast = cast or Cast()
    colours = {cast.blocs.get(getattr(cast, r) or ""): ROLE_COLOURS[r] for r in ("guarantor", "adversary")}
    colours.pop(None, None)
    others = [b for b in dict.fromkeys(blocs) if b not in colours]
    colours.update({b: BLOC_PALETTE[i] if i < len(BLOC_PALETTE) else OTHER_BLOC for i, b in enumerate(others)})
    return colours


def scenario_colours(labels: Sequence[str]) -> dict[str, str]:
    return {s: SCENARIO_PALETTE[i % len(SCENARIO_PALETTE)] for i, s in enumerate(dict.fromkeys(labels))}


# Severity from calm blue through green and amber to red and violet: neighbouring rungs
# differ in hue, not only in shade, so their crossing curves stay apart.
RUNG_SCALE = ["#9e9e9e", "#4575b4", "#74add1", "#1a9850", "#f0a202", "#e6550d", "#b2182b", "#762a83", "#3f007d"]


def rung_colours(n_rungs: int) -> list[str]:
    """A colour per rung, the same in every figure for a ladder of the same length."""
    if n_rungs <= 1:
        return RUNG_SCALE[:n_rungs]
    scale = [[i / (len(RUNG_SCALE) - 1), c] for i, c in enumerate(RUNG_SCALE)]
    return sample_colorscale(scale, [r / (n_rungs - 1) for r in range(n_rungs)])


def rung_label(r: int, name: str) -> str:
    return f"{r} {name}"


def rgba(colour: str, alpha: float) -> str:
    """``#rrggbb`` or ``rgb(r, g, b)`` with the given opacity."""
    if colour.startswith("rgb"):
        r, g, b = (int(float(v)) for v in colour[colour.index("(") + 1:colour.index(")")].split(",")[:3])
    else:
        h = colour.lstrip("#")
        r, g, b = (int(h[i:i + 2], 16) for i in (0, 2, 4))
    return f"rgba({r},{g},{b},{alpha})"


def message_figure(text: str, title: str = "") -> go.Figure:
    """A figure that says why there is nothing to plot (empty input, a missing column)."""
    fig = go.Figure()
    fig.add_annotation(text=text, showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper", font=dict(size=16))
    fig.update_layout(title=title, xaxis=dict(visible=False), yaxis=dict(visible=False), height=300,
                      template="plotly_white", font=FONT)
    return fig


def missing(table: pd.DataFrame | None, columns: Iterable[str], title: str, what: str = "replicates") -> go.Figure | None:
    """A message figure when ``table`` is empty or lacks ``columns``; None when it can be plotted."""
    if table is None or len(table) == 0:
        return message_figure(f"No {what} to show.", title)
    absent = [c for c in columns if c not in table.columns]
    if absent:
        return message_figure(f"No {what} to show: the table lacks {', '.join(absent)}.", title)
    return None


def band(x, lower, upper, colour: str, alpha: float, **kw) -> go.Scatter:
    """A filled band between two curves, drawn as one closed polygon (hover off)."""
    x = list(x)
    # Four decimals are far below what the eye or the Monte Carlo error resolves, and keep pages small.
    upper, lower = np.round(np.asarray(upper, float), 4), np.round(np.asarray(lower, float), 4)
    return go.Scatter(x=x + x[::-1], y=list(upper) + list(lower[::-1]), fill="toself", fillcolor=rgba(colour, alpha),
                      line=dict(width=0), hoverinfo="skip", showlegend=False, **kw)


def style(fig: go.Figure, title: str, xaxis_title: str, yaxis_title: str, height: int = 460,
          legend_title: str | None = None, legend: str = "right") -> go.Figure:
    """One look for every figure: white template, units in axis titles, legend outside the data.

    ``legend="top"`` puts the legend in a row between title and plot, for figures
    whose right margin is taken (a second axis of rung names).
    """
    place = (dict(orientation="h", x=0.0, xanchor="left", y=1.01, yanchor="bottom") if legend == "top"
             else dict(x=1.02, xanchor="left", y=1.0, yanchor="top"))
    fig.update_layout(title=dict(text=title, x=0.01, xanchor="left"), template="plotly_white", font=FONT,
                      height=height, margin=dict(l=70, r=30, t=100 if legend == "top" else 70, b=60),
                      hovermode="closest", legend=dict(title=legend_title, **place),
                      xaxis_title=xaxis_title, yaxis_title=yaxis_title)
    # Tick labels stand off their axes so that the two zeros at the origin do not touch.
    fig.update_xaxes(ticklabelstandoff=4)
    fig.update_yaxes(ticklabelstandoff=6)
    return fig
