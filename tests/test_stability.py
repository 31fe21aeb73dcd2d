"""Stability of the reaction core: Richardson's two-actor condition and the distance to instability."""
import numpy as np
import pytest

import sim
from experiments.stability import abscissa, reaction_system, stability
from sim.scenario.build import build_scenario
from tests.conftest import linear_system, toy, toy_raw


def two_actors(k01, k10, a0=0.5, a1=0.6):
    raw = toy_raw(2)
    raw["states"][0]["fatigue"], raw["states"][1]["fatigue"] = a0, a1
    raw["reactions"] = [{"actor": "S0", "responds_to": "S1", "k": k01}, {"actor": "S1", "responds_to": "S0", "k": k10}]
    return build_scenario(raw)


def test_the_system_is_the_scenarios_linear_core():
    s = toy(4)
    K, A, g, ids = reaction_system(s)
    K2, A2, g2 = linear_system(s)
    assert np.array_equal(K, K2) and np.array_equal(A, A2) and np.array_equal(g, g2) and ids == ["S0", "S1", "S2", "S3"]
    result = stability(s)
    assert result.equilibrium.to_numpy() == pytest.approx(-np.linalg.solve(K - A, g))


@pytest.mark.parametrize("k01,k10,stable", [(0.3, 0.4, True), (0.6, 0.6, False)])
def test_richardson_condition_decides_stability(k01, k10, stable):
    # stable iff a_0 a_1 > k_01 k_10 (Richardson 1960): 0.30 > 0.12, and 0.30 < 0.36
    result = stability(two_actors(k01, k10))
    assert result.stable is stable
    assert result.stable == (0.5 * 0.6 > k01 * k10)


def test_distance_to_instability_is_where_richardson_condition_binds():
    result = stability(two_actors(0.3, 0.4)).margins
    # k_01 may rise to a_0 a_1 / k_10 = 0.75; fatigue a_0 may fall to k_01 k_10 / a_1 = 0.2
    assert result.loc["reactions.0.k", "critical"] == pytest.approx(0.75, abs=1e-9)
    assert result.loc["reactions.1.k", "critical"] == pytest.approx(1.0, abs=1e-9)
    assert result.loc["states.S0.fatigue", "critical"] == pytest.approx(0.2, abs=1e-9)
    assert result.loc["states.S0.fatigue", "change"] == pytest.approx(-0.3, abs=1e-9)
    assert result.loc["reactions.0.k", "relative"] == pytest.approx(1.5, abs=1e-9)


def test_an_unstable_core_reports_the_distance_back_to_stability():
    result = stability(two_actors(0.6, 0.6)).margins
    assert result.loc["reactions.0.k", "critical"] == pytest.approx(0.5, abs=1e-9)   # 0.5 * 0.6 = k * 0.6


def test_shipped_baseline_margins_cross_zero_exactly_at_the_critical_values(baseline):
    result = stability(baseline)
    K, A, _, _ = reaction_system(baseline)
    assert result.stable == (abscissa(K - A) < 0)
    margins = result.margins.dropna(subset=["critical"])
    assert len(margins) > 0
    for name, row in margins.head(5).iterrows():
        scenario = sim.load_scenario("baseline", {name: float(row["critical"])})
        K, A, _, _ = reaction_system(scenario)
        assert abs(abscissa(K - A)) < 1e-8, name
