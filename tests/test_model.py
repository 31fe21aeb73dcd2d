"""The Mesa path: same physics as the kernel, agents as views, replaceable policies."""
import numpy as np
import pytest

import sim
from agents import FactionAgent, LeaderAgent, StateAgent
from sim.model import EVENT_COLUMNS


@pytest.mark.parametrize("name", sim.available_scenarios())
@pytest.mark.parametrize("replicate", [0, 5])
def test_mesa_path_equals_kernel_path_bit_for_bit(name, replicate):
    s = sim.load_scenario(name)
    model = sim.EscalationModel(s, seed=2025, replicate=replicate).run()
    assert model.trajectory.shape == (s.steps + 1, len(s.states))
    assert np.array_equal(model.trajectory, sim.simulate(s, seed=2025, replicate=replicate))


def test_agents_live_in_model_agents(baseline):
    model = sim.EscalationModel(baseline, seed=1)
    assert len(model.agents_by_type[StateAgent]) == len(baseline.states)
    assert len(model.agents_by_type[LeaderAgent]) == len(baseline.leaders)
    assert len(model.agents_by_type[FactionAgent]) == len(baseline.factions)
    russia = next(a for a in model.agents_by_type[StateAgent] if a.actor_id == "RUS")
    model.step()
    assert russia.level == model.trajectory[1, baseline.index("RUS")]  # a view, not a copy


def test_events_log_and_datacollector(baseline):
    model = sim.EscalationModel(baseline, seed=4).run()
    ev = model.events
    assert list(ev.columns) == EVENT_COLUMNS
    assert (ev["kind"] == "action").sum() == baseline.steps * len(baseline.leaders)
    assert set(ev.loc[ev["kind"] == "event", "detail"]) == {e.name for e in baseline.events}
    assert ev["week"].between(0, baseline.steps).all()
    frame = model.datacollector.get_model_vars_dataframe()
    assert len(frame) == baseline.steps + 1
    assert frame["guarantee"].between(0, 1).all()


class Dove(LeaderAgent):
    def choose_action(self):
        return "de_escalate" if "de_escalate" in self.available_actions else None


class BestResponse(LeaderAgent):
    def choose_action(self):
        u = self.utilities()
        return max(u, key=u.get)


def test_a_python_policy_replaces_the_kernel_draw(baseline):
    # without the coalition, since calm can invite deployments that provoke Russia
    calm = sim.load_scenario("baseline", {"mechanisms.coalition": False})
    default = sim.EscalationModel(calm, seed=9).run()
    doves = sim.EscalationModel(calm, seed=9, leader_class=Dove).run()
    rus = baseline.index("RUS")
    assert doves.trajectory[-1, rus] < default.trajectory[-1, rus]
    acts = doves.events.query("kind == 'action' and actor == 'RUS'")["detail"]
    assert acts.str.endswith("de_escalate").all()
    only_putin = sim.EscalationModel(calm, seed=9, leader_class={"putin": BestResponse}).run()
    assert not np.array_equal(only_putin.trajectory, default.trajectory)


def test_policy_must_choose_an_available_action(baseline):
    class Bad(LeaderAgent):
        def choose_action(self):
            return "invade_mars"

    with pytest.raises(ValueError, match="invade_mars"):
        sim.EscalationModel(baseline, seed=1, leader_class=Bad).step()
