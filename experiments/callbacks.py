"""Hydra callbacks: a run's scenario name checked first; around a multirun, the plan checked first and
the results aggregated at the end.

Configured in ``configs/config.yaml`` under ``hydra.callbacks``, so every ``escalate`` and
``escalate -m ...`` gets them, whichever launcher runs the jobs. Launchers do not
pass job results to ``on_multirun_end``: it reads them from the sweep directory,
which is also what ``escalate-aggregate`` does by hand.
"""
from __future__ import annotations

import logging
import os
import sys
from pathlib import Path
from typing import Any

from hydra.experimental.callback import Callback
from omegaconf import DictConfig

from sim.checks import InputError

from experiments.plan import (PlanError, check_launcher, check_plan, check_settings, container, job_settings, plan_jobs,
                              scenario_settings)

log = logging.getLogger("escalate")


class ScenarioCheck(Callback):
    """Refuse an unknown ``scenario`` name of a single run before Hydra creates its run directory.

    (A sweep's names are checked with the rest of its plan, in :class:`SweepCallback`.)
    """

    def on_run_start(self, config: DictConfig, **kwargs: Any) -> None:
        if config.get("scenario_file"):
            return
        try:
            scenario_settings(config.get("scenario"), None, config.hydra.runtime.get("config_sources"))
        except PlanError as err:
            print(f"escalate: error: {err}", file=sys.stderr)
            sys.exit(2)


class SweepCallback(Callback):
    def __init__(self, aggregate: bool = True, report: bool = True) -> None:
        self.aggregate = aggregate
        self.report = report
        self._bar: Any = None
        self._pid: int | None = None

    def __getstate__(self) -> dict:
        # Ray and submitit ship the callbacks to their workers; a progress bar cannot travel.
        return {**self.__dict__, "_bar": None}

    def on_multirun_start(self, config: DictConfig, **kwargs: Any) -> None:
        from sim.results.sweep import start_sweep
        try:
            check_settings(config)
            check_launcher(config.hydra.get("launcher"))
            jobs = plan_jobs(config)
            settings = [job_settings(config, job) for job in jobs] if jobs is not None else []
            check_plan(settings)
        except (PlanError, InputError) as err:
            print(f"escalate: error: {err}", file=sys.stderr)
            sys.exit(2)
        sweep_dir = Path(config.hydra.sweep.dir)
        sweep_dir.mkdir(parents=True, exist_ok=True)
        planned = None if jobs is None else [
            {"job": i, "overrides": job, "scenario": s["scenario"], "params": s["params"]}
            for i, (job, s) in enumerate(zip(jobs, settings))]
        start_sweep(sweep_dir, planned, resume=bool(config.get("resume")),
                    launcher=config.hydra.runtime.choices.get("hydra/launcher"),
                    seed=config.seed, replicates=config.replicates, seed_policy=config.seed_policy,
                    horizon=config.get("horizon") or config.get("steps"), labels=container(config.get("labels")) or {})
        log.info("sweep: %s jobs -> %s%s", "?" if jobs is None else len(jobs), sweep_dir,
                 " (resume: finished jobs are skipped)" if config.get("resume") else "")
        self._pid = os.getpid()
        # Only the basic launcher ends jobs in this process: under joblib, Ray or submitit a bar would stay at 0%.
        basic = config.hydra.runtime.choices.get("hydra/launcher") in (None, "basic")
        if jobs is not None and config.get("progress") and basic:
            from tqdm.auto import tqdm
            # Hydra's "#N : overrides" line repeats the job's own result line: left out while the bar runs.
            # The launcher logs under its module's name, the module of its ``_target_``.
            logging.getLogger(config.hydra.launcher._target_.rpartition(".")[0]).setLevel(logging.WARNING)
            self._bar = tqdm(total=len(jobs), desc="sweep jobs", unit="job", dynamic_ncols=True)

    def on_job_start(self, config: DictConfig, **kwargs: Any) -> None:
        # The job's log lines start on a clean line; the bar is drawn again below them when the job ends.
        if self._bar is not None and os.getpid() == self._pid:
            self._bar.clear()

    def on_job_end(self, config: DictConfig, job_return: Any, **kwargs: Any) -> None:
        # Only the basic launcher ends jobs in this process; elsewhere the job logs its own line.
        if self._bar is not None and os.getpid() == self._pid:
            self._bar.update(1)

    def on_multirun_end(self, config: DictConfig, **kwargs: Any) -> None:
        from sim.results.sweep import TABLE_FILE, REPORT_FILE
        from experiments.sensitivity import finish_sweep
        if self._bar is not None:
            self._bar.close()
            self._bar = None
        if not self.aggregate:
            return
        sweep_dir = Path(config.hydra.sweep.dir)
        manifest = finish_sweep(sweep_dir, report=self.report)
        log.info("%s", summary_line(manifest))
        if manifest.get("points_ok"):
            from sim.report.sweep import sweep_answer_of
            print(sweep_answer_of(sweep_dir))
        log.info("sweep table: %s%s%s", sweep_dir / TABLE_FILE,
                 f"; report: {sweep_dir / REPORT_FILE}" if self.report else "",
                 f"; sensitivity: {manifest['sensitivity']}" if manifest.get("sensitivity") else "")


def summary_line(manifest: dict) -> str:
    wall = manifest.get("wall_time_s")
    rate = manifest.get("replicate_runs_per_s")
    return (f"sweep: {manifest['jobs_total']} jobs ({manifest['jobs_ok']} ok, {manifest['jobs_failed']} failed, "
            f"{manifest['jobs_missing']} missing, {manifest['jobs_resumed']} resumed), "
            f"{manifest['points_ok']}/{manifest['points']} points ok, "
            f"{manifest['replicate_runs_this_run']:,} replicate runs"
            + (f" in {wall:.1f} s ({rate:,.0f}/s)" if wall is not None and rate is not None else ""))
