"""The pure-Python Mesa reference and the kernel give the same numbers, bit for bit.

The reference (tests/reference_model.py) re-implements every phase and the random
generator without any kernel code, so agreement checks the kernel's arithmetic, its
summation orders, the inlined ensemble path and the counter-based draws at once.
"""
import numpy as np

import sim
from tests.reference_model import ReferenceModel, normal, uniform
from sim.engine import rng
from sim.engine.pack import compile_params
from sim.engine.kernel import key_for, new_workspace, run_trajectory
from sim.scenario.synthetic import synthetic_scenario
from sim.scenario.build import build_scenario

from tests.conftest import toy_raw

SEED = 424242


def _agree(scenario, replicates=(0, 1, 2)):
    """Levels of every step, every summary column and the fired events agree; returns the ensemble's summary."""
    ensemble = sim.run_ensemble(scenario, max(replicates) + 1, SEED)
    summary = ensemble.summary
    p = compile_params(scenario)
    for r in replicates:
        model = ReferenceModel(scenario, SEED, r)
        levels = np.array(model.run())
        np.testing.assert_array_equal(levels, sim.simulate(scenario, SEED, r))
        row = summary.iloc[r]
        outcomes = model.outcomes()
        assert set(outcomes) == set(summary.columns) - {"replicate"}  # every column is compared
        for column, value in outcomes.items():
            assert row[column] == value, (r, column, row[column], value)
        kernel_levels = np.zeros((p.steps + 1, p.n_states))
        ws = new_workspace(p)
        run_trajectory(p, ws, key_for(SEED, r), kernel_levels)
        assert list(ws.fired[: len(model.fired)]) == model.fired, (r, list(ws.fired), model.fired)
    return summary.iloc[list(replicates)]


def _crisis_raw(dt: float, *, requires_ceasefire: bool = False, horizon: int = 20) -> dict:
    """A small crisis that reaches every mechanism: leaders with kinetic, ceasefire and resolution
    actions, kinetic rungs with incident risks, factions, deterrence, an aligned partner and events."""
    ladder = [{"name": "calm", "threshold": 0.0}, {"name": "words", "threshold": 1.0},
              {"name": "posture", "threshold": 2.0, "risk": 0.005, "deployed_risk": 0.02},
              {"name": "coercion", "threshold": 3.0, "risk": 0.01, "deployed_risk": 0.05},
              {"name": "strikes", "threshold": 4.0, "risk": 0.03, "deployed_risk": 0.1, "kinetic": True},
              {"name": "war", "threshold": 5.0, "risk": 0.05, "deployed_risk": 0.2, "kinetic": True},
              {"name": "general war", "threshold": 7.0, "risk": 0.2, "deployed_risk": 0.3, "kinetic": True}]

    def state(sid, x0, fatigue, grievance, noise, groups, **kw):
        return {"id": sid, "name": sid, "bloc": groups[0], "x0": x0, "fatigue": fatigue, "grievance": grievance,
                "noise": noise, "groups": groups, **kw}

    states = [
        state("A", 2.5, 0.4, 0.0, 0.3, ["SCO"], capability=1.0, provocation=0.8, exposure=0.2),
        state("P", 2.0, 0.5, 0.7, 0.2, ["SCO"], capability=0.4),
        state("G", 2.0, 0.5, 0.6, 0.1, ["NATO"], capability=1.5, exposure=0.3),
        state("L", 2.0, 0.5, 0.5, 0.15, ["NATO"], capability=0.5, exposure=0.3,
              coalition={"commitment0": 0.6, "deploy_threshold": 0.65, "withdraw_threshold": 0.4,
                         "guarantee_required": 0.6, "autonomy": 0.3, "threat_exposure": 0.8, "bias": 1.5}),
        # starts on a kinetic rung: at war, it has used force
        state("M", 4.2, 0.5, 1.3, 0.2, ["NATO", "EU"], capability=0.3, exposure=0.5,
              coalition={"commitment0": 0.5, "deploy_threshold": 0.6, "withdraw_threshold": 0.35,
                         "us_dependence": 0.8, "domestic_cost": 0.2, "bias": 1.5}),
    ]
    reactions = [{"actor": "A", "responds_to": "G", "k": 0.1}, {"actor": "A", "responds_to": "L", "k": 0.05},
                 {"actor": "P", "responds_to": "A", "k": 0.2}, {"actor": "A", "responds_to": "M", "k": 0.1},
                 {"actor": "G", "responds_to": "A", "k": 0.1}, {"actor": "L", "responds_to": "A", "k": 0.1},
                 {"actor": "M", "responds_to": "A", "k": 0.2}]
    actions = [
        {"name": "de_escalate", "delta": -0.5, "goldstein": 3.0, "backdown": True},
        {"name": "ceasefire_offer", "delta": -0.8, "goldstein": 9.0, "backdown": True, "ceasefire": True,
         "cost": 1.5},
        {"name": "hold", "delta": 0.0, "goldstein": 0.0},
        {"name": "warn", "delta": 0.3, "goldstein": -2.0, "pledge": 0.2, "pressure": 0.1},
        {"name": "strike", "delta": 1.0, "goldstein": -10.0, "cost": 0.5, "pressure": 0.3, "kinetic": True},
        {"name": "resolution", "delta": 0.1, "goldstein": 1.0, "cost": 0.1, "pledge": 0.1, "support_shift": 0.3},
    ]
    leaders = [
        {"id": "LA", "name": "LA", "state": "A", "rationality": 4.0, "resolve": 0.8, "risk_aversion": 3.0,
         "audience_cost": 0.3, "political_capital": 0.7, "targets": ["L", "M"],
         "actions": ["de_escalate", "ceasefire_offer", "hold", "warn", "strike"]},
        {"id": "LG", "name": "LG", "state": "G", "rationality": 3.0, "resolve": 0.5, "risk_aversion": 1.0,
         "audience_cost": 0.4, "political_capital": 0.6, "targets": ["A"],
         "actions": ["de_escalate", "hold", "warn", "resolution"]},
        {"id": "LL", "name": "LL", "state": "L", "rationality": 5.0, "resolve": 0.6, "risk_aversion": 0.8,
         "audience_cost": 0.2, "political_capital": 0.5, "targets": ["A"],
         "actions": ["de_escalate", "hold", "warn", "strike"]},
    ]
    factions = [
        {"id": "dems", "name": "dems", "weight": 0.4, "support": 0.7, "threat_response": 0.01, "noise": 0.02,
         "resolution_response": 0.5},
        {"id": "reps", "name": "reps", "weight": 0.6, "support": 0.4, "threat_response": -0.005, "noise": 0.03,
         "resolution_response": -0.3},
    ]
    events = [
        {"week": 0, "name": "partner mobilises", "target": "states.P.x", "op": "set", "value": 2.5},
        {"week": 1, "name": "split", "target": "factions.reps.support", "op": "add", "value": -0.1},
        {"week": 2, "name": "grievance", "target": "states.A.grievance", "op": "add", "value": 0.3},
        {"week": 3, "name": "coalition rallies", "target": "states.*.coalition.commitment", "op": "add",
         "value": 0.1, "probability": 0.6},
        {"week": 4, "name": "pledge", "target": "leaders.LG.pledged", "op": "add", "value": 0.5},
        {"week": 5, "name": "doubts", "target": "domestic.guarantee", "op": "scale", "value": 0.9,
         "probability": 0.5},
    ]
    if requires_ceasefire:
        events += [
            {"week": 6, "name": "ceasefire", "target": "crisis.ceasefire", "op": "set", "value": 1.0,
             "probability": 0.7},
            {"week": 9, "name": "ceasefire collapses", "target": "crisis.ceasefire", "op": "set", "value": 0.0,
             "probability": 0.3},
        ]
    return {
        "name": "crisis", "horizon": horizon, "dt": dt, "ladder": ladder, "states": states, "reactions": reactions,
        "roles": {"adversary": "A", "guarantor": "G", "coalition_lead": "L"},
        "actions": actions, "leaders": leaders, "factions": factions, "events": events,
        "coalition": {"rate": 0.3, "noise": 0.05, "autonomy_weight": 0.5, "deploy_push": 0.2,
                      "requires_ceasefire": requires_ceasefire},
        "domestic": {"guarantee0": 0.6, "guarantee_base": 0.85, "guarantee_rate": 0.3, "capital_weight": 0.4,
                     "support_weight": 0.3, "capital_noise": 0.02, "agenda_gain": 0.05,
                     "escalation_cost": 0.01},
        "deterrence": {"drift": 0.4, "action_cost": 0.5},
        "alignment": {"weight": 0.5},
        "decisions": {"commitment_decay": 0.1},
        "outcomes": {"clash_rung": 5, "deescalation_rung": 2},
    }


