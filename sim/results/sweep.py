"""Outputs of sweep jobs and their aggregation into one table.

A sweep directory holds ``sweep.json`` (the plan: every job's overrides, scenario and
parameters; after aggregation also wall time and throughput), one folder per job and,
once aggregated, ``sweep.parquet`` and ``sweep_report.html``.

A job folder holds ``points.parquet`` (one row per parameter point) and ``job.json``
(status, error, timings, fingerprint), written in that order and each atomically: a
folder with ``job.json`` is a finished job, one without it is still running or was
interrupted.
"""
from __future__ import annotations

import dataclasses
import json
import math
import time
import warnings
from pathlib import Path
from typing import Any, Mapping

import pandas as pd

from sim.files import atomic_write_parquet, atomic_write_text

from .provenance import git_commit, machine, versions
from sim.scenario.spec import Scenario

JOB_FILE = "job.json"
POINTS_FILE = "points.parquet"
PLAN_FILE = "sweep.json"
TABLE_FILE = "sweep.parquet"
REPORT_FILE = "sweep_report.html"
SENSITIVITY_FILE = "sensitivity.parquet"  # written by experiments.sensitivity for Saltelli and Morris designs
TIMING_COLUMNS = ("wall_time_s", "job_wall_time_s", "finished_at")
STATUSES = ("ok", "failed", "missing")
_SCENARIO_KEYS = {f.name for f in dataclasses.fields(Scenario)} - {"name", "source"}


# --- one job ---------------------------------------------------------------

def clear_job(job_dir) -> None:
    """Forget a job folder's previous result, so an interrupted rerun cannot pass for finished."""
    for name in (JOB_FILE, POINTS_FILE):
        (Path(job_dir) / name).unlink(missing_ok=True)


def write_job(job_dir, rows: pd.DataFrame, info: Mapping[str, Any]) -> None:
    """Store a job's rows, then ``job.json`` last (the mark of a finished job)."""
    job_dir = Path(job_dir)
    atomic_write_parquet(job_dir / POINTS_FILE, rows)
    atomic_write_text(job_dir / JOB_FILE, json.dumps({**info, "finished_at": time.time()}, indent=2, default=str))


def read_job(job_dir) -> dict | None:
    path = Path(job_dir) / JOB_FILE
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return None


def finished_job(job_dir, fingerprint: str) -> dict | None:
    """The job's record if it finished successfully with the same inputs (what ``resume`` skips)."""
    info = read_job(job_dir)
    if info and info.get("status") == "ok" and info.get("fingerprint") == fingerprint \
            and (Path(job_dir) / POINTS_FILE).is_file():
        return info
    return None


def check_fresh(run_dir, *, overwrite: bool, resume: bool) -> None:
    """Refuse a design run into a folder whose job already finished, unless ``overwrite`` or ``resume``."""
    from .storage import RunExistsError
    info = read_job(run_dir)
    if info is None or overwrite or resume:
        return
    raise RunExistsError(f"{run_dir}: holds a finished design run ({info.get('points', '?')} points, status "
                         f"{info.get('status')}); set overwrite=true to replace it, resume=true to keep its "
                         "finished points, or choose another output directory (hydra.run.dir)")


# --- the plan ----------------------------------------------------------------

def start_sweep(sweep_dir, jobs: list[dict] | None, *, resume: bool, **info) -> None:
    """Write the plan before any job runs; a fresh (not resumed) sweep first forgets earlier results here."""
    sweep_dir = Path(sweep_dir)
    if not resume:
        for job_dir in _job_dirs(sweep_dir):
            clear_job(job_dir)
    for name in (TABLE_FILE, REPORT_FILE, SENSITIVITY_FILE):
        (sweep_dir / name).unlink(missing_ok=True)
    plan = {"started_at": time.time(), "resume": resume, "jobs": jobs, **info}
    atomic_write_text(sweep_dir / PLAN_FILE, json.dumps(plan, indent=2, default=str))


def read_plan(sweep_dir) -> dict:
    try:
        return json.loads((Path(sweep_dir) / PLAN_FILE).read_text())
    except (OSError, ValueError):
        return {}


def _job_dirs(sweep_dir: Path) -> list[Path]:
    """Folders holding a job's files: the sweep's subfolders, or the folder itself for a one-job design run."""
    return sorted({p.parent for name in (JOB_FILE, POINTS_FILE) for p in sweep_dir.glob(f"*/{name}")}
                  | {sweep_dir for name in (JOB_FILE, POINTS_FILE) if (sweep_dir / name).is_file()})


# --- aggregation ---------------------------------------------------------------

