"""Coalition commitment with hysteresis, and its dependence on the US guarantee."""
import numpy as np

import sim
from sim.scenario.build import build_scenario

from tests.conftest import toy_raw


def hysteresis_scenario():
    raw = toy_raw(3, mechanisms={"coalition": True, "events": True, "reaction": False})
    raw["coalition"] = {"rate": 0.0, "noise": 0.0}  # commitments move only by the scheduled events
    raw["horizon"] = 12
    raw["events"] = [
        {"week": 2, "name": "rise above theta_up", "target": "states.S1.coalition.commitment", "value": 0.8},
        {"week": 4, "name": "fall between", "target": "states.S1.coalition.commitment", "value": 0.5},
        {"week": 6, "name": "fall below theta_down", "target": "states.S1.coalition.commitment", "value": 0.2},
        {"week": 8, "name": "rise between", "target": "states.S1.coalition.commitment", "value": 0.5},
        {"week": 10, "name": "rise above again", "target": "states.S1.coalition.commitment", "value": 0.75},
    ]
    return build_scenario(raw)


def test_deploy_above_up_stay_between_withdraw_below_down():
    model = sim.EscalationModel(hysteresis_scenario(), seed=1).run()
    frame = model.datacollector.get_agenttype_vars_dataframe(sim.model.StateAgent)
    member = frame[frame["actor"] == "S1"].reset_index()
    deployed = dict(zip(member["Step"], member["deployed"]))
    commitment = dict(zip(member["Step"], member["commitment"]))
    # events of week w apply at the end of step w - 1; deployment follows at the next coalition update
    assert commitment[3] == 0.8 and deployed[3]           # above theta_up = 0.7: deploys
    assert commitment[5] == 0.5 and deployed[5]           # between thresholds: stays
    assert commitment[7] == 0.2 and not deployed[7]       # below theta_down = 0.3: withdraws
    assert commitment[9] == 0.5 and not deployed[9]       # between thresholds: stays withdrawn
    assert deployed[11]                                   # above theta_up again: redeploys
    kinds = model.events.groupby("kind").size()
    assert kinds["deploy"] == 2 and kinds["withdraw"] == 1


def test_without_the_us_guarantee_fewer_members_deploy():
    n = 2000
    base = sim.run_ensemble(sim.load_scenario("baseline"), n, seed=11).summary
    none = sim.run_ensemble(sim.load_scenario("no_us_guarantee"), n, seed=11).summary
    backstop = sim.run_ensemble(sim.load_scenario("us_backstop"), n, seed=11).summary
    # means differ by many standard errors; the ordering is the model's claim
    se = np.sqrt(base.deployed_peak.var() / n + none.deployed_peak.var() / n)
    assert base.deployed_peak.mean() - none.deployed_peak.mean() > 5 * se
    assert backstop.deployed_peak.mean() > base.deployed_peak.mean()
    assert none.clash.mean() <= base.clash.mean()
