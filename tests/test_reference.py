"""The pure-Python Mesa reference and the kernel give the same numbers, bit for bit.

The reference (benchmarks/reference.py) re-implements every phase and the random
generator without any kernel code, so agreement checks the kernel's arithmetic, its
summation orders, the inlined ensemble path and the counter-based draws at once.
"""
import numpy as np

import sim
from benchmarks.reference import ReferenceModel, normal, uniform
from sim import rng
from sim.synthetic import synthetic_scenario
from sim.validate import build_scenario

from .conftest import toy_raw

SEED = 424242


def _agree(scenario, replicates=(0, 1, 2)):
    ensemble = sim.run_ensemble(scenario, max(replicates) + 1, SEED)
    for r in replicates:
        model = ReferenceModel(scenario, SEED, r)
        levels = np.array(model.run())
        np.testing.assert_array_equal(levels, sim.simulate(scenario, SEED, r))
        row = ensemble.summary.iloc[r]
        for column, value in model.outcomes().items():
            assert row[column] == value, (r, column, row[column], value)


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
    raw["events"] = [{"week": 3, "name": "maybe", "target": "states.S1.x", "op": "scale", "value": 1.5,
                      "probability": 0.5}]
    coin = build_scenario(raw)
    unstable = toy_raw(2, noise=0.1)
    for r in unstable["reactions"]:
        r["k"] = 2.0
    unstable.update(dt=0.05, steps=400, outcomes={"divergence_level": 1e3})
    diverging = build_scenario(unstable)
    for scenario in (calm, coin, diverging):
        _agree(scenario, replicates=(0, 1, 2, 3))
    assert sim.run_ensemble(diverging, 4, SEED).summary["diverged"].all()  # the guard was exercised
