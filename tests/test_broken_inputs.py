"""A catalogue of broken inputs: each is refused with one line naming its key, and nothing is written.

Scenario files and library arguments go through the library (``load_scenario``,
``run_to_directory``, ``run_ensemble`` then ``save``, ``design_from_config``); a few
settings and overrides go through the ``escalate`` command itself.
"""
from __future__ import annotations

import re

import pytest

import sim
from sim.checks import InputError
from sim.engine.runner import max_threads
from experiments.design import design_from_config
from sim.pipeline import run_to_directory

from tests.cli import escalate

RANGE = {"leaders.putin.resolve": [0.5, 1.5]}

# (what is in the scenario file after `extends: baseline`, the key the message must name)
SCENARIO_FILES = [
    ("set:\n  states.RUS.noise: -1\n", r"states\[\d+\]\.noise: -1.0 is out of range"),
    ("set:\n  ladder.2.risk: 1.7\n", r"ladder\[2\]\.risk: 1.7 is out of range"),
    ("set:\n  reactions.0.actor: RUSS\n", r"reactions\[0\]\.actor: unknown actor 'RUSS'"),
    ("set:\n  leaders.putin.resolv: 1\n", r"set\.leaders\.putin\.resolv: unknown key \(did you mean 'resolve'\?\)"),
    ("set:\n  steps: 0\n", r"steps: expected a positive whole number of time steps, got 0"),
    ("set:\n  horizon: 3000\n", r"horizon: 3000 is out of range, expected \[1, 2600\]"),
    ("set:\n  dt: 0\n", r"dt: 0.0 is out of range"),
    ("set:\n  dt: 1e-3\n", r"dt: expected a number, got '1e-3' \(YAML reads"),
    ("horizn: 10\n", r"horizn: unknown key \(did you mean 'horizon'\?\)"),
    ("set:\n  states.RUS.x0: .nan\n", r"states\[\d+\]\.x0: expected a finite number"),
    ("set:\n  states.RUS.x0: 2.0e+6\n  outcomes.divergence_level: 1.0e+6\n",
     r"states\[\d+\]\.x0: 2000000.0 starts above outcomes.divergence_level \(1e\+06\)"),
    ("set:\n  states.DEU.coalition.withdraw_threshold: 0.99\n", r"states\[\d+\]\.coalition\.withdraw_threshold: must be below"),
    ("set:\n  ladder.3.threshold: 0.5\n", r"ladder\[3\]\.threshold: rungs must be in increasing order"),
    ("set:\n  outcomes.clash_rung: 20\n", r"outcomes\.clash_rung: rung 20 does not exist"),
    ("set:\n  roles.adversary: XX\n", r"roles\.adversary: unknown actor 'XX'"),
    ("set:\n  mechanisms.coalition: 'yes'\n", r"mechanisms\.coalition: expected true or false"),
    ("set:\n  factions.0.weight: 0.9\n", r"factions: weights must sum to 1"),
    ("append:\n  events:\n    - {week: 2, name: odd, target: states.RUS.x, op: multiply, value: 1}\n",
     r"events\[\d+\]\.op: expected one of set, add, scale, got 'multiply'"),
    ("set:\n  dt: 0.3\n", r"dt: 0.3 weeks per step does not divide a week"),
    ("append:\n  events:\n    - {week: 2, name: odd, target: states.RUS.fatigue, op: add, value: 1}\n",
     r"events\[\d+\]\.target: cannot target 'states\.RUS\.fatigue'"),
    ("append:\n  states:\n    - {id: RUS, name: again, bloc: x, x0: 0, fatigue: 1, grievance: 0, noise: 0}\n",
     r"states\[\d+\]\.id: duplicate id 'RUS'"),
    ("set:\n  states.RUS.noise: [1, 2]\n", r"states\[\d+\]\.noise: expected a number, got \[1, 2\]"),
]


@pytest.mark.parametrize("text, expected", SCENARIO_FILES, ids=[f"file-{i}" for i in range(len(SCENARIO_FILES))])
def test_broken_scenario_file_names_file_and_key_and_writes_nothing(tmp_path, text, expected):
    path = tmp_path / "broken.yaml"
    path.write_text("extends: baseline\nname: broken\n" + text)
    out = tmp_path / "run"
    with pytest.raises(sim.ScenarioError) as err:
        run_to_directory(sim.load_scenario(path), 10, 1, out)
    message = str(err.value)
    assert "\n" not in message and message.startswith(f"{path}: ")
    assert re.search(expected, message), message
    assert not out.exists()


