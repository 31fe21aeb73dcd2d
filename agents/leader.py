"""A leader: chooses one action a week from the scenario's catalogue.

The default policy is the kernel's quantal response, so a default run of the
Mesa path equals the kernel path bit for bit. To try another policy, subclass
:class:`LeaderAgent` and override :meth:`choose_action`, then pass the class to
``EscalationModel(..., leader_class=...)`` (or a mapping from leader id to class)::

    class Hawk(LeaderAgent):
        def choose_action(self):
            utilities = self.utilities()
            return max(utilities, key=utilities.get)   # best response
"""
from __future__ import annotations

import mesa


class LeaderAgent(mesa.Agent):
    """View on leader ``index``; :meth:`decide` runs each week before the dynamics."""

    def __init__(self, model, index: int):
        super().__init__(model)
        self.index = index
        self.spec = model.scenario.leaders[index]

    @property
    def leader_id(self) -> str:
        return self.spec.id

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def state_id(self) -> str:
        return self.spec.state

    @property
    def political_capital(self) -> float:
        return float(self.model.workspace.capital[self.index])

    @property
    def resolve(self) -> float:
        return float(self.model.workspace.resolve[self.index])

    @property
    def pledged(self) -> float:
        """Accumulated public commitment C (raises the audience cost of backing down)."""
        return float(self.model.workspace.pledged[self.index])

    @property
    def action(self) -> str | None:
        """The action chosen this week (None before the first decision)."""
        k = int(self.model.workspace.choice[self.index])
        return self.model.action_names[k] if k >= 0 else None

    @property
    def available_actions(self) -> list[str]:
        mask = self.model.params.action_mask[self.index]
        return [name for name, ok in zip(self.model.action_names, mask) if ok]

    def utilities(self) -> dict[str, float]:
        """Utility of each available action under the current state (docs/model.md)."""
        values = self.model.action_utilities(self.index)
        return {name: float(values[k]) for k, name in enumerate(self.model.action_names)
                if self.model.params.action_mask[self.index, k]}

    def choose_action(self) -> str | None:
        """The policy: an action name, or None to keep the kernel's quantal-response draw."""
        return None

    def decide(self) -> None:
        choice = self.choose_action()
        if choice is None:
            return
        if choice not in self.available_actions:
            raise ValueError(f"leader {self.leader_id!r} chose {choice!r}, not one of {self.available_actions}")
        self.model.workspace.choice[self.index] = self.model.action_names.index(choice)

    def __repr__(self) -> str:
        return f"LeaderAgent({self.leader_id}, action={self.action})"
