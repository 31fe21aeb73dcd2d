"""A state: its escalation level, rung and coalition commitment."""
from __future__ import annotations

import mesa


class StateAgent(mesa.Agent):
    """View on row ``index`` of the model's state arrays (order = ``scenario.actor_ids``)."""

    def __init__(self, model, index: int):
        super().__init__(model)
        self.index = index
        self.spec = model.scenario.states[index]

    @property
    def actor_id(self) -> str:
        return self.spec.id

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def bloc(self) -> str:
        return self.spec.bloc

    @property
    def level(self) -> float:
        """Escalation level x."""
        return float(self.model.workspace.x[self.index])

    @property
    def rung(self) -> int:
        return int(self.model.workspace.rung[self.index])

    @property
    def is_member(self) -> bool:
        return self.spec.coalition is not None

    @property
    def commitment(self) -> float:
        """Coalition commitment m (0 for non-members)."""
        return float(self.model.workspace.commitment[self.index]) if self.is_member else 0.0

    @property
    def deployed(self) -> bool:
        return bool(self.model.workspace.deployed[self.index])

    def __repr__(self) -> str:
        return f"StateAgent({self.actor_id}, x={self.level:.2f}, rung={self.rung})"
