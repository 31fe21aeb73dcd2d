"""Reaction fits on synthetic series with known coefficients, and ABC-SMC against targets made by the engine."""
import numpy as np
import pandas as pd
import pytest
from scipy.integrate import solve_ivp

import sim
from experiments.calibration import calibrate, fit_reaction, posterior_predictive, statistics
from experiments.points import ScenarioPoints
from tests.conftest import toy


def series(M, g, x0, times, noise, seed):
    exact = solve_ivp(lambda t, x: M @ x + g, (times[0], times[-1]), x0, t_eval=times, rtol=1e-10, atol=1e-12).y.T
    observed = exact + np.random.default_rng(seed).normal(0, noise, exact.shape)
    observed[0] = x0
    return observed


STABLE = (np.array([[-0.5, 0.2], [0.3, -0.4]]), np.array([1.0, 0.5]))
UNSTABLE = (np.array([[-0.2, 0.4], [0.35, -0.1]]), np.array([0.3, 0.2]))   # a_1 a_2 < k_12 k_21: a runaway race


@pytest.mark.parametrize("system", [STABLE, UNSTABLE], ids=["stable", "unstable"])
def test_fit_reaction_recovers_coefficients_and_stability(system):
    M, g = system
    times = np.linspace(0, 8, 50)
    fit = fit_reaction(times, series(M, g, np.array([0.5, 2.0]), times, 0.02, seed=1))
    assert np.abs(fit.M - M).max() < 0.05 and np.abs(fit.g - g).max() < 0.1
    assert fit.stable == bool((np.linalg.eigvals(M).real < 0).all())
    assert np.sort(fit.eigenvalues.real) == pytest.approx(np.sort(np.linalg.eigvals(M).real), abs=0.05)
    # the truth lies within a few standard errors
    assert (np.abs(fit.M - M) < 4 * fit.stderr.M).all() and (np.abs(fit.g - g) < 4 * fit.stderr.g).all()


def test_fit_reaction_reports_the_sse_of_its_own_prediction_and_the_equilibrium():
    M, g = STABLE
    times = np.linspace(0, 12, 40)
    observed = series(M, g, np.array([3.0, 0.1]), times, 0.05, seed=2)
    fit = fit_reaction(times, observed)
    assert fit.sse == pytest.approx(float(((observed - fit.predict(times)) ** 2).sum()), rel=1e-12)
    assert np.allclose(fit.predict(times)[0], observed[0])     # x0 is the first observation
    assert fit.equilibrium == pytest.approx(-np.linalg.solve(fit.M, fit.g))
    assert np.allclose(fit.residuals, observed - fit.predict(times))


def test_fit_reaction_of_one_actor_finds_its_decay():
    times = np.linspace(0, 10, 30)
    levels = 4.0 + (1.0 - 4.0) * np.exp(-0.3 * times)        # dx/dt = -0.3 x + 1.2
    fit = fit_reaction(times, levels)
    assert fit.M.shape == (1, 1) and fit.M[0, 0] == pytest.approx(-0.3, abs=1e-4) and fit.g == pytest.approx([1.2], abs=1e-3) and fit.stable


def test_fit_reaction_rejects_bad_input():
    with pytest.raises(ValueError, match="strictly increasing"):
        fit_reaction([0, 1, 1, 2], np.ones(4))
    with pytest.raises(ValueError, match="cannot determine"):
        fit_reaction([0, 1], np.ones((2, 2)))


TRUTH = 1.2


@pytest.fixture(scope="module")
def calibrated():
    scenario = toy(3, noise=0.3)
    summary = sim.run_ensemble(ScenarioPoints(scenario).at({"states.S0.grievance": TRUTH}), 1000, 99).summary
    stats = statistics(summary, len(scenario.ladder))
    targets = {k: v for k, v in stats.items() if k.startswith("p_adversary_rung_") or k == "mean_max_rung_adversary"}
    return scenario, calibrate(scenario, {"states.S0.grievance": (0.0, 3.0)}, targets, replicates=300,
                               population=60, generations=4, seed=1, progress=False)


def test_calibrate_recovers_a_planted_parameter(calibrated):
    _, result = calibrated
    assert list(result.samples.columns) == ["states.S0.grievance", "weight"]
    assert result.samples["weight"].sum() == pytest.approx(1) and len(result.samples) == 60
    interval = result.interval(0.9).loc["states.S0.grievance"]
    assert interval["low"] <= TRUTH <= interval["high"]
    assert interval["high"] - interval["low"] < 0.25 * 3.0          # clearly narrower than the prior
    assert len(result.tolerances) == 4 and result.simulations >= 240


def test_statistics_count_replicates_reaching_each_rung():
    summary = pd.DataFrame({"clash": [True, False, False, False], "deployed_peak": [2, 0, 1, 1],
                            "us_guarantee_final": [0.5, 0.5, 0.7, 0.3], "max_rung_S0": [3, 1, 0, 2]})
    stats = statistics(summary, 4)
    assert stats["p_clash"] == 0.25 and stats["mean_deployed_peak"] == 1.0
    assert stats["mean_us_guarantee_final"] == pytest.approx(0.5)
    assert [stats[f"p_adversary_rung_{r}"] for r in (1, 2, 3)] == [0.75, 0.5, 0.25]


def test_posterior_predictive_runs_the_draws_through_another_scenario(calibrated):
    scenario, result = calibrated
    what_if = ScenarioPoints(scenario).at({"states.S0.fatigue": 0.8})
    frame = posterior_predictive(result, what_if, draws=5, replicates=20, seed=3)
    assert len(frame) == 100 and frame["draw"].nunique() == 5
    assert frame.groupby("draw")["states.S0.grievance"].nunique().eq(1).all()
    again = posterior_predictive(result, what_if, draws=5, replicates=20, seed=3)
    pd.testing.assert_frame_equal(frame, again)


def test_calibrate_is_repeatable_and_names_a_bad_target(calibrated):
    scenario, result = calibrated
    with pytest.raises(ValueError, match="targets: unknown statistic 'p_clsh'; expected some of p_clash"):
        calibrate(scenario, {"states.S0.grievance": (0.0, 3.0)}, {"p_clsh": 0.1}, progress=False)
    with pytest.raises(sim.ScenarioError, match="did you mean 'grievance'"):
        calibrate(scenario, {"states.S0.grievanc": (0.0, 3.0)}, {"p_clash": 0.1}, progress=False)
    small = dict(replicates=50, population=10, generations=2, seed=4, progress=False)
    targets = {"mean_max_rung_adversary": 2.0}
    first = calibrate(scenario, {"states.S0.grievance": (0.0, 3.0)}, targets, **small)
    pd.testing.assert_frame_equal(first.samples, calibrate(scenario, {"states.S0.grievance": (0.0, 3.0)}, targets,
                                                           **small).samples)
