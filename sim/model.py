"""The Mesa path: one replicate with agents, a DataCollector and a narrative log.

``EscalationModel.step`` advances one week: the kernel's ``choose_actions`` at the
week's first step, each :class:`LeaderAgent` may replace its draw, then ``advance``
for every step of the week (``1 / dt`` of them), so a default run reproduces
:func:`sim.simulate` bit for bit. The narrative reads what the kernel reports
(events fired, actions chosen, the clash and its cause); it re-derives nothing.
"""
from __future__ import annotations

from typing import Mapping

import mesa
import numpy as np
import pandas as pd

from agents import FactionAgent, LeaderAgent, StateAgent

from sim import checks
from sim.engine.pack import compile_params, expanded_events
from sim.engine.kernel import action_utilities, advance, choose_actions, init_workspace, new_workspace
from sim.engine.layout import CLASH_CAUSES, S_CLASH_CAUSE, S_CLASH_WEEK, S_DEPLOYED, S_DIVERGED, S_MAX_RUNG
from sim.scenario.spec import Scenario

EVENT_COLUMNS = ["week", "actor", "kind", "detail", "goldstein", "level"]


class EscalationModel(mesa.Model):
    """One replicate of ``scenario``.

    Parameters
    ----------
    scenario : a validated :class:`~sim.scenario.Scenario`.
    leader_class : a :class:`LeaderAgent` subclass for every leader, or a mapping
        from leader id to class, to replace decision policies on this path.
    seed, replicate : the counter-based random stream (same as the kernel path).
    """

    def __init__(self, scenario: Scenario, seed: int, replicate: int = 0, *,
                 leader_class: type[LeaderAgent] | Mapping[str, type[LeaderAgent]] = LeaderAgent):
        checks.seed(seed)
        checks.seed(replicate, "replicate")
        super().__init__(seed=int(seed))
        self.scenario = scenario
        self.seed_value, self.replicate = int(seed), int(replicate)
        self.params = compile_params(scenario)
        self.action_names = [a.name for a in scenario.actions]
        self._events = expanded_events(scenario)
        self.workspace = new_workspace(self.params)
        init_workspace(self.params, self.workspace, self.seed_value, self.replicate)
        self.week = 0
        self.trajectory = np.zeros((scenario.steps + 1, len(scenario.states)))  # every step of dt weeks
        self.trajectory[0] = self.workspace.x
        self.states = [StateAgent(self, i) for i in range(len(scenario.states))]
        self.leaders = [_leader_cls(leader_class, ld.id)(self, i) for i, ld in enumerate(scenario.leaders)]
        self.factions = [FactionAgent(self, i) for i in range(len(scenario.factions))]
        self._log: list[tuple] = []
        self.datacollector = mesa.DataCollector(
            model_reporters={
                "week": "week", "guarantee": lambda m: float(m.workspace.guarantee[0]),
                "political_capital": lambda m: m.guarantor_capital, "cohesion": lambda m: float(m.workspace.cohesion[0]),
                "deployed": lambda m: int(m.workspace.status[S_DEPLOYED]),
                "max_rung": lambda m: int(m.workspace.status[S_MAX_RUNG]),
            },
            agenttype_reporters={
                StateAgent: {"actor": "actor_id", "level": "level", "rung": "rung",
                             "commitment": "commitment", "deployed": "deployed"},
                LeaderAgent: {"leader": "leader_id", "action": "action", "political_capital": "political_capital"},
                FactionAgent: {"faction": "faction_id", "support": "support"},
            },
        )
        self._narrated = np.zeros_like(self.workspace.fired)
        self._narrate_events(0)
        self.datacollector.collect(self)

    # --- running ---------------------------------------------------------------

    def step(self) -> None:
        """Advance one week (does nothing once the horizon is reached)."""
        if self.week >= self.scenario.horizon:
            self.running = False
            return
        p, ws, week = self.params, self.workspace, self.week
        first = week * p.steps_per_week
        if not ws.status[S_DIVERGED]:
            before = (ws.rung.copy(), ws.deployed.copy(), int(ws.status[S_CLASH_WEEK]))
            choose_actions(p, ws, first, self.seed_value, self.replicate)
            # isinstance selection, so subclassed policies are included
            self.agents.select(agent_type=LeaderAgent).do("decide")
            for t in range(first, first + p.steps_per_week):
                if ws.status[S_DIVERGED]:
                    self.trajectory[t + 1] = ws.x
                    continue
                advance(p, ws, t, self.seed_value, self.replicate)
                self.trajectory[t + 1] = ws.x
            self._narrate(week + 1, *before)
        else:
            self.trajectory[first + 1: first + p.steps_per_week + 1] = ws.x
        self.week = week + 1
        self.datacollector.collect(self)

    def run(self) -> "EscalationModel":
        """Run the remaining weeks up to the horizon."""
        while self.week < self.scenario.horizon:
            self.step()
        self.running = False
        return self

    # --- views for agents and reports -----------------------------------------------

    @property
    def guarantor_capital(self) -> float:
        g = self.params.guarantor_leader
        return float(self.workspace.capital[g]) if g >= 0 else 1.0

    def action_utilities(self, leader_index: int) -> np.ndarray:
        out = np.zeros(max(self.params.n_actions, 1))
        action_utilities(self.params, self.workspace, leader_index, out)
        return out[: self.params.n_actions]

    @property
    def events(self) -> pd.DataFrame:
        """The narrative log: week, actor, kind, detail, goldstein score, level."""
        return pd.DataFrame(self._log, columns=EVENT_COLUMNS)

    # --- narrative -----------------------------------------------------------

    def _narrate(self, week: int, rung_before, deployed_before, clash_before) -> None:
        p, ws, sc = self.params, self.workspace, self.scenario
        if p.mech_decisions:
            for leader in self.leaders:
                k = int(ws.choice[leader.index])
                i = p.leader_state[leader.index]
                self._log.append((week, leader.state_id, "action", f"{leader.name}: {self.action_names[k]}",
                                  float(p.action_goldstein[k]), float(ws.x[i])))
        for state in self.states:
            i = state.index
            if ws.rung[i] != rung_before[i]:
                verb = "escalates" if ws.rung[i] > rung_before[i] else "de-escalates"
                self._log.append((week, state.actor_id, "rung", f"{state.name} {verb} to {sc.ladder[ws.rung[i]].name}",
                                  np.nan, float(ws.x[i])))
            if ws.deployed[i] != deployed_before[i]:
                kind = "deploy" if ws.deployed[i] else "withdraw"
                text = "deploys force-blocking units" if ws.deployed[i] else "withdraws its units"
                self._log.append((week, state.actor_id, kind, f"{state.name} {text}", np.nan, float(ws.x[i])))
        if clash_before < 0 <= ws.status[S_CLASH_WEEK]:
            adversary = sc.states[p.adversary]
            how = ("a deliberate strike on deployed forces" if CLASH_CAUSES[ws.status[S_CLASH_CAUSE]] == "deliberate"
                   else "an incident")
            self._log.append((week, adversary.id, "clash", f"Direct clash between {adversary.name} and the "
                              f"coalition: {how}", -10.0, float(ws.x[p.adversary])))
        if ws.status[S_DIVERGED]:
            self._log.append((week, "", "diverged", "levels left the numeric range; replicate stopped", np.nan, np.nan))
        self._narrate_events(week)

    def _narrate_events(self, week: int) -> None:
        """Log the events the kernel marked as fired since the last call."""
        fired = self.workspace.fired
        for e, ev, _, _, actor in self._events:
            if fired[e] and not self._narrated[e]:
                self._narrated[e] = 1
                self._log.append((week, actor, "event", ev.name or ev.target, np.nan, np.nan))


def _leader_cls(leader_class, leader_id: str) -> type[LeaderAgent]:
    if isinstance(leader_class, Mapping):
        return leader_class.get(leader_id, LeaderAgent)
    return leader_class
