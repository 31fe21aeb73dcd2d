"""A run directory: its files, written atomically, and the ``COMPLETE`` marker written last.

Files of a run directory:
``summary.parquet`` one row per replicate; ``steps.parquet`` per week and actor:
level quantiles and rung-occupancy shares; ``weekly.parquet`` per week: rung
crossing probabilities, clash probability, deployed count, US guarantee and
capital; ``deployed.parquet`` per week and deployed count: share of replicates;
``members.parquet`` per week and coalition member: mean commitment and share
deployed; ``events.parquet`` the narrative of one Mesa run; ``manifest.json``;
``scenario.json`` the resolved scenario; ``COMPLETE``, written last, after every
other file: a directory without it holds an interrupted or unfinished run, and
readers refuse it.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd

from sim.files import atomic_write_parquet, atomic_write_text

from .provenance import git_commit, machine, versions
from .tables import headline, result_tables

COMPLETE_FILE = "COMPLETE"
# what a run writes: an overwrite removes them first, so no file of the old run passes for the new one
RUN_FILES = ("manifest.json", "scenario.json", "report.html", "*.parquet")


def table_metadata(scenario, seed: int, replicates: int) -> dict:
    """What every Parquet table of a run carries in its schema metadata (including the streamed summary)."""
    return {"scenario": scenario.name, "seed": int(seed), "replicates": int(replicates),
            "rungs": list(scenario.rung_names)}


class RunExistsError(ValueError):
    """The directory already holds a complete run and ``overwrite`` was not asked for."""


def manifest(result, **extra) -> dict:
    s = result.scenario
    return {
        "scenario": s.name, "scenario_file": s.source, "seed": result.seed, "replicates": result.replicates,
        "horizon": s.horizon, "steps": s.steps, "dt": s.dt, "actors": list(s.actor_ids), "rungs": list(s.rung_names),
        "threads": result.threads, "wall_time_s": round(result.wall_time, 4),
        "replicate_runs_per_s": round(result.replicates / max(result.wall_time, 1e-9), 1),
        "headline": headline(result), "versions": versions(), "git_commit": git_commit(),
        "machine": machine(), **extra,
    }


def read_complete(directory) -> dict | None:
    """What the ``COMPLETE`` marker of a run directory records, or None for an incomplete run."""
    try:
        return json.loads((Path(directory) / COMPLETE_FILE).read_text())
    except (OSError, ValueError):
        return None


def check_writable(directory, overwrite: bool) -> None:
    """Refuse to write into a directory holding a complete run, unless ``overwrite``."""
    done = read_complete(directory)
    if done is None or overwrite:
        return
    what = ", ".join(f"{k} {done[k]}" for k in ("scenario", "seed", "replicates") if k in done)
    raise RunExistsError(f"{directory}: holds a complete run ({what}, finished {done.get('finished_at', '?')}); "
                         "set overwrite=true to replace it or choose another output directory (hydra.run.dir)")


def begin_run(directory, overwrite: bool) -> None:
    """Before the first file of a run: refuse or clear a previous run (its marker first, then its files)."""
    directory = Path(directory)
    check_writable(directory, overwrite)
    if not ((directory / COMPLETE_FILE).is_file() or (directory / "manifest.json").is_file()):
        return  # not a run directory: nothing of ours to clear
    (directory / COMPLETE_FILE).unlink(missing_ok=True)
    for pattern in RUN_FILES:
        for path in directory.glob(pattern):
            path.unlink(missing_ok=True)


def mark_complete(directory, result=None, **record) -> None:
    """Write ``COMPLETE`` (atomically, last): the run's identity, its files and ``record``."""
    from datetime import datetime, timezone
    directory = Path(directory)
    identity = {} if result is None else {"scenario": result.scenario.name, "seed": result.seed,
                                          "replicates": result.replicates}
    files = sorted(p.name for p in directory.iterdir() if p.is_file() and not p.name.startswith("."))
    text = json.dumps({**identity, "finished_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                       "files": files, **record}, indent=2)
    atomic_write_text(directory / COMPLETE_FILE, text)


def save_ensemble(result, directory, *, events: pd.DataFrame | None = None, overwrite: bool = False,
                  complete: bool = True, **manifest_extra) -> None:
    """Write every table (and ``events`` of a Mesa run), the manifest, then the ``COMPLETE`` marker.

    A directory that already holds a complete run is refused unless ``overwrite``.
    ``complete=False`` leaves the marker to the caller, who writes more files first.
    """
    directory = Path(directory)
    begin_run(directory, overwrite)
    meta = table_metadata(result.scenario, result.seed, result.replicates)
    for name, frame in result_tables(result).items():
        atomic_write_parquet(directory / f"{name}.parquet", frame, meta)
    if result.summary is None:  # streamed by the ensemble into a file beside the run (same meta)
        shutil.move(result.summary_file, directory / "summary.parquet")
    if events is not None:
        atomic_write_parquet(directory / "events.parquet", events, meta)
    atomic_write_text(directory / "manifest.json", json.dumps(manifest(result, **manifest_extra), indent=2))
    if complete:
        mark_complete(directory, result)


def load_run(directory) -> dict:
    """Read a run directory back: tables by stem and the manifest."""
    directory = Path(directory)
    if not (directory / "manifest.json").is_file():
        raise FileNotFoundError(f"{directory}: not a run directory (no manifest.json)")
    tables = {p.stem: pd.read_parquet(p) for p in sorted(directory.glob("*.parquet"))}
    return {"manifest": json.loads((directory / "manifest.json").read_text()), **tables}
