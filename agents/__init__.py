"""Mesa agents of the escalation model: states, their leaders and US domestic factions.

Agents hold no copies of state: their attributes read the model's arrays, so
the Mesa path and the kernel path share one set of numbers.
"""
from agents.faction import FactionAgent
from agents.leader import LeaderAgent
from agents.state import StateAgent

__all__ = ["StateAgent", "LeaderAgent", "FactionAgent"]
