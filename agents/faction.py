"""A US domestic faction and its support for intervention."""
from __future__ import annotations

import mesa


class FactionAgent(mesa.Agent):
    """View on faction ``index`` of the model's arrays."""

    def __init__(self, model, index: int):
        super().__init__(model)
        self.index = index
        self.spec = model.scenario.factions[index]

    @property
    def faction_id(self) -> str:
        return self.spec.id

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def weight(self) -> float:
        return self.spec.weight

    @property
    def support(self) -> float:
        """Support s for intervention abroad, in [0, 1]."""
        return float(self.model.workspace.support[self.index])

    def __repr__(self) -> str:
        return f"FactionAgent({self.faction_id}, support={self.support:.2f})"
