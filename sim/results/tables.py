"""Result tables of an ensemble and their atomic storage.

Files of a run directory:
``summary.parquet`` one row per replicate; ``steps.parquet`` per week and actor:
level quantiles and rung-occupancy shares; ``weekly.parquet`` per week: rung
crossing probabilities, clash probability, deployed count, US guarantee and
capital; ``deployed.parquet`` per week and deployed count: share of replicates;
``members.parquet`` per week and coalition member: mean commitment and share
deployed; ``events.parquet`` the narrative of one Mesa run; ``manifest.json``;
``COMPLETE``, written last, after every other file: a directory without it holds
an interrupted or unfinished run, and readers refuse it.
"""
from __future__ import annotations

import json
import os
import platform
import subprocess
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

from .stats import wilson_interval

QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)
COMPLETE_FILE = "COMPLETE"
# what a run writes: an overwrite removes them first, so no file of the old run passes for the new one
RUN_FILES = ("manifest.json", "scenario.json", "report.html", "*.parquet")


class RunExistsError(ValueError):
    """The directory already holds a complete run and ``overwrite`` was not asked for."""


def _qname(q: float) -> str:
    return f"q{int(round(q * 100)):02d}"


def hist_quantiles(counts: np.ndarray, edges: np.ndarray, qs=QUANTILES) -> np.ndarray:
    """Quantiles from histogram counts along the last axis, linear within a bin.

    ``edges`` has ``n_bins + 1`` entries. Resolution is one bin width.
    """
    total = counts.sum(axis=-1, keepdims=True)
    cum = np.cumsum(counts, axis=-1)
    out = np.empty(counts.shape[:-1] + (len(qs),))
    for j, q in enumerate(qs):
        target = q * total
        b = np.minimum((cum < target).sum(axis=-1, keepdims=True), counts.shape[-1] - 1)
        below = np.take_along_axis(cum, b, -1) - np.take_along_axis(counts, b, -1)
        inside = np.take_along_axis(counts, b, -1)
        frac = np.where(inside > 0, (target - below) / np.maximum(inside, 1), 0.0)
        out[..., j] = (edges[b] + frac * (edges[b + 1] - edges[b]))[..., 0]
    return out


def level_quantiles(level_hist: np.ndarray, hist_max: float, qs=QUANTILES) -> np.ndarray:
    """Quantiles of x from the level histogram: bin 0 is x == 0, the last bin is > hist_max."""
    n_bins = level_hist.shape[-1] - 2
    width = hist_max / n_bins
    # zero bin -> [0, 0]; overflow bin reported at its lower edge (documented resolution limit)
    edges = np.concatenate([[0.0, 0.0], np.arange(1, n_bins + 1) * width, [hist_max]])
    return hist_quantiles(level_hist, edges, qs)


def _reached_by(first_weeks: np.ndarray, weeks: np.ndarray) -> np.ndarray:
    """How many replicates reached a state by each week (first week -1 = never)."""
    return np.searchsorted(np.sort(first_weeks[first_weeks >= 0]), weeks, side="right")


def result_tables(result) -> dict[str, pd.DataFrame]:
    s, c, n_rep = result.scenario, result.counts, result.replicates
    weeks = np.arange(s.horizon + 1)
    ids = list(s.actor_ids)
    # steps: per week and actor
    q = level_quantiles(c.level_hist, c.hist_max)
    occ = c.rung_occ / n_rep
    rows = {"week": np.repeat(weeks, len(ids)), "actor": np.tile(ids, len(weeks))}
    for j, qq in enumerate(QUANTILES):
        rows[_qname(qq)] = q[:, :, j].ravel()
    for r in range(len(s.ladder)):
        rows[f"p_rung_{r}"] = occ[:, :, r].ravel()
    steps = pd.DataFrame(rows)
    # weekly: crossing probabilities from the first-passage weeks of the summaries
    summary = result.summary
    weekly = {"week": weeks}
    for r in range(len(s.ladder)):
        weekly[f"p_crossed_{r}"] = _reached_by(summary[f"first_week_rung_{r}"].to_numpy(), weeks) / n_rep
    clashed = _reached_by(summary["clash_week"].to_numpy(), weeks)
    lo, hi = wilson_interval(clashed, n_rep)
    weekly.update(p_clash=clashed / n_rep, p_clash_lo=lo, p_clash_hi=hi)
    dep_edges = np.arange(c.deployed_dist.shape[1] + 1, dtype=float)
    dq = hist_quantiles(c.deployed_dist, dep_edges)
    weekly["deployed_mean"] = (c.deployed_dist * np.arange(c.deployed_dist.shape[1])).sum(axis=1) / n_rep
    for j, qq in enumerate(QUANTILES):
        weekly[f"deployed_{_qname(qq)}"] = np.floor(dq[:, j])
    unit_edges = np.linspace(0.0, 1.0, c.unit_hist.shape[-1] + 1)
    for k, name in enumerate(("guarantee", "capital")):
        weekly[f"{name}_mean"] = c.unit_fp[:, k] / c.fixed_point / n_rep
        uq = hist_quantiles(c.unit_hist[:, k, :], unit_edges)
        for j, qq in enumerate(QUANTILES):
            weekly[f"{name}_{_qname(qq)}"] = uq[:, j]
    deployed = pd.DataFrame({
        "week": np.repeat(weeks, c.deployed_dist.shape[1]),
        "n_deployed": np.tile(np.arange(c.deployed_dist.shape[1]), len(weeks)),
        "share": (c.deployed_dist / n_rep).ravel(),
    })
    members = [i for i, st in enumerate(s.states) if st.coalition is not None]
    member_rows = pd.DataFrame({
        "week": np.repeat(weeks, len(members)),
        "actor": np.tile([ids[i] for i in members], len(weeks)),
        "commitment_mean": (c.commit_fp[:, members] / c.fixed_point / n_rep).ravel(),
        "deployed_share": (c.deployed_member[:, members] / n_rep).ravel(),
    })
    return {"summary": summary, "steps": steps, "weekly": pd.DataFrame(weekly),
            "deployed": deployed, "members": member_rows}


