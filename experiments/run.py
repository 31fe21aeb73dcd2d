"""``escalate``: run a scenario ensemble or a sweep from the command line (a Hydra app).

    escalate scenario=russia_resolute replicates=10000 seed=7
    escalate +params.leaders.putin.resolve=1.2 horizon=26
    escalate -m experiment=guarantee_vs_resolve          (a sweep: docs/how-to-sweep.md)
"""
from __future__ import annotations

import logging
import shutil
import sys
from pathlib import Path

import hydra
from hydra.core.hydra_config import HydraConfig
from hydra.types import RunMode
from omegaconf import DictConfig

from experiments.messages import one_line_warnings
from experiments.naming import register as _register_run_name
from experiments.plan import PlanError, check_plan, check_settings, container, flatten, horizon_override, settings_of
from experiments.searchpath import config_dirs_of, old_folders, scenario_on_searchpath

_register_run_name()  # before Hydra composes hydra.run.dir

log = logging.getLogger("escalate")

__all__ = ["app", "flatten", "main", "run", "scenario_ref"]


def _discard_empty_run_dir(path: Path) -> None:
    """Remove a run directory that holds only Hydra's own files (validation failed before any result)."""
    if path.is_dir() and all(p.name in (".hydra", "escalate.log", "run.log") for p in path.iterdir()):
        shutil.rmtree(path, ignore_errors=True)


def _hydra_files(out_dir: Path) -> dict[str, str]:
    """Hydra's record of this run's config (``.hydra/*.yaml``), kept in the run's ``COMPLETE`` marker."""
    sub = HydraConfig.get().output_subdir if HydraConfig.initialized() else None
    folder = out_dir / sub if sub else None
    if folder is None or not folder.is_dir():
        return {}
    return {str(p.relative_to(out_dir)): p.read_text() for p in sorted(folder.glob("*.yaml"))}


def _restore_hydra_files(out_dir: Path) -> None:
    """Hydra rewrote ``.hydra/`` before a refused run started: put back the finished run's files."""
    from sim.files import atomic_write_text
    from sim.results.storage import read_complete
    for name, text in ((read_complete(out_dir) or {}).get("hydra_files") or {}).items():
        atomic_write_text(out_dir / name, text)


def _fail(err: Exception, out_dir: Path, status: int = 2) -> None:
    _restore_hydra_files(out_dir)
    _discard_empty_run_dir(out_dir)
    print(f"escalate: error: {err}", file=sys.stderr)
    sys.exit(status)


def scenario_ref(cfg: DictConfig) -> str:
    """The scenario to load: ``scenario_file`` if given, else the file of ``scenario`` on Hydra's search path.

    ``scenario`` is a name, never composed by Hydra: the engine's loader reads the
    file (a shipped one by its name), so that ``extends`` resolves and errors name the
    file. An unknown name raises :class:`sim.ScenarioError` naming the key.
    """
    if cfg.get("scenario_file"):
        return str(cfg.scenario_file)
    sources = HydraConfig.get().runtime.config_sources if HydraConfig.initialized() else None
    return scenario_on_searchpath(cfg.scenario, sources)


def _task_overrides() -> list[str]:
    return list(HydraConfig.get().overrides.task) if HydraConfig.initialized() else []


def run(cfg: DictConfig, out_dir: Path) -> Path:
    """One ensemble run into ``out_dir``: exit 2 on bad input or a finished run there, 3 when replicates diverge."""
    from sim import ScenarioError, load_scenario
    from sim.results.ensemble import DivergenceError
    from sim.scenario.identity import override_items, run_label
    from sim.pipeline import run_to_directory
    from sim.results.storage import check_writable

    overrides = flatten(container(cfg.params) or {})
    overrides.update(horizon_override(cfg))
    try:
        check_settings(cfg)
        check_writable(out_dir, cfg.overwrite)
        scenario = load_scenario(scenario_ref(cfg), overrides)
    except (ScenarioError, ValueError) as err:
        _fail(err, out_dir)
    label = run_label(scenario.name, overrides)
    log.info("scenario %s: %d replicates, seed %d -> %s", label, cfg.replicates, cfg.seed, out_dir)
    try:
        run_to_directory(scenario, cfg.replicates, cfg.seed, out_dir, threads=cfg.threads,
                         narrative_replicate=cfg.narrative_replicate, progress=cfg.progress,
                         report=cfg.outputs == "full", overwrite=cfg.overwrite,
                         max_diverged_share=cfg.max_diverged_share,
                         complete_record={"hydra_files": _hydra_files(out_dir)}, hydra_overrides=_task_overrides(),
                         label=label, overrides=override_items(overrides))
    except DivergenceError as err:
        _fail(err, out_dir, status=3)
    return out_dir


