"""Plotly figures of result tables. Views take tables, never the model or the kernel.

Every function returns a ``plotly.graph_objects.Figure``; given an empty table it
returns a figure that says so instead of raising. One module per family of views:
``levels`` (fan chart, rung occupancy), ``risk`` (rung crossing, time to clash),
``coalition`` (deployment, commitment, the guarantee), ``network``, ``narrative``,
``compare`` (scenarios side by side), ``sweep`` (sweeps); ``export`` writes static images,
``page`` lays figures out as a self-contained HTML page. Names and roles come from the
stored scenario through ``cast`` (:func:`cast_of`), never from the views themselves.
"""
from .cast import Cast, cast_of, shared_cast
from .coalition import commitment_chart, deployment_chart, guarantee_chart
from .common import actor_colours, bloc_colours, message_figure, scenario_colours
from .compare import clash_comparison, final_state_comparison, level_comparison, outcome_comparison
from .levels import fan_chart, occupancy_heatmap
from .narrative import timeline_chart
from .network import network_chart
from .risk import crossing_chart, survival_chart
from .sweep import parallel_coordinates, scenario_bars, sensitivity_tornado, sweep_heatmap, sweep_line

__all__ = ["Cast", "cast_of", "shared_cast", "actor_colours", "bloc_colours", "message_figure", "scenario_colours",
           "fan_chart", "occupancy_heatmap", "crossing_chart", "survival_chart", "deployment_chart",
           "commitment_chart", "guarantee_chart", "network_chart", "timeline_chart", "outcome_comparison",
           "clash_comparison", "level_comparison", "final_state_comparison", "scenario_bars", "sweep_line",
           "sweep_heatmap", "parallel_coordinates", "sensitivity_tornado"]
