"""One sweep job: the parameter points of one Hydra job, evaluated and stored in its folder.

A job is one point (the scenario with its ``params`` overrides) or, with a
``design``, a batch of points evaluated in this process. It never raises for a
bad point or a failed run: the failure is written to ``job.json`` and the
sweep table, and the other jobs go on.
"""
from __future__ import annotations

import hashlib
import json
import logging
import time
from pathlib import Path

import pandas as pd
from omegaconf import DictConfig

from experiments.plan import check_settings, container, design_spec, flatten, horizon_override

log = logging.getLogger("escalate")


def fingerprint(cfg: DictConfig, scenario_raw: dict, design: dict) -> str:
    """What a job's result depends on; ``resume`` reuses a finished job only when this matches."""
    import sim
    inputs = {"scenario": scenario_raw, "design": design, "replicates": cfg.replicates, "seed": cfg.seed,
              "seed_policy": cfg.seed_policy, "outputs": cfg.outputs, "max_diverged_share": cfg.max_diverged_share,
              "narrative_replicate": cfg.narrative_replicate if cfg.outputs != "summary" else None,
              "version": sim.__version__}
    text = json.dumps(inputs, sort_keys=True, default=str)
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def run_job(cfg: DictConfig, out_dir: Path, *, job: int = 0, scenario: str, overrides: list[str] = ()) -> dict:
    """Evaluate this job's points into ``out_dir``; returns what ``job.json`` records."""
    from sim import ScenarioError
    from experiments.design import DesignError, design_from_config, part_of, sample
    from experiments.points import ScenarioPoints, error_text, evaluate_points, scenario_points
    from sim.scenario.build import scenario_raw
    from sim.results.sweep import clear_job, finished_job, write_job

    started = time.perf_counter()
    params = flatten(container(cfg.params) or {})
    spec = design_spec(cfg)
    info = {"job": job, "scenario": scenario, "params": params, "overrides": list(overrides), "status": "ok",
            "error": ""}
    try:
        check_settings(cfg)
        design = design_from_config(spec)
        # the scenario as loaded for earlier jobs in this process, at this job's overrides
        points = ScenarioPoints(scenario_points(scenario).at({**params, **horizon_override(cfg)}))
    except (ScenarioError, DesignError, ValueError) as err:
        clear_job(out_dir)
        info.update(status="failed", error=error_text(err), wall_time_s=time.perf_counter() - started)
        write_job(out_dir, _failed_rows(scenario, params, info["error"]), info)
        log.warning("job %d %s: failed: %s", job, _describe(params), info["error"])
        return info
    info.update(scenario=points.name, fingerprint=fingerprint(cfg, scenario_raw(points.base), spec))
    if design is not None:  # what a sensitivity analysis of the sweep needs to read the rows back
        info["design"] = {"kind": design.kind, "n": design.n, "paths": design.paths,
                          "bounds": {path: [lo, hi] for path, lo, hi in design.params}}
    if cfg.resume and (done := finished_job(out_dir, info["fingerprint"])):
        log.info("job %d %s: finished before, skipped (resume)", job, _describe(params))
        return done
    clear_job(out_dir)
    if design is not None:
        frame = part_of(sample(design, cfg.seed), design.part, design.parts)
        runner = None
    else:
        frame = pd.DataFrame(index=pd.RangeIndex(1, name="design_index"))
        runner = _full_run(cfg, out_dir, overrides) if cfg.outputs != "summary" else None
    evaluating = time.perf_counter()
    rows = evaluate_points(points, frame, replicates=cfg.replicates, seed=cfg.seed, fixed=params,
                           seed_policy=cfg.seed_policy, threads=cfg.threads,
                           max_diverged_share=cfg.max_diverged_share,
                           progress=bool(cfg.progress) and design is not None, run=runner)
    evaluated = time.perf_counter() - evaluating
    wall = time.perf_counter() - started
    failed = rows[rows["status"] != "ok"]
    runs = int(rows["replicates"].sum())
    # points run side by side: their own wall times overlap, the time spent evaluating them does not
    info.update(status="ok" if len(failed) < len(rows) else "failed", error="; ".join(failed["error"].head(3)),
                points=len(rows), points_failed=len(failed), replicate_runs=runs, wall_time_s=round(wall, 4),
                points_wall_time_s=round(evaluated, 4),
                replicate_runs_per_s=round(runs / max(wall, 1e-9), 1))
    write_job(out_dir, rows, info)
    log.info("%s", _summary_line(job, params, rows, info))
    return info


def _full_run(cfg: DictConfig, out_dir: Path, overrides):
    """A runner that also writes the complete run directory of the point (tables, narrative, report)."""
    from sim.scenario.identity import override_items, run_label
    from sim.pipeline import run_to_directory
    changes = {**flatten(container(cfg.params) or {}), **horizon_override(cfg)}

    def run(scenario, seed: int) -> pd.DataFrame:
        # a sweep reruns a job in place (``resume`` keeps finished ones): its folder is the job's own
        run_to_directory(scenario, cfg.replicates, seed, out_dir, threads=cfg.threads,
                         narrative_replicate=cfg.narrative_replicate, report=cfg.outputs == "full",
                         overwrite=True, max_diverged_share=cfg.max_diverged_share,
                         hydra_overrides=list(overrides), label=run_label(scenario.name, changes),
                         overrides=override_items(changes))
        return pd.read_parquet(out_dir / "summary.parquet")
    return run


def _failed_rows(scenario: str, params: dict, error: str) -> pd.DataFrame:
    return pd.DataFrame([{"point": 0, "design_index": 0, "scenario": scenario, **params, "status": "failed",
                          "error": error, "replicates": 0}])


def _describe(params: dict) -> str:
    return " ".join(f"{k}={v}" for k, v in params.items()) or "(no parameters)"


def _summary_line(job: int, params: dict, rows: pd.DataFrame, info: dict) -> str:
    ok = rows[rows["status"] == "ok"]
    where = f"job {job} {info['scenario']} " + (_describe(params) if len(rows) == 1 else f"{len(rows)} points")
    timing = f"{info['replicate_runs']} replicate runs in {info['wall_time_s']:.2f} s ({info['replicate_runs_per_s']:.0f}/s)"
    if ok.empty:
        return f"{where}: failed: {info['error']} ({timing})"
    if len(rows) == 1:
        r = ok.iloc[0]
        return f"{where}: P(clash) {r.p_clash:.3f} [{r.p_clash_lo:.3f}, {r.p_clash_hi:.3f}]; {timing}"
    hits = (ok["p_clash"] * ok["replicates"]).sum() / ok["replicates"].sum()
    return (f"{where}: {len(ok)} ok, {info['points_failed']} failed, pooled P(clash) {hits:.3f}; {timing}")
