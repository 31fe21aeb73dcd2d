"""Synthetic scenarios of N states: valid, shaped like the baseline, sparse, at rest at week 0."""
import numpy as np
import pytest

import sim
from sim.scenario.synthetic import synthetic_scenario

from tests.conftest import linear_system


@pytest.mark.parametrize("n", [4, 10, 100])
def test_size_and_shape(n):
    s = synthetic_scenario(n)
    assert len(s.states) == n
    assert len(s.leaders) == min(n, max(3, round(n * 8 / 31)))
    assert len(s.reactions) < 2 * n + 6  # sparse: K grows like n, not n**2
    assert s.roles.adversary == s.states[0].id and s.states[2].coalition is not None
    assert [a.name for a in s.actions] == [a.name for a in sim.load_scenario("baseline").actions]


def test_reproducible_from_seed():
    assert synthetic_scenario(12, seed=5) == synthetic_scenario(12, seed=5)
    assert synthetic_scenario(12, seed=5) != synthetic_scenario(12, seed=6)


def test_week_zero_is_a_stable_rest():
    s = synthetic_scenario(40)
    K, A, g = linear_system(s)
    x0 = np.array([st.x0 for st in s.states])
    np.testing.assert_allclose((K - A) @ x0 + g, 0.0, atol=1e-12)
    assert np.linalg.eigvals(K - A).real.max() < 0


def test_too_small_is_rejected():
    with pytest.raises(ValueError, match="at least 4"):
        synthetic_scenario(3)