def headline(result) -> dict[str, float]:
    """The numbers a reader wants first, with 95% Wilson intervals for probabilities."""
    s = result.summary
    n = len(s)
    clash = int(s["clash"].sum())
    lo, hi = wilson_interval(clash, n)
    return {
        "replicates": n,
        "p_clash": clash / n, "p_clash_lo": float(lo), "p_clash_hi": float(hi),
        "p_clash_incident": float((s["clash_cause"] == "incident").mean()),
        "p_clash_deliberate": float((s["clash_cause"] == "deliberate").mean()),
        "median_max_rung": float(s["max_rung"].median()),
        "median_deployed_peak": float(s["deployed_peak"].median()),
        "median_deployed_final": float(s["deployed_final"].median()),
        "mean_us_guarantee_final": float(s["us_guarantee_final"].mean()),
        "p_deescalated": float(s["deescalated"].mean()),
        "p_diverged": float(s["diverged"].mean()),
    }


# --- storage -----------------------------------------------------------------

def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write to a temporary file in the same folder, then rename: never a half file."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        os.fchmod(fd, 0o644)  # mkstemp creates 0600; results are meant to be shared
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def atomic_write_text(path: Path, text: str) -> None:
    atomic_write_bytes(path, text.encode("utf-8"))


def atomic_write_parquet(path: Path, frame: pd.DataFrame, metadata: dict | None = None) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq
    table = pa.Table.from_pandas(frame, preserve_index=False)
    if metadata:
        table = table.replace_schema_metadata({**(table.schema.metadata or {}),
                                               b"escalation": json.dumps(metadata).encode()})
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink)
    atomic_write_bytes(path, sink.getvalue().to_pybytes())


def git_commit() -> str | None:
    try:
        out = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True, timeout=5,
                             cwd=Path(__file__).resolve().parent)
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None if out.returncode == 0 else None


def versions() -> dict[str, str]:
    import importlib.metadata as md
    names = ["escalation-sim", "mesa", "numpy", "scipy", "numba", "pandas", "pyarrow", "plotly", "hydra-core"]
    found = {}
    for name in names:
        try:
            found[name] = md.version(name)
        except md.PackageNotFoundError:
            continue
    found["python"] = platform.python_version()
    return found


def manifest(result, **extra) -> dict:
    s = result.scenario
    return {
        "scenario": s.name, "scenario_file": s.source, "seed": result.seed, "replicates": result.replicates,
        "horizon": s.horizon, "steps": s.steps, "dt": s.dt, "actors": list(s.actor_ids), "rungs": list(s.rung_names),
        "threads": result.threads, "wall_time_s": round(result.wall_time, 4),
        "replicate_runs_per_s": round(result.replicates / max(result.wall_time, 1e-9), 1),
        "headline": headline(result), "versions": versions(), "git_commit": git_commit(),
        "machine": {"platform": platform.platform(), "cpus": os.cpu_count()}, **extra,
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
    meta = {"scenario": result.scenario.name, "seed": result.seed, "replicates": result.replicates,
            "rungs": list(result.scenario.rung_names)}
    for name, frame in result_tables(result).items():
        atomic_write_parquet(directory / f"{name}.parquet", frame, meta)
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
