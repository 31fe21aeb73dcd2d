"""Sobol and Morris indices against known answers, on functions and on a sweep table."""
import numpy as np
import pandas as pd
import pytest

from experiments.sensitivity import morris_indices, sobol_from_outputs, sobol_indices, sweep_sensitivity
from experiments.design import Design, design_from_config, sample
from sim.report.sweep import sensitivity_figures
from sim.report.views.sweep import sensitivity_bars

PI = np.pi
ISHIGAMI = {"x1": (-PI, PI), "x2": (-PI, PI), "x3": (-PI, PI)}


def ishigami(X, a=7.0, b=0.1):
    return np.sin(X[:, 0]) + a * np.sin(X[:, 1]) ** 2 + b * X[:, 2] ** 4 * np.sin(X[:, 0])


def ishigami_indices(a=7.0, b=0.1):
    """Analytic first-order and total indices (Ishigami & Homma 1990; Sobol' & Levitan 1999)."""
    v1 = 0.5 * (1 + b * PI ** 4 / 5) ** 2
    v2 = a ** 2 / 8
    v13 = b ** 2 * PI ** 8 * (1 / 18 - 1 / 50)
    var = v1 + v2 + v13
    return {"S1": [v1 / var, v2 / var, 0.0], "ST": [(v1 + v13) / var, v2 / var, v13 / var]}


def test_sobol_indices_match_ishigami_at_4096_base_points():
    result = sobol_indices(ishigami, ISHIGAMI, 2 ** 12, seed=3)
    assert list(result.columns) == ["S1", "S1_conf", "ST", "ST_conf"] and list(result.index) == ["x1", "x2", "x3"]
    for column, expected in ishigami_indices().items():
        assert np.abs(result[column].to_numpy() - expected).max() < 0.05, (column, result[column].tolist(), expected)
    assert (result[["S1_conf", "ST_conf"]] > 0).all().all()


def test_sobol_indices_of_an_additive_function_are_its_variance_shares():
    # y = 2 a + b: var shares 4/5 and 1/5, no interaction, c inert
    result = sobol_indices(lambda X: 2 * X[:, 0] + X[:, 1], {"a": (0, 1), "b": (0, 1), "c": (0, 1)}, 2 ** 11, seed=1)
    assert result["S1"].to_numpy() == pytest.approx([0.8, 0.2, 0.0], abs=0.03)
    assert result["ST"].to_numpy() == pytest.approx([0.8, 0.2, 0.0], abs=0.03)


def test_sobol_rejects_a_size_that_is_not_a_power_of_two():
    with pytest.raises(ValueError, match="power of two"):
        sobol_indices(ishigami, ISHIGAMI, 1000, seed=0)


def test_morris_ranks_a_planted_inert_parameter_last():
    bounds = {**ISHIGAMI, "inert": (0.0, 5.0)}
    result = morris_indices(lambda X: ishigami(X[:, :3]), bounds, 40, seed=2)
    assert result["mu_star"].idxmin() == "inert" and result.loc["inert", "mu_star"] == 0
    assert (result.drop("inert")["mu_star"] > 0.5).all()


def test_morris_design_moves_one_parameter_per_step():
    design = design_from_config({"kind": "morris", "n": 6, "params": {"a": [0, 1], "b": [10, 20], "c": [-1, 1]}})
    points = sample(design, seed=4).to_numpy()
    assert design.size == len(points) == 6 * 4
    steps = np.diff(points.reshape(6, 4, 3), axis=1)
    assert ((steps != 0).sum(axis=2) == 1).all()


def _saltelli_table(func, bounds, n, scenario="s", **fixed):
    design = Design("saltelli", n, tuple((k, *v) for k, v in bounds.items()), seed=1)
    points = sample(design, 1)
    y = func(points.to_numpy())
    table = points.reset_index().assign(scenario=scenario, status="ok", p_clash=y, **fixed)
    return table, {"kind": "saltelli", "n": n, "paths": list(bounds)}