def collect(sweep_dir) -> tuple[pd.DataFrame, dict]:
    """Every point of every job as one table, and counts of jobs by state.

    Jobs of the plan without ``job.json`` appear as one ``missing`` row each, with
    the scenario and parameters the plan gave them; a folder outside the plan is
    ignored. Without a plan, every job folder found counts.
    """
    sweep_dir = Path(sweep_dir)
    plan = read_plan(sweep_dir)
    found: dict[int, tuple[Path, dict]] = {}
    for job_dir in _job_dirs(sweep_dir):
        info = read_job(job_dir)
        if info is not None:
            found[int(info.get("job", len(found)))] = (job_dir, info)
    planned = plan.get("jobs")
    numbers = range(len(planned)) if planned is not None else sorted(found)
    started = plan.get("started_at", math.inf)
    frames, counts = [], {"jobs": len(numbers), "ok": 0, "failed": 0, "missing": 0, "resumed": 0,
                          "replicate_runs_new": 0}
    unfinished = {p.parent for p in sweep_dir.glob(f"*/{POINTS_FILE}")} - {d for d, _ in found.values()}
    for job_dir in sorted(unfinished):
        warnings.warn(f"{job_dir}: incomplete job (points without {JOB_FILE}: interrupted or still running), "
                      "counted as missing", stacklevel=2)
    for num in numbers:
        if num in found and planned is not None and not _same_job(planned[num], found[num][1]):
            del found[num]  # left by an earlier, different sweep in this folder
        if num not in found:
            counts["missing"] += 1
            job = planned[num] if planned is not None else {}
            frames.append(pd.DataFrame([{"job": num, "point": 0, "scenario": job.get("scenario", ""),
                                         **(job.get("params") or {}), "status": "missing",
                                         "error": "no job.json: the job has not finished"}]))
            continue
        job_dir, info = found[num]
        counts["ok" if info.get("status") == "ok" else "failed"] += 1
        rows = _job_rows(job_dir, info)
        if info.get("finished_at", 0) < started:
            counts["resumed"] += 1
        else:
            counts["replicate_runs_new"] += int(rows.get("replicates", pd.Series(dtype=float)).fillna(0).sum())
            counts["last_finished_at"] = max(counts.get("last_finished_at", 0.0), info.get("finished_at", 0.0))
        frames.append(rows.assign(job=num, job_wall_time_s=info.get("wall_time_s"),
                                  finished_at=info.get("finished_at")))
    table = _order(pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(), plan)
    return table, counts


def _same_job(planned: dict, info: dict) -> bool:
    def key(overrides):
        return [o for o in overrides or () if not str(o).startswith("resume=")]
    return "overrides" not in info or key(planned.get("overrides")) == key(info["overrides"])


def _job_rows(job_dir: Path, info: dict) -> pd.DataFrame:
    path = job_dir / POINTS_FILE
    if path.is_file():
        return pd.read_parquet(path)
    return pd.DataFrame([{"point": 0, "scenario": info.get("scenario", ""), **(info.get("params") or {}),
                          "status": "failed", "error": info.get("error", "job failed")}])


def _order(table: pd.DataFrame, plan: dict) -> pd.DataFrame:
    if table.empty:
        return table
    table["replicates"] = table.get("replicates", pd.Series(0, index=table.index)).fillna(0).astype("int64")
    table["error"] = table["error"].fillna("").astype(str)
    params = param_columns(table)
    for col in params:
        if table[col].map(type).nunique() > 1 and not pd.api.types.is_numeric_dtype(table[col]):
            table[col] = table[col].astype(str)  # mixed kinds (a bool beside a number) cannot share a column
    first = ["job", "point", "design_index", "scenario", *params, "seed", "status", "error", "replicates"]
    first = [c for c in first if c in table]
    table = table[first + [c for c in table.columns if c not in first]]
    return table.sort_values(["job", "point"], kind="stable").reset_index(drop=True)


def param_columns(table: pd.DataFrame) -> list[str]:
    """The swept or fixed scenario paths of a sweep table: columns named by a dotted scenario path."""
    return [c for c in table.columns if str(c).split(".")[0] in _SCENARIO_KEYS]


def swept_params(table: pd.DataFrame) -> list[str]:
    """Parameter columns that take more than one value among the finished points."""
    done = table[table["status"] == "ok"] if "status" in table else table
    return [c for c in param_columns(table) if done[c].nunique(dropna=True) > 1]


def aggregate(sweep_dir) -> dict:
    """Write ``sweep.parquet`` for a finished or partial sweep and its manifest into ``sweep.json``; returns it.

    The report (``sweep_report.html``) is ``experiments.sensitivity.finish_sweep``'s job: results do not draw.
    """
    sweep_dir = Path(sweep_dir)
    table, counts = collect(sweep_dir)
    if table.empty:
        raise FileNotFoundError(f"{sweep_dir}: no sweep jobs found (no {JOB_FILE} and no {PLAN_FILE})")
    plan = read_plan(sweep_dir)
    manifest = sweep_manifest(table, counts, plan)
    atomic_write_parquet(sweep_dir / TABLE_FILE, table, {"params": param_columns(table), "swept": swept_params(table)})
    atomic_write_text(sweep_dir / PLAN_FILE, json.dumps({**plan, **manifest}, indent=2, default=str))
    return manifest


def sweep_manifest(table: pd.DataFrame, counts: dict, plan: dict) -> dict:
    """Counts, wall time and throughput of this invocation's jobs.

    The wall time runs from the plan (written before the first job) to the last job
    that finished after it, so aggregating by hand later gives the same number.
    """
    ok = table["status"] == "ok"
    now = time.time()
    end = counts.get("last_finished_at", now)
    wall = end - plan["started_at"] if "started_at" in plan else None
    new_runs = counts.get("replicate_runs_new", 0)
    return {
        "aggregated_at": now, "jobs_total": counts["jobs"], "jobs_ok": counts["ok"],
        "jobs_failed": counts["failed"], "jobs_missing": counts["missing"], "jobs_resumed": counts["resumed"],
        "points": int(len(table)), "points_ok": int(ok.sum()), "points_failed": int((table["status"] == "failed").sum()),
        "replicate_runs": int(table["replicates"].sum()), "replicate_runs_this_run": int(new_runs),
        "wall_time_s": round(wall, 3) if wall is not None else None,
        "replicate_runs_per_s": round(new_runs / wall, 1) if wall else None,
        "params": param_columns(table), "swept": swept_params(table),
        "scenarios": sorted(table["scenario"].dropna().astype(str).unique().tolist()),
        "versions": versions(), "git_commit": git_commit(),
        "machine": machine(),
    }


def comparable(table: pd.DataFrame) -> pd.DataFrame:
    """The table without timing columns: what must be equal whatever launcher ran the sweep."""
    return table.drop(columns=[c for c in TIMING_COLUMNS if c in table.columns])

