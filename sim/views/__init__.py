"""Plotly figures of result tables. Views take tables, never the model or the kernel.

Every function returns a ``plotly.graph_objects.Figure``; given an empty table it
returns a figure that says so instead of raising. One module per family of views.
"""
from .common import BLOC_COLOURS, KEY_ACTORS, actor_colours, message_figure
from .run import crossing_chart, deployment_chart, fan_chart, guarantee_chart, timeline_chart

__all__ = ["BLOC_COLOURS", "KEY_ACTORS", "actor_colours", "message_figure", "fan_chart", "crossing_chart",
           "deployment_chart", "guarantee_chart", "timeline_chart"]
