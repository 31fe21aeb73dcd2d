"""The reaction core against known answers: solve_ivp, the linear equilibrium and its stability."""
import numpy as np
import pytest
from scipy.integrate import solve_ivp

import sim
from sim.engine.pack import compile_params
from sim.engine.kernel import begin, key_for, new_workspace, rung_of, step
from sim.engine.layout import S_DIVERGED
from sim.scenario.build import build_scenario

from tests.conftest import linear_system, toy, toy_raw


def reference(s, t_end):
    K, A, g = linear_system(s)
    sol = solve_ivp(lambda t, x: (K - A) @ x + g, (0.0, t_end), [st.x0 for st in s.states],
                    rtol=1e-11, atol=1e-12)
    return sol.y[:, -1]


@pytest.mark.parametrize("n", [2, 3, 5])
def test_euler_matches_solve_ivp_with_first_order_convergence(n):
    errors = []
    for dt in (0.02, 0.01):
        raw = toy_raw(n)
        raw.update(dt=dt, steps=int(round(4.0 / dt)))
        s = build_scenario(raw)
        x = sim.simulate(s, seed=1)
        errors.append(np.abs(x[-1] - reference(s, 4.0)).max())
    assert errors[1] < 5e-3
    assert 1.7 < errors[0] / errors[1] < 2.3  # Euler's global error halves with dt


def test_equilibrium_and_stability_match_eigen_analysis():
    raw = toy_raw(4)
    raw.update(dt=0.05, steps=4000)
    s = build_scenario(raw)
    K, A, g = linear_system(s)
    eig = np.linalg.eigvals(K - A)
    assert np.all(eig.real < 0)  # this system is stable ...
    x_star = -np.linalg.solve(K - A, g)
    x = sim.simulate(s, seed=3)
    np.testing.assert_allclose(x[-1], x_star, rtol=1e-6)  # ... and settles at -(K - A)^-1 g


def test_unstable_system_runs_away_and_is_flagged():
    raw = toy_raw(2)
    for r in raw["reactions"]:
        r["k"] = 2.0  # k12 k21 = 4 > a1 a2: Richardson's instability
    raw.update(dt=0.05, steps=2000)
    raw["outcomes"] = {"divergence_level": 1e3}
    s = build_scenario(raw)
    K, A, _ = linear_system(s)
    assert np.linalg.eigvals(K - A).real.max() > 0
    p = compile_params(s)
    ws = new_workspace(p)
    begin(p, ws, key_for(1, 0))
    for t in range(p.steps):
        step(p, ws, t, key_for(1, 0))
    assert ws.status[S_DIVERGED] == 1
    assert np.all(np.isfinite(sim.simulate(s, seed=1)))


def test_levels_stay_non_negative_under_noise():
    raw = toy_raw(3, noise=2.0)
    for st in raw["states"]:
        st["grievance"] = -0.5
    x = sim.simulate(build_scenario(raw), seed=5)
    assert x.min() >= 0.0
    assert (x == 0.0).any()  # the floor is reached, so the test exercises the reflection


def test_same_seed_same_trajectory_and_seeds_differ():
    s = toy(3, noise=0.3)
    a, b, c = sim.simulate(s, 1), sim.simulate(s, 1), sim.simulate(s, 2)
    assert np.array_equal(a, b) and not np.array_equal(a, c)
    assert not np.array_equal(a, sim.simulate(s, 1, replicate=1))


def test_rung_function():
    th = np.array([0.0, 1.0, 2.0, 3.5])
    assert [rung_of(th, v) for v in (0.0, 0.99, 1.0, 3.49, 3.5, 100.0)] == [0, 0, 1, 2, 3, 3]


def test_mechanism_off_switches(baseline):
    from dataclasses import replace
    off = replace(baseline, mechanisms=replace(baseline.mechanisms, reaction=False, decisions=False,
                                               coalition=False, domestic=False, events=False,
                                               deterrence=False, alignment=False))
    x = sim.simulate(off, seed=1)
    assert np.array_equal(x, np.repeat(x[:1], len(x), axis=0))  # nothing moves with every mechanism off


def test_bad_seed_is_rejected(baseline):
    with pytest.raises(ValueError, match=r"seed: expected an integer in \[0, 2\*\*63\), got -1"):
        sim.simulate(baseline, seed=-1)


def test_every_path_shares_one_compiled_signature_per_operation():
    """The ensemble, the Mesa path and sim.simulate call the same compiled code: a second signature would be a
    second compile of the whole step."""
    from sim.engine.ensemble import run_chunk
    from sim.engine.kernel import choose_actions, run_trajectory

    s = sim.load_scenario("baseline")
    sim.run_ensemble(s, 2, 1, threads=2)
    sim.EscalationModel(s, 1).step()
    sim.simulate(s, 1)
    for operation in (begin, step, choose_actions, run_trajectory, run_chunk):
        assert len(operation.signatures) == 1, (operation, operation.signatures)
