"""Shared pieces of every view: colours per actor and bloc, message figures."""
from __future__ import annotations

from typing import Sequence

import plotly.graph_objects as go
from plotly.colors import qualitative

KEY_ACTORS = ("RUS", "USA", "FRA", "GBR", "POL", "DEU", "CHN", "UKR")
BLOC_COLOURS = {"NATO": "#1f77b4", "SCO": "#d62728", "partner": "#2ca02c", "EU": "#9467bd"}
_PALETTE = qualitative.D3 + qualitative.Plotly + qualitative.Dark24


def actor_colours(actors: Sequence[str]) -> dict[str, str]:
    """A stable colour per actor: key actors first, the rest in given order."""
    ordered = [a for a in KEY_ACTORS if a in actors] + [a for a in actors if a not in KEY_ACTORS]
    return {a: _PALETTE[i % len(_PALETTE)] for i, a in enumerate(ordered)}


def rgba(hex_colour: str, alpha: float) -> str:
    h = hex_colour.lstrip("#")
    r, g, b = (int(h[i:i + 2], 16) for i in (0, 2, 4))
    return f"rgba({r},{g},{b},{alpha})"


def message_figure(text: str, title: str = "") -> go.Figure:
    fig = go.Figure()
    fig.add_annotation(text=text, showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper", font=dict(size=16))
    fig.update_layout(title=title, xaxis=dict(visible=False), yaxis=dict(visible=False), height=300)
    return fig


