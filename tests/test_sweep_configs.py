"""The shipped experiments and launcher configs compose, and every path they sweep exists."""
from pathlib import Path

import pytest
from hydra import compose, initialize_config_dir

from experiments.plan import check_plan, job_settings, plan_jobs
from experiments.design import design_from_config, sample

CONFIGS = Path(__file__).resolve().parent.parent / "configs"
EXPERIMENTS = sorted(p.stem for p in (CONFIGS / "experiment").glob("*.yaml"))


def composed(*overrides):
    with initialize_config_dir(config_dir=str(CONFIGS), version_base="1.3"):
        cfg = compose("config", overrides=list(overrides), return_hydra_config=True)
        # the plan needs Hydra's config loader, which lives as long as this context
        jobs = plan_jobs(cfg)
        return cfg, jobs, [job_settings(cfg, job) for job in jobs]


def test_the_four_named_experiments_ship():
    assert {"scenarios", "guarantee_vs_resolve", "coalition_thresholds", "lhs_global"} <= set(EXPERIMENTS)


@pytest.mark.parametrize("name", EXPERIMENTS)
def test_experiment_composes_and_its_paths_exist(name):
    cfg, jobs, settings = composed(f"experiment={name}")
    assert cfg.hydra.sweep.dir == f"results/sweeps/{name}"  # fixed, so that resume finds it
    assert cfg.hydra.sweeper.params and cfg.outputs in ("summary", "tables")
    assert (CONFIGS / "experiment" / f"{name}.yaml").read_text().startswith("# @package _global_\n#")
    check_plan(settings)
    assert len(jobs) >= 1


@pytest.mark.parametrize("name", ["guarantee_vs_resolve", "lhs_global", "sobol_baseline"])
@pytest.mark.parametrize("launcher, workers", [
    ([], 1), (["hydra/launcher=joblib", "hydra.launcher.n_jobs=3"], 3),
    (["hydra/launcher=ray", "+hydra.launcher.ray.init.num_cpus=2"], 2),
], ids=["basic", "joblib-3", "ray-2"])
def test_batched_experiments_run_one_job_per_launcher_worker(name, launcher, workers):
    _, jobs, settings = composed(f"experiment={name}", *launcher)
    designs = [design_from_config(s["design"]) for s in settings]
    assert len(jobs) == workers and [d.part for d in designs] == list(range(workers))
    assert {d.parts for d in designs} == {workers}


def test_parts_never_outnumber_the_points():
    _, jobs, settings = composed("experiment=guarantee_vs_resolve", "design.n=2", "hydra/launcher=joblib",
                                 "hydra.launcher.n_jobs=16")
    assert len(jobs) == 4 and design_from_config(settings[0]["design"]).parts == 4


def test_guarantee_vs_resolve_is_a_grid_over_both_parameters():
    cfg, _, settings = composed("experiment=guarantee_vs_resolve")
    grid = sample(design_from_config(settings[0]["design"]), cfg.seed)
    values = set(zip(grid["domestic.guarantee_base"], grid["leaders.putin.resolve"]))
    assert values == {(g, r) for g in (0.0, 0.25, 0.5, 0.75, 1.0) for r in (0.5, 0.75, 1.0, 1.25, 1.5)}


def test_scenarios_covers_every_shipped_scenario_with_one_seed():
    cfg, _, settings = composed("experiment=scenarios")
    shipped = sorted(p.stem for p in (CONFIGS / "scenarios").glob("*.yaml"))
    assert sorted(s["scenario"] for s in settings) == shipped and cfg.seed_policy == "common"


def test_lhs_global_shares_one_design_out_over_jobs():
    _, jobs, settings = composed("experiment=lhs_global")
    designs = [design_from_config(s["design"]) for s in settings]
    assert [d.part for d in designs] == list(range(len(jobs))) and {d.parts for d in designs} == {len(jobs)}
    assert len(designs[0].params) >= 8 and designs[0].kind == "lhs"


def test_coalition_thresholds_sweeps_member_thresholds():
    _, _, settings = composed("experiment=coalition_thresholds")
    design = design_from_config(settings[0]["design"])
    assert all(p.endswith(".coalition.deploy_threshold") for p in design.paths) and "states.DEU.coalition.deploy_threshold" in design.paths


@pytest.mark.parametrize("launcher, target", [
    ("basic", "BasicLauncher"), ("joblib", "JoblibLauncher"), ("ray", "RayLauncher"),
    ("submitit_local", "LocalLauncher"), ("slurm", "SlurmLauncher"),
])
def test_launchers_compose(launcher, target):
    cfg, _, _ = composed("experiment=guarantee_vs_resolve", f"hydra/launcher={launcher}")
    assert cfg.hydra.launcher._target_.endswith(target)


def test_launcher_workers_follow_each_launcher_s_own_setting():
    import os
    from experiments.workers import launcher_workers
    cores = os.cpu_count()
    joblib = "hydra_plugins.hydra_joblib_launcher.joblib_launcher.JoblibLauncher"
    assert launcher_workers(None) == 1
    assert launcher_workers({"_target_": "hydra._internal.core_plugins.basic_launcher.BasicLauncher"}) == 1
    assert launcher_workers({"_target_": joblib, "n_jobs": 5}) == 5
    assert launcher_workers({"_target_": joblib, "n_jobs": -1}) == cores
    assert launcher_workers({"_target_": joblib, "n_jobs": -cores - 5}) == 1  # joblib's "all but k" never below one
    ray = "hydra_plugins.hydra_ray_launcher.ray_launcher.RayLauncher"
    assert launcher_workers({"_target_": ray, "ray": {"init": {"num_cpus": 8}, "remote": {"num_cpus": 2}}}) == 4
    slurm = "hydra_plugins.hydra_submitit_launcher.submitit_launcher.SlurmLauncher"
    assert launcher_workers({"_target_": slurm, "array_parallelism": 64}) == 64
