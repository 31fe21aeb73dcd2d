"""Quantal-response decisions: beta = 0 is uniform, large beta is the best response."""
import numpy as np
import pytest
from scipy import stats

from sim.engine import rng
from sim.engine.pack import compile_params
from sim.engine.kernel import action_utilities, begin, choose_actions, key_for, logit_choice, new_workspace
from sim.scenario.build import build_scenario

from tests.conftest import toy_raw

ACTIONS = [
    {"name": "de_escalate", "delta": -0.5, "goldstein": 5.0, "backdown": True},
    {"name": "hold", "delta": 0.0, "goldstein": 0.0},
    {"name": "warn", "delta": 0.2, "goldstein": -2.0, "cost": 0.1, "pledge": 0.3},
    {"name": "sanction", "delta": 0.4, "goldstein": -8.0, "cost": 0.3},
    {"name": "strike", "delta": 1.2, "goldstein": -10.0, "cost": 0.5, "kinetic": True},
]


def scenario_with_leader(beta, actions=()):
    raw = toy_raw(3, mechanisms={"decisions": True})
    raw["states"][0]["grievance"] = 1.5  # away from rest, so utilities differ clearly
    raw["actions"] = ACTIONS
    raw["leaders"] = [{"id": "L", "name": "L", "state": "S0", "rationality": beta, "resolve": 1.0,
                       "risk_aversion": 0.5, "audience_cost": 0.5, "political_capital": 0.5,
                       "actions": list(actions)}]
    return build_scenario(raw)


def choice_counts(beta, n_draws, actions=()):
    p = compile_params(scenario_with_leader(beta, actions))
    ws = new_workspace(p)
    counts = np.zeros(p.n_actions, np.int64)
    for r in range(n_draws):
        begin(p, ws, key_for(42, r))
        choose_actions(p, ws, 0, key_for(42, r))
        counts[ws.choice[0]] += 1
    utilities = np.zeros(p.n_actions)
    action_utilities(p, ws, 0, utilities)
    return counts, utilities


def test_beta_zero_gives_uniform_choice():
    counts, _ = choice_counts(0.0, 20000)
    # chi-square goodness of fit to uniform at the 0.1% level (fixed seed 42)
    assert stats.chisquare(counts).pvalue > 0.001
    assert np.all(np.abs(counts / counts.sum() - 0.2) < 0.015)


def test_beta_zero_respects_the_action_list():
    counts, _ = choice_counts(0.0, 6000, actions=("hold", "warn"))
    assert counts[[0, 3, 4]].sum() == 0
    assert stats.chisquare(counts[[1, 2]]).pvalue > 0.001


def test_large_beta_gives_the_best_response():
    counts, utilities = choice_counts(1e4, 2000)
    assert len(set(np.round(utilities, 12))) == len(utilities)  # a unique best action
    assert counts[np.argmax(utilities)] == 2000


def test_intermediate_beta_matches_logit_probabilities():
    beta = 2.0
    counts, utilities = choice_counts(beta, 40000)
    expected = np.exp(beta * (utilities - utilities.max()))
    expected /= expected.sum()
    assert stats.chisquare(counts, expected * counts.sum()).pvalue > 0.001


@pytest.mark.parametrize("beta", [0.0, 1.0, 50.0])
def test_logit_choice_is_inverse_cdf(beta):
    u = np.array([0.3, -np.inf, 0.1, 0.9])
    draws = [logit_choice(u, 4, beta, rng.uniform(1, r, 0, 0, 1)) for r in range(4000)]
    assert 1 not in draws  # an unavailable action is never chosen
    available = np.isfinite(u)
    w = np.where(available, np.exp(beta * (np.where(available, u, 0.0) - 0.9)), 0.0)
    w /= w.sum()
    freq = np.bincount(draws, minlength=4) / 4000
    assert np.all(np.abs(freq - w) < 0.03)