def run_design(cfg: DictConfig, out_dir: Path) -> Path:
    """A batched design outside a multirun: one job in ``out_dir``, aggregated there."""
    from sim.results.sweep import check_fresh, start_sweep
    from experiments.sensitivity import finish_sweep
    from experiments.sweep import run_job

    try:
        check_settings(cfg)
        check_fresh(out_dir, overwrite=cfg.overwrite, resume=cfg.resume)
        check_plan([settings_of(cfg)])
    except (PlanError, ValueError) as err:
        _fail(err, out_dir)
    start_sweep(out_dir, None, resume=bool(cfg.resume), seed=cfg.seed, replicates=cfg.replicates,
                seed_policy=cfg.seed_policy, horizon=cfg.get("horizon") or cfg.get("steps"),
                labels=container(cfg.get("labels")) or {})
    run_job(cfg, out_dir, scenario=scenario_ref(cfg), overrides=_task_overrides())
    finish_sweep(out_dir)  # the sweep's own report, as a multirun writes; `outputs` is about each point's files
    return out_dir


def _print_headline(out_dir: Path) -> None:
    import json
    from sim.report.answer import headline_line
    print(headline_line(json.loads((out_dir / "manifest.json").read_text())))


@hydra.main(version_base="1.3", config_path="../configs", config_name="config")
def app(cfg: DictConfig) -> None:
    one_line_warnings("escalate")
    out_dir = Path(HydraConfig.get().runtime.output_dir)
    if HydraConfig.get().mode == RunMode.MULTIRUN:
        from experiments.sweep import run_job
        try:
            scenario = scenario_ref(cfg)  # checked by the plan, unless a sweeper other than the basic one planned
        except ValueError as err:
            _fail(err, out_dir)
        run_job(cfg, out_dir, job=int(HydraConfig.get().job.num), scenario=scenario, overrides=_task_overrides())
        return
    if cfg.design.get("kind"):
        run_design(cfg, out_dir)
        from sim.report.sweep import sweep_answer_of
        print(sweep_answer_of(out_dir))
        print(f"sweep table: {out_dir / 'sweep.parquet'}")
        return
    run(cfg, out_dir)
    _print_headline(out_dir)
    if cfg.outputs == "full":
        print(f"report: {out_dir / 'report.html'}")


def _refuse_old_scenario_folders(argv: list[str]) -> None:
    """A config folder that still has ``scenario/``: Hydra would take it for a config group and refuse
    ``scenario=NAME`` with a message about defaults lists; say what to rename instead."""
    old = old_folders(config_dirs_of(argv))
    if old:
        print(f"escalate: error: {old[0]}: scenarios now live in a folder named scenarios/, not scenario/; "
              f"rename it (mv {old[0]} {old[0].parent / 'scenarios'})", file=sys.stderr)
        sys.exit(2)


def main() -> None:
    """``escalate``: the Hydra app, with a Ctrl-C that says what to do instead of a traceback."""
    _refuse_old_scenario_folders(sys.argv[1:])
    try:
        app()
    except KeyboardInterrupt:
        sweep = any(a in ("-m", "--multirun") for a in sys.argv[1:])
        print("escalate: interrupted; " + ("rerun with resume=true to finish the sweep (finished jobs are kept)"
                                           if sweep else "the run directory is incomplete (no manifest.json)"),
              file=sys.stderr)
        sys.exit(130)


if __name__ == "__main__":
    main()
