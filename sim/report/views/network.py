"""The actors as a network over time: states sized by capability, coloured by bloc, joined by hostility.

A hostility edge j → i is the reaction term k_ij x_j of ``docs/model.md``: how much
the median level of j that week pushes i up. Alignment is drawn as node colour (the
bloc) and a ring (membership of a group that is no state's bloc, the EU in the
baseline) rather than as edges, which would join almost every pair.
"""
from __future__ import annotations

import math
from typing import Mapping, Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from .cast import Cast, cast_of
from .common import actor_colours, bloc_colours, message_figure, missing, quantile_columns, style

TITLE = "Actor network: hostility k·x (edge width) between states (size: capability; colour: bloc)"
RING_COLOUR = "#9467bd"
CURVE_POINTS = 12
ARROW_END = 0.86  # stop short of the target so the arrow head is not hidden under its node


def _bloc_order(states: Sequence[dict], cast: Cast) -> list[str]:
    """Blocs going round: the adversary's, those of no role, the coalition lead's, the guarantor's."""
    blocs = list(dict.fromkeys(s["bloc"] for s in states))
    ends = [cast.blocs.get(getattr(cast, r) or "") for r in ("adversary", "coalition_lead", "guarantor")]
    first, last = [b for b in ends[:1] if b in blocs], [b for b in dict.fromkeys(ends[1:]) if b in blocs]
    return first + [b for b in blocs if b not in first + last] + [b for b in last if b not in first]


def _layout(states: Sequence[dict], cast: Cast) -> dict[str, tuple[float, float]]:
    """The adversary in the middle, the others on a circle by bloc, each bloc's key and big states first.

    Going round from the east: the adversary's bloc, then blocs of no role, then the
    coalition's, from the biggest state down, so that the small states, not two big
    ones, meet the adversary's bloc again.
    """
    known = {s["id"] for s in states}
    centre = cast.adversary if cast.adversary in known else None
    order = _bloc_order(states, cast)
    key_rank = {a: i for i, a in enumerate(cast.key_actors)}
    ring = [s for s in states if s["id"] != centre]
    ring.sort(key=lambda s: (order.index(s["bloc"]), key_rank.get(s["id"], len(key_rank)),
                             -float(s.get("capability", 0))))
    pos = {centre: (0.0, 0.0)} if centre else {}
    for i, s in enumerate(ring):
        angle = -2 * math.pi * i / max(len(ring), 1)
        pos[s["id"]] = (math.cos(angle), math.sin(angle))
    return pos


def ring_group(states: Sequence[dict]) -> str | None:
    """The group a ring marks: the one most states share among the groups that are no state's bloc."""
    blocs = {s["bloc"] for s in states}
    counts: dict[str, int] = {}
    for s in states:
        for g in s.get("groups") or []:
            if g not in blocs:
                counts[g] = counts.get(g, 0) + 1
    return max(counts, key=counts.get) if counts else None


def _curve(p0, p1, bend: float = 0.12, end: float = ARROW_END) -> tuple[list[float], list[float]]:
    """A quadratic Bézier from p0 towards p1 bulging to its left, so j → i and i → j stay apart."""
    (x0, y0), (x1, y1) = p0, p1
    mx, my = (x0 + x1) / 2 - bend * (y1 - y0), (y0 + y1) / 2 + bend * (x1 - x0)
    t = np.linspace(0.0, end, CURVE_POINTS)
    xs = (1 - t) ** 2 * x0 + 2 * (1 - t) * t * mx + t ** 2 * x1
    ys = (1 - t) ** 2 * y0 + 2 * (1 - t) * t * my + t ** 2 * y1
    return [round(v, 4) for v in xs], [round(v, 4) for v in ys]


def _text_position(x: float, y: float) -> str:
    if abs(x) < 1e-9 and abs(y) < 1e-9:
        return "middle center"
    if abs(x) < 0.3:
        return "top center" if y > 0 else "bottom center"
    return "middle right" if x > 0 else "middle left"