def test_reference_generator_is_the_kernel_generator():
    for coords in [(0, 0, 0, 0, 0), (2**63 - 1, 12345, 51, 30, 6), (7, 99, 3, 2, rng.NOISE)]:
        assert uniform(*coords) == rng.uniform(*coords)
        assert normal(*coords) == rng.normal(*coords)


def test_baseline_matches_reference(baseline):
    _agree(baseline)


def test_synthetic_scenario_matches_reference():
    _agree(synthetic_scenario(30, seed=3), replicates=(0, 5))


def test_switches_probabilistic_events_and_divergence_match_reference():
    calm = sim.load_scenario("baseline", {"mechanisms.domestic": False, "leaders.putin.resolve": 1.4})
    raw = toy_raw(3, noise=0.4, mechanisms={"coalition": True})
    raw["horizon"] = 6  # weeks of 20 steps: the event comes at a week boundary mid-run
    raw["events"] = [{"week": 3, "name": "maybe", "target": "states.S1.x", "op": "scale", "value": 1.5,
                      "probability": 0.5}]
    coin = build_scenario(raw)
    unstable = toy_raw(2, noise=0.1)
    for r in unstable["reactions"]:
        r["k"] = 2.0
    unstable.update(dt=0.05, horizon=20, outcomes={"divergence_level": 1e3})
    diverging = build_scenario(unstable)
    for scenario in (calm, coin, diverging):
        _agree(scenario, replicates=(0, 1, 2, 3))
    summary = sim.run_ensemble(diverging, 4, SEED).summary
    assert summary["diverged"].all()  # the guard was exercised
    assert (summary["diverged_week"] > 0).all()


def test_substeps_match_reference():
    """dt = 1/4: weekly decisions and pledges, events at week boundaries, the hazard spread over the steps."""
    summary = _agree(build_scenario(_crisis_raw(0.25)), replicates=tuple(range(8)))
    assert summary["clash"].any() and summary["deployed_peak"].gt(0).any()  # the branches were exercised


def test_ceasefire_and_kinetic_rungs_match_reference():
    """Deployments wait for a ceasefire (an event or the adversary's choice); kinetic rungs wait for force."""
    summary = _agree(build_scenario(_crisis_raw(1.0, requires_ceasefire=True, horizon=30)),
                     replicates=tuple(range(8)))
    assert summary["ceasefire_week"].ge(0).any() and summary["ceasefire_week"].lt(0).any()
