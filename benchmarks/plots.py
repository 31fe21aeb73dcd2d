"""Log-log plots of how the cost scales with actors and with replicates."""
from __future__ import annotations

import plotly.graph_objects as go
from plotly.subplots import make_subplots

SERIES = (("reference", "pure-Mesa reference", "#7f7f7f"), ("mesa_kernel", "Mesa model driving the kernel", "#2ca02c"),
          ("kernel_1_thread", "kernel, 1 thread", "#1f77b4"), ("ensemble_all_threads", "ensemble, all threads", "#d62728"))


def scaling_figure(results: dict) -> go.Figure:
    """Left: actor-steps per second against states; right: wall time and peak memory against replicates."""
    fig = make_subplots(rows=1, cols=2, specs=[[{}, {"secondary_y": True}]],
                        subplot_titles=("actor-steps per second vs states (log-log)",
                                        "baseline ensembles vs replicates"))
    synthetic = sorted((c for c in results["cases"] if c["scenario"].startswith("synthetic")),
                       key=lambda c: c["n_states"])
    baseline = [c for c in results["cases"] if c["scenario"] == "baseline"]
    for key, label, colour in SERIES:
        fig.add_trace(go.Scatter(x=[c["n_states"] for c in synthetic], y=[c[f"{key}_actor_steps"] for c in synthetic],
                                 mode="lines+markers", name=label, legendgroup=key, line_color=colour), row=1, col=1)
        fig.add_trace(go.Scatter(x=[c["n_states"] for c in baseline], y=[c[f"{key}_actor_steps"] for c in baseline],
                                 mode="markers", marker=dict(symbol="star", size=13, color=colour),
                                 name=f"{label} (baseline)", legendgroup=key, showlegend=False), row=1, col=1)
    memory = results["memory"]
    reps = [m["replicates"] for m in memory]
    fig.add_trace(go.Scatter(x=reps, y=[m["wall_s"] for m in memory], mode="lines+markers", name="wall time (s)",
                             line_color="#9467bd"), row=1, col=2)
    fig.add_trace(go.Scatter(x=reps, y=[m["peak_rss_mib"] for m in memory], mode="lines+markers",
                             name="peak memory (MiB)", line=dict(color="#ff7f0e", dash="dot")),
                  row=1, col=2, secondary_y=True)
    fig.add_trace(go.Scatter(x=reps, y=[m["rss_before_mib"] for m in memory], mode="lines+markers",
                             name="memory before the ensemble (MiB)", line=dict(color="#8c564b", dash="dash")),
                  row=1, col=2, secondary_y=True)
    top = max(m["peak_rss_mib"] for m in memory)
    fig.update_xaxes(type="log", title_text="states (synthetic scenarios; stars: the baseline)", row=1, col=1)
    fig.update_yaxes(type="log", title_text="actor-steps per second", row=1, col=1)
    fig.update_xaxes(type="log", title_text="replicates", row=1, col=2)
    fig.update_yaxes(type="log", title_text="wall time (s)", row=1, col=2, secondary_y=False)
    fig.update_yaxes(type="linear", title_text="peak memory (MiB)", range=[0, 1.15 * top], row=1, col=2,
                     secondary_y=True)
    m = results["machine"]
    fig.update_layout(template="plotly_white", legend=dict(orientation="h", y=-0.3),
                      title=f"{m['cpu']}, {m['cores']} cores, {results['cases'][0]['threads']} Numba threads")
    return fig
