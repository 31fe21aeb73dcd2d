"""The sweep plan lists the jobs Hydra's basic sweeper launches, with the same overrides in the same order.

Each case runs a real Hydra multirun of the shipped ``configs/`` through Hydra's
own test runner (the ``hydra_sweep_runner`` fixture), whose task only reads the
scenario, parameters and design of the config Hydra composed for it; a callback
records what :func:`experiments.plan.plan_jobs` and
:func:`experiments.plan.job_settings` predicted at the start of the same
multirun. Jobs name the ``tiny`` scenario of a search-path folder unless the sweep
is over scenarios (Hydra composes no scenario: ``scenario`` is a name).
"""
from __future__ import annotations

import copy
from pathlib import Path

import pytest
from hydra.core.hydra_config import HydraConfig
from hydra.core.plugins import Plugins
from hydra.core.singleton import Singleton
from hydra.experimental.callback import Callback
from omegaconf import OmegaConf, open_dict

from experiments.naming import register
from experiments.plan import PlanError, expand_overrides, job_settings, plan_jobs, settings_of
from sim.scenario.load import available_scenarios

CONFIGS = Path(__file__).resolve().parent.parent / "configs"
EXPERIMENTS = sorted(p.stem for p in (CONFIGS / "experiment").glob("*.yaml"))
PLANNED: list = []


class PlanRecorder(Callback):
    def on_multirun_start(self, config, **kwargs) -> None:
        jobs = plan_jobs(config)
        PLANNED.append([(job, job_settings(config, job)) for job in jobs])


def composed_settings(cfg) -> dict:
    """What the plan should say of a job, read from the config Hydra composed for it."""
    with open_dict(cfg):
        cfg.hydra = HydraConfig.get()
    return settings_of(cfg)


@pytest.fixture
def multirun(hydra_sweep_runner, tmp_path):
    """``escalate -m OVERRIDES`` -> (planned jobs, launched jobs by number), each as (overrides, settings).

    The task only reads back the settings of the config Hydra composed for its job.
    Hydra's singletons are restored afterwards, as ``hydra_restore_singletons`` does,
    but from a state in which every plugin has registered its configs: a plugin
    registers them once, when first imported, and restoring an earlier state
    would hide them (``hydra/launcher=ray``) from the tests that come later.
    """
    Plugins.instance()
    state = copy.deepcopy(Singleton.get_state())
    extra = tmp_path / "extra"
    (extra / "scenarios").mkdir(parents=True)
    (extra / "scenarios" / "tiny.yaml").write_text("name: tiny\n")
    register()

    def run(*overrides: str) -> tuple[list, list]:
        PLANNED.clear()
        sweep = hydra_sweep_runner(
            calling_file=__file__, calling_module=None, task_function=composed_settings, config_path="../configs",
            config_name="config", temp_dir=tmp_path / "sweep",
            overrides=[*overrides, f"hydra.searchpath=[file://{extra}]", "~hydra.callbacks.sweep",
                       f"+hydra.callbacks.plan._target_={__name__}.PlanRecorder"])
        with sweep:
            launched = sorted(((r.hydra_cfg.hydra.job.num, list(r.overrides)), r.return_value)
                              for batch in sweep.returns for r in batch)
        [planned] = PLANNED
        assert [num for (num, _), _ in launched] == list(range(len(launched)))
        return planned, [(job, settings) for (_, job), settings in launched]
    yield run
    Singleton.set_state(state)


SWEEPS = {
    "commas_and_range": ["scenario=tiny", "+params.a=0.5,1.5", "+params.b=range(0,3)"],
    "float_range_and_choice": ["scenario=tiny", "+params.a=range(0,1,0.25)", "seed=choice(7,3)"],
    "sorted_and_plain_values": ["scenario=tiny", "replicates=sort(30,10,20)", "threads=1", "+params.c=[1,2]"],
    "quoted_commas_and_dicts": ["scenario=tiny", "+labels.a.label='x, y','z'", "+params.d={u:1,v:2},{u:3}"],
    "command_line_after_experiment": ["experiment=guarantee_vs_resolve", "scenario=tiny",
                                      "+params.domestic.guarantee_base=0.1", "seed=1,2"],
    "jobs_numbered_across_batches": ["scenario=tiny", "+params.a=range(5)", "hydra.sweeper.max_batch_size=2"],
    "deletion_and_force_add": ["scenario=tiny", "~labels", "++params.a=1,2"],
    "deleted_param": ["scenario=tiny", "+params.a=1", "+params.b=2,3", "~params.a"],
    "whole_params_and_design": ["scenario=tiny", "++params={a:1},{b:{c:2}}", "design.kind=grid,lhs",
                                "+design.params.x=[0,1]", "+design.params.y=[2,3]"],
    "scenario_files": [f"scenario_file={CONFIGS}/scenarios/ceasefire.yaml,{CONFIGS}/scenarios/baseline.yaml"],
    "scenario_names": ["scenario=tiny,us_backstop,ceasefire", "seed=1,2"],
    "file_then_name": ["scenario=tiny,baseline", "scenario_file=null,examples/what_if.yaml"],
}


@pytest.mark.parametrize("name", list(SWEEPS))
def test_plan_lists_the_jobs_hydra_launches(name, multirun):
    planned, launched = multirun(*SWEEPS[name])
    assert planned == launched and len(launched) >= 2


@pytest.mark.parametrize("name", EXPERIMENTS)
def test_shipped_experiments_plan_the_jobs_hydra_launches(name, multirun):
    swept = OmegaConf.load(CONFIGS / "experiment" / f"{name}.yaml").hydra.sweeper.params
    planned, launched = multirun(f"experiment={name}", *(() if "scenario" in swept else ("scenario=tiny",)))
    assert planned == launched and len(launched) >= 1  # a batched design: one job per launcher worker


def test_the_scenarios_experiment_plans_every_shipped_scenario_and_those_of_the_search_path(multirun):
    planned, launched = multirun("experiment=scenarios")
    assert planned == launched
    scenarios = [settings["scenario"] for _, settings in launched]
    assert set(available_scenarios()) <= set(scenarios)  # shipped ones by name, the others by path
    assert sorted(Path(s).stem for s in scenarios) == sorted([*available_scenarios(), "tiny"])


def test_a_key_given_again_keeps_its_place_and_takes_the_last_values():
    jobs = expand_overrides(["a=1,2", "b=3", "a=5,6,7"])
    assert jobs == [["a=5", "b=3"], ["a=6", "b=3"], ["a=7", "b=3"]]


@pytest.mark.parametrize("argument, message", [
    ("+params.a=interval(0,1)", "not a continuous interval"),
    ("+params.a=shuffle(1,2,3)", "shuffle() orders the values anew"),
    ("+params.a=shuffle([1,2,3])", "shuffle() orders the values anew"),
])
def test_sweeps_a_plan_cannot_follow_are_refused_naming_the_key(argument, message):
    with pytest.raises(PlanError, match=r"^\+params\.a=") as err:
        expand_overrides(["seed=1,2", argument])
    assert message in str(err.value) and "\n" not in str(err.value)


def test_another_sweeper_has_no_plan():
    from hydra import compose, initialize_config_dir
    with initialize_config_dir(config_dir=str(CONFIGS), version_base="1.3"):
        cfg = compose("config", return_hydra_config=True)
        assert plan_jobs(cfg) == [[]]
        OmegaConf.update(cfg, "hydra.sweeper._target_", "somewhere.OtherSweeper")
        assert plan_jobs(cfg) is None