def network_chart(scenario: Mapping, steps: pd.DataFrame, week: int | None = None) -> go.Figure:
    """Network of ``scenario`` (its ``states`` and ``reactions``) with edge widths from ``steps`` medians.

    A slider (and play button) moves through the weeks; ``week`` is the one shown
    first (default: the horizon).
    """
    states = list((scenario or {}).get("states") or [])
    if not states:
        return message_figure("No scenario structure stored (scenario.json) to draw the network from.", TITLE)
    q50 = quantile_columns()[2]
    if (fig := missing(steps, ("week", "actor", q50), TITLE)) is not None:
        return fig
    ids = [s["id"] for s in states]
    known = set(ids)
    reactions = [r for r in scenario.get("reactions") or [] if r["actor"] in known and r["responds_to"] in known]
    cast = cast_of(scenario)
    pos = _layout(states, cast)
    median = steps.pivot_table(index="week", columns="actor", values=q50).reindex(columns=ids).fillna(0.0)
    weeks = [int(w) for w in median.index]
    shown = weeks[-1] if week is None or week not in weeks else int(week)
    pressure = np.array([[float(r["k"]) * median.at[w, r["responds_to"]] for r in reactions] for w in weeks])
    scale = float(pressure.max()) if pressure.size and pressure.max() > 0 else 1.0
    colours = actor_colours(ids, cast)

    def widths(w: int) -> list[float]:
        return [round(0.4 + 9.0 * p / scale, 2) for p in pressure[weeks.index(w)]] if reactions else []

    def edge_data(w: int) -> list[list[float]]:
        i = weeks.index(w)
        return [[w, round(float(median.at[w, r["responds_to"]]), 3), round(float(p), 4)]
                for r, p in zip(reactions, pressure[i])]

    def node_data(w: int, group: Sequence[dict]) -> list[list]:
        return [[w, round(float(median.at[w, s["id"]]), 3), _rung_of(float(median.at[w, s["id"]]), scenario)]
                for s in group]

    fig = go.Figure()
    for r, width in zip(reactions, widths(shown)):
        xs, ys = _curve(pos[r["responds_to"]], pos[r["actor"]])
        colour = colours[r["responds_to"]]
        fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines+markers", line=dict(color=colour, width=width),
                                 marker=dict(symbol="arrow", angleref="previous", color=colour,
                                             size=[0] * (CURVE_POINTS - 1) + [12]),
                                 opacity=0.7, hoverinfo="skip", showlegend=False))
    mid = CURVE_POINTS // 2
    mids = [_curve(pos[r["responds_to"]], pos[r["actor"]]) for r in reactions]
    fig.add_trace(go.Scatter(x=[m[0][mid] for m in mids], y=[m[1][mid] for m in mids], mode="markers",
                             marker=dict(size=14, color="rgba(0,0,0,0)"), customdata=edge_data(shown),
                             hovertemplate=[_edge_template(r) for r in reactions], name="hostility", showlegend=False))
    groups = _bloc_groups(states, cast)
    fills = bloc_colours(list(groups), cast)
    ring = ring_group(states)
    cap_max = max(float(s.get("capability", 0)) for s in states) or 1.0
    for bloc, group in groups.items():
        ringed = [ring is not None and ring in (s.get("groups") or []) for s in group]
        fig.add_trace(go.Scatter(
            x=[pos[s["id"]][0] for s in group], y=[pos[s["id"]][1] for s in group], mode="markers+text",
            name=f"{bloc} state", text=[s["id"] for s in group],
            textposition=[_text_position(*pos[s["id"]]) for s in group],
            # The centre node's label sits inside it: around it every direction is taken by edges.
            textfont=dict(size=11, color=["white" if pos[s["id"]] == (0.0, 0.0) else "#333" for s in group]),
            marker=dict(color=fills[bloc], size=[12 + 38 * math.sqrt(float(s.get("capability", 0)) / cap_max)
                                                 for s in group],
                        line=dict(color=[RING_COLOUR if r else "white" for r in ringed],
                                  width=[3 if r else 1 for r in ringed])),
            customdata=node_data(shown, group), hovertemplate=[_node_template(s) for s in group]))
    if ring is not None:
        fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", name=f"{ring} member (ring)",
                                 marker=dict(size=12, color="white", line=dict(color=RING_COLOUR, width=3))))
    fig.add_trace(go.Scatter(x=[None], y=[None], mode="lines", name="hostility j → i: k_ij × median x_j (width)",
                             line=dict(color="#555", width=4)))
    n_edges = len(reactions)
    node_traces = list(range(n_edges + 1, n_edges + 1 + len(groups)))
    fig.frames = [go.Frame(name=str(w), traces=list(range(n_edges + 1)) + node_traces,
                           data=[go.Scatter(line=dict(width=wd)) for wd in widths(w)]
                           + [go.Scatter(customdata=edge_data(w))]
                           + [go.Scatter(customdata=node_data(w, g)) for g in groups.values()])
                  for w in weeks]
    _controls(fig, weeks, shown)
    style(fig, TITLE, "", "", height=720, legend_title="alignment")
    fig.update_xaxes(visible=False, range=[-1.45, 1.45])
    fig.update_yaxes(visible=False, range=[-1.2, 1.2], scaleanchor="x")
    return fig


