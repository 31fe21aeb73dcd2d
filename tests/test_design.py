"""Batched designs: each sampler against the property that defines it."""
import numpy as np
import pandas as pd
import pytest

from experiments.design import Design, DesignError, design_from_config, part_of, sample

PARAMS = {"leaders.putin.resolve": [0.5, 1.5], "domestic.guarantee_base": [0.0, 1.0],
          "coalition.threat_weight": [1.0, 2.0]}


def make(kind, n, params=PARAMS, **kw):
    return design_from_config({"kind": kind, "n": n, "params": params, **kw})


def test_grid_is_every_combination_of_evenly_spaced_values():
    frame = sample(make("grid", 3, {"a.x": [0, 1], "b.y": [10, 20]}), seed=1)
    assert list(frame.columns) == ["a.x", "b.y"] and len(frame) == 9
    assert frame.iloc[:3].to_numpy().tolist() == [[0, 10], [0, 15], [0, 20]]  # first parameter varies slowest
    assert set(frame["a.x"]) == {0.0, 0.5, 1.0}


def test_latin_hypercube_puts_one_point_in_each_stratum_of_each_parameter():
    design = make("lhs", 50)
    frame = sample(design, seed=3)
    for path, low, high in design.params:
        strata = np.floor((frame[path] - low) / (high - low) * 50).astype(int)
        assert sorted(strata) == list(range(50)), path


def test_sobol_needs_a_power_of_two_and_stays_in_bounds():
    with pytest.raises(DesignError, match=r"design.n: .*power of two, got 1000 \(try 1024\)"):
        make("sobol", 1000)
    frame = sample(make("sobol", 1024), seed=5)
    assert len(frame) == 1024 and frame.index.name == "design_index"
    for path, (low, high) in PARAMS.items():
        assert frame[path].between(low, high).all()
    # a balanced sequence: every half of every range holds exactly half of the points
    assert ((frame["domestic.guarantee_base"] < 0.5).sum()) == 512


def test_samples_depend_on_the_seed_only():
    design = make("lhs", 16)
    pd.testing.assert_frame_equal(sample(design, seed=1), sample(design, seed=1))
    assert not sample(design, seed=1).equals(sample(design, seed=2))
    fixed = make("lhs", 16, seed=7)
    pd.testing.assert_frame_equal(sample(fixed, seed=1), sample(fixed, seed=99))


def test_saltelli_rows_are_a_ab_i_b_blocks():
    design = make("saltelli", 8)
    d = len(PARAMS)
    frame = sample(design, seed=2)
    assert len(frame) == design.size == 8 * (d + 2)
    blocks = frame.to_numpy().reshape(8, d + 2, d)
    a, b = blocks[:, 0], blocks[:, -1]
    for i in range(d):
        ab = blocks[:, 1 + i]
        assert np.array_equal(ab[:, i], b[:, i])
        assert np.array_equal(np.delete(ab, i, axis=1), np.delete(a, i, axis=1))


def test_parts_cut_the_design_into_contiguous_slices():
    frame = sample(make("random", 10), seed=4)
    parts = [part_of(frame, p, 3) for p in range(3)]
    assert [len(p) for p in parts] in ([3, 4, 3], [3, 3, 4], [4, 3, 3])
    pd.testing.assert_frame_equal(pd.concat(parts), frame)


@pytest.mark.parametrize("spec, message", [
    ({"kind": "latin", "n": 4, "params": PARAMS}, "design.kind: expected one of"),
    ({"kind": "lhs", "n": 0, "params": PARAMS}, r"design.n: expected an integer in \[1, 10000000\], got 0"),
    ({"kind": "lhs", "n": 4, "params": {}}, "design.params: a design needs at least one"),
    ({"kind": "lhs", "n": 4, "params": {"a.b": [1]}}, r"design.params.a.b: expected \[low, high\]"),
    ({"kind": "lhs", "n": 4, "params": {"a.b": [2, 1]}}, "design.params.a.b: low 2.0 is above high 1.0"),
    ({"kind": "lhs", "n": 4, "params": PARAMS, "parts": 2, "part": 2}, r"design.part: expected an integer in \[0, 1\]"),
])
def test_malformed_designs_are_refused_naming_the_key(spec, message):
    with pytest.raises(DesignError, match=message):
        design_from_config(spec)


def test_no_kind_means_no_design():
    assert design_from_config({"kind": None, "n": 64, "params": {}}) is None
    assert isinstance(make("grid", 2), Design)