def test_sweep_indices_equal_those_of_the_function_per_scenario():
    bounds = {"leaders.putin.resolve": (0.0, 1.0), "domestic.guarantee_base": (0.0, 1.0)}
    one, spec = _saltelli_table(lambda X: X[:, 0] + 0.1 * X[:, 1], bounds, 256, "a")
    two, _ = _saltelli_table(lambda X: 0.1 * X[:, 0] + X[:, 1], bounds, 256, "b")
    table = pd.concat([one, two.sample(frac=1.0, random_state=0)], ignore_index=True)  # order must not matter
    result = sweep_sensitivity(table, [spec], outcomes=["p_clash"])
    assert set(result["scenario"]) == {"a", "b"} and (result["error"] == "").all()
    for name, frame in (("a", one), ("b", two)):
        expected = sobol_from_outputs(list(bounds), frame.sort_values("design_index")["p_clash"].to_numpy())
        got = result[result["scenario"] == name].set_index("param")
        assert np.allclose(got.loc[list(bounds), "ST"], expected["ST"])
    top = result.loc[result.groupby("scenario")["ST"].idxmax()].set_index("scenario")["param"]
    assert top.to_dict() == {"a": "leaders.putin.resolve", "b": "domestic.guarantee_base"}
    assert len(sensitivity_bars(result).data) == 2
    titles = [entry.figure.layout.title.text for entry in sensitivity_figures(result)]
    assert len(titles) == 2 and "P(clash) in a" in titles[0] and "P(clash) in b" in titles[1]


def test_sweep_indices_name_an_incomplete_design():
    bounds = {"leaders.putin.resolve": (0.0, 1.0), "domestic.guarantee_base": (0.0, 1.0)}
    table, spec = _saltelli_table(lambda X: X[:, 0], bounds, 16)
    table.loc[3, "status"] = "failed"
    result = sweep_sensitivity(table, [spec], outcomes=["p_clash"])
    assert len(result) == 1 and result["error"].iloc[0] == "63 of 64 design points finished"


def test_a_saltelli_sweep_ends_with_indices_and_their_chart(tmp_path):
    from sim.results.sweep import REPORT_FILE, SENSITIVITY_FILE
    from tests.test_sweep_cli import escalate
    out = tmp_path / "salt"
    proc = escalate("design.kind=saltelli", "design.n=4", "+design.params.leaders.putin.resolve=[0.5,1.5]",
                    "+design.params.coalition.threat_weight=[0.5,2.0]", "replicates=30", "steps=12",
                    "progress=false", "outputs=full", f"hydra.run.dir={out}", cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    result = pd.read_parquet(out / SENSITIVITY_FILE)
    assert set(result["outcome"]) == {"p_clash", "mean_deployed_peak", "mean_max_rung_adversary"}
    assert set(result["param"]) == {"leaders.putin.resolve", "coalition.threat_weight"}
    assert (result["method"] == "sobol").all() and result["points"].eq(16).all()
    assert "Sobol indices of P(clash)" in (out / REPORT_FILE).read_text()


def test_sweep_morris_indices_equal_those_of_the_function():
    bounds = {"leaders.putin.resolve": (0.5, 1.5), "domestic.guarantee_base": (0.0, 1.0), "ladder.5.risk": (0, 0.1)}

    def func(X):
        return np.sin(3 * X[:, 0]) + 2 * X[:, 1] ** 2

    points = sample(Design("morris", 20, tuple((k, *v) for k, v in bounds.items()), seed=7), 7)
    table = points.reset_index().assign(scenario="s", status="ok", p_clash=func(points.to_numpy()))
    spec = {"kind": "morris", "n": 20, "paths": list(bounds), "bounds": {k: list(v) for k, v in bounds.items()}}
    result = sweep_sensitivity(table.iloc[::-1], [spec], outcomes=["p_clash"]).set_index("param")
    expected = morris_indices(func, bounds, 20, seed=7)
    assert np.allclose(result.loc[list(bounds), "mu_star"], expected["mu_star"])
    assert result["mu_star"].idxmin() == "ladder.5.risk"