def _edge_template(reaction: Mapping) -> str:
    """Hover text of an edge; the numbers of the week come from customdata so frames stay small."""
    source, target = reaction["responds_to"], reaction["actor"]
    return (f"<b>{source} → {target}</b> week %{{customdata[0]}}<br>k = {float(reaction['k']):.3f} × median level "
            f"of {source} %{{customdata[1]:.2f}}<br>= %{{customdata[2]:.3f}} per week of pressure on {target}<extra></extra>")


def _node_template(state: Mapping) -> str:
    groups = ", ".join(state.get("groups") or []) or "none"
    return (f"<b>{state.get('name', state['id'])}</b> ({state['id']}), week %{{customdata[0]}}<br>bloc {state['bloc']}, "
            f"groups {groups}<br>capability {float(state.get('capability', 0)):.2f}"
            "<br>median level %{customdata[1]:.2f} (%{customdata[2]})<extra></extra>")


def _bloc_groups(states: Sequence[dict], cast: Cast) -> dict[str, list[dict]]:
    """States by bloc, in legend order: the guarantor's bloc first, the adversary's last."""
    groups: dict[str, list[dict]] = {}
    for s in states:
        groups.setdefault(s["bloc"], []).append(s)
    order = _bloc_order(states, cast)[::-1]
    return dict(sorted(groups.items(), key=lambda kv: order.index(kv[0])))


def _rung_of(level: float, scenario: Mapping) -> str:
    ladder = scenario.get("ladder") or []
    name = ""
    for rung in ladder:
        if level >= float(rung["threshold"]):
            name = rung["name"]
    return name


def _controls(fig: go.Figure, weeks: Sequence[int], shown: int) -> None:
    """Week slider and play/pause buttons; every frame redraws because line widths change."""
    step_args = dict(mode="immediate", frame=dict(duration=0, redraw=True), transition=dict(duration=0))
    fig.update_layout(
        sliders=[dict(active=weeks.index(shown), x=0.08, len=0.9, y=0.0, yanchor="top", pad=dict(t=10, b=0),
                      currentvalue=dict(prefix="week ", font=dict(size=14)), font=dict(size=10),
                      steps=[dict(method="animate", label=str(w), args=[[str(w)], step_args]) for w in weeks])],
        updatemenus=[dict(type="buttons", direction="left", x=0.0, xanchor="left", y=0.0, yanchor="top",
                          pad=dict(t=42, r=10), showactive=False,
                          buttons=[dict(label="▶", method="animate",
                                        args=[None, dict(mode="immediate", fromcurrent=True,
                                                         frame=dict(duration=250, redraw=True), transition=dict(duration=0))]),
                                   dict(label="❚❚", method="animate",
                                        args=[[None], dict(mode="immediate", frame=dict(duration=0, redraw=False))])])],
        margin=dict(b=110))