def test_invalid_yaml_names_the_line(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("extends: baseline\nset:\n  states.RUS.noise: [1, 2\n")
    with pytest.raises(sim.ScenarioError, match=rf"^{re.escape(str(path))}: line \d+: invalid YAML"):
        sim.load_scenario(path)


def test_unknown_base_scenario_names_extends(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("extends: baselin\n")
    with pytest.raises(sim.ScenarioError, match=rf"^{re.escape(str(path))}: extends: .*did you mean 'baseline'"):
        sim.load_scenario(path)


def _save(scenario, out, replicates=10, seed=1, **kw):
    sim.run_ensemble(scenario, replicates, seed, **kw).save(out)


# (call, keyword arguments, the key named, what the message says is expected)
ARGUMENTS = [
    (_save, dict(threads=0), "threads", r"null \(all cores\) or an integer in \[1, \d+\]"),
    (_save, dict(threads=10_000), "threads", r"null \(all cores\) or an integer in \[1, \d+\]"),
    (_save, dict(replicates=0), "replicates", "a positive integer"),
    (_save, dict(replicates=2.5), "replicates", "a positive integer"),
    (_save, dict(replicates=True), "replicates", "a positive integer"),
    (_save, dict(seed=-1), "seed", r"an integer in \[0, 2\*\*63\)"),
    (_save, dict(seed=2**63), "seed", r"an integer in \[0, 2\*\*63\)"),
    (_save, dict(seed="7"), "seed", r"an integer in \[0, 2\*\*63\)"),
    (_save, dict(batch=0), "batch", "a positive integer"),
    (_save, dict(progress="no"), "progress", "true or false"),
    (run_to_directory, dict(narrative_replicate=-1), "narrative_replicate", r"an integer in \[0, 2\*\*63\)"),
    (run_to_directory, dict(max_diverged_share=1.5), "max_diverged_share", r"a number in \[0, 1\]"),
    (run_to_directory, dict(max_diverged_share=float("nan")), "max_diverged_share", r"a number in \[0, 1\]"),
    (run_to_directory, dict(overwrite="yes"), "overwrite", "true or false"),
    (run_to_directory, dict(threads=-2), "threads", r"null \(all cores\) or an integer in \[1, \d+\]"),
]


@pytest.mark.parametrize("call, kwargs, key, expected", ARGUMENTS,
                         ids=[f"{c.__name__}-{k}" for c, _, k, _ in ARGUMENTS])
def test_bad_library_argument_names_key_value_and_expectation(tmp_path, baseline, call, kwargs, key, expected):
    out = tmp_path / "run"
    kwargs = dict(kwargs)
    args = (baseline, out) if call is _save else (baseline, kwargs.pop("replicates", 10), kwargs.pop("seed", 1), out)
    with pytest.raises(InputError) as err:
        call(*args, **kwargs)
    assert err.value.key == key
    assert re.fullmatch(rf"{key}: expected {expected}(.*)?, got .+", str(err.value)), str(err.value)
    assert not out.exists()


@pytest.mark.parametrize("call", [sim.simulate, lambda s, seed, replicate: sim.EscalationModel(s, seed, replicate)])
def test_bad_replicate_number_on_both_single_run_paths(baseline, call):
    with pytest.raises(InputError, match=r"^replicate: expected an integer in \[0, 2\*\*63\), got -3$"):
        call(baseline, 1, -3)


def test_a_raw_mapping_is_not_a_scenario(baseline):
    with pytest.raises(InputError, match=r"^scenario: expected a Scenario \(from sim.load_scenario\), got 'dict'$"):
        sim.run_ensemble({"name": "x"}, 10, 1)


def test_thread_limit_is_numbas():
    import numba
    assert max_threads() == numba.config.NUMBA_NUM_THREADS >= 1


DESIGNS = [
    ({"kind": "lhs", "n": 0}, r"design\.n: expected an integer in \[1, 10000000\], got 0"),
    ({"kind": "sobol", "n": 100}, r"design\.n: a sobol design needs a power of two, got 100 \(try 128\)"),
    ({"kind": "grid", "n": 1000, "params": {**RANGE, "a.b": [0, 1], "c.d": [0, 1]}},
     r"design\.n: a grid design of n=1000 over 3 parameters has 1,000,000,000 points, expected at most"),
    ({"kind": "lhs", "n": 4, "parts": 2, "part": 3}, r"design\.part: expected an integer in \[0, 1\], got 3"),
    ({"kind": "lhs", "n": 4, "parts": 8}, r"design\.parts: 8 parts of a design of 4 points leave some parts empty"),
    ({"kind": "lhs", "n": 4, "seed": -1}, r"design\.seed: expected an integer in \[0, 2\*\*63\), got -1"),
    ({"kind": "lhs", "n": 4, "params": {"x.y": [2, 1]}}, r"design\.params\.x\.y: low 2.0 is above high 1.0"),
    ({"kind": "lhs", "n": 4, "params": {"x.y": [0, float("inf")]}}, r"design\.params\.x\.y: expected \[low, high\]"),
]


@pytest.mark.parametrize("spec, expected", DESIGNS, ids=[f"design-{i}" for i in range(len(DESIGNS))])
def test_bad_design_sizes_name_the_key(spec, expected):
    from experiments.design import DesignError
    with pytest.raises(DesignError, match=f"^{expected}"):
        design_from_config({"params": RANGE, **spec})


# --- the command line --------------------------------------------------------

CLI = [
    (["threads=0"], "threads"),
    (["threads=100000"], "threads"),
    (["replicates=-5"], "replicates"),
    (["seed=abc"], "seed"),
    (["steps=0"], "steps"),
    (["max_diverged_share=-0.1"], "max_diverged_share"),
    (["outputs=pdf"], "outputs"),
    (["+params.states.RUS.noise=-1"], "noise"),
    (["design.kind=lhs", "design.n=0", "+design.params.leaders.putin.resolve=[0.5,1.5]"], "design.n"),
    (["-m", "scenario=baseline,germany_joins", "hydra/launcher=joblib", "hydra.launcher.n_jobs=0"],
     "hydra.launcher.n_jobs"),
]


@pytest.mark.parametrize("args, key", CLI, ids=[a[-1] for a, _ in CLI])
def test_bad_command_line_exits_2_with_one_line_and_writes_nothing(tmp_path, args, key):
    out = tmp_path / "out"
    flags = [a for a in args if a.startswith("-")]  # Hydra's flags come before the overrides
    overrides = [a for a in args if not a.startswith("-")]
    proc = escalate(*flags, "replicates=10", "progress=false", *overrides, f"hydra.run.dir={out}",
                    f"hydra.sweep.dir={out}", cwd=tmp_path)
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    errors = [line for line in proc.stderr.splitlines() if line.startswith("escalate: error:")]
    assert len(errors) == 1 and f"{key}: " in errors[0], proc.stderr
    assert not out.exists()
