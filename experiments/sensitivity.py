"""Global sensitivity: Sobol indices (Saltelli design) and Morris screening, computed by SALib.

SALib is the field's maintained implementation of both methods (Herman & Usher 2017,
*JOSS* 2(9):97; Iwanaga et al. 2022, *Socio-Environmental Systems Modelling* 4:18155);
this module only feeds it the points of :mod:`experiments.design`, so a function of an array
and a finished sweep are analysed the same way.

- Sobol: first-order ``S1`` (the share of the output's variance explained by one
  parameter alone) and total ``ST`` (including all its interactions), with 95%
  bootstrap half-widths ``S1_conf``, ``ST_conf`` (Saltelli 2002/2010 estimators).
- Morris: ``mu_star`` (mean absolute elementary effect: overall influence),
  ``sigma`` (its spread: non-linearity or interactions), ``mu_star_conf``.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable, Mapping

import numpy as np
import pandas as pd

from experiments.design import MORRIS_LEVELS, Design, sample
from sim.results.sweep import SENSITIVITY_FILE
KINDS = ("saltelli", "morris")
# outcomes of a sweep row analysed by default: the chance of a clash, deployment, the adversary's top rung
OUTCOMES = ("p_clash", "mean_deployed_peak", "mean_max_rung_adversary")
RESAMPLES = 200  # bootstrap resamples of the confidence intervals


def _design(kind: str, bounds: Mapping[str, tuple[float, float]], n: int, seed: int) -> Design:
    params = tuple((str(name), float(lo), float(hi)) for name, (lo, hi) in bounds.items())
    if not params:
        raise ValueError("bounds: at least one parameter range is needed")
    return Design(kind=kind, n=int(n), params=params, seed=int(seed))


def _problem(names: list[str]) -> dict:
    # SALib reads only names and the count here; bounds are already applied to the points
    return {"num_vars": len(names), "names": list(names), "bounds": [[0.0, 1.0]] * len(names)}


def sobol_indices(func: Callable[[np.ndarray], np.ndarray], bounds: Mapping[str, tuple[float, float]],
                  n: int, seed: int) -> pd.DataFrame:
    """First-order and total Sobol indices of ``func`` over the box ``bounds`` from ``n`` Saltelli base points.

    ``func`` maps an ``(m, d)`` array (columns in the order of ``bounds``) to ``(m,)``;
    it is called once on all ``n (d + 2)`` points. ``n`` must be a power of two.
    """
    if n < 2 or n & (n - 1):
        raise ValueError(f"n: a Saltelli design needs a power of two, got {n}")
    points = sample(_design("saltelli", bounds, n, seed), seed)
    y = np.asarray(func(points.to_numpy()), dtype=float).reshape(-1)
    return sobol_from_outputs(list(points.columns), y, seed)


def sobol_from_outputs(names: list[str], y: np.ndarray, seed: int = 0) -> pd.DataFrame:
    """Sobol indices from outputs in Saltelli order (A, AB_1..AB_d, B per base point)."""
    from SALib.analyze import sobol
    if len(y) % (len(names) + 2):
        raise ValueError(f"{len(y)} outputs do not fill whole Saltelli blocks of {len(names) + 2}")
    if not np.isfinite(y).all():
        raise ValueError("Sobol indices need an output at every point of the design; some are missing")
    if np.ptp(y) == 0:  # SALib divides by the variance
        zeros = np.zeros(len(names))
        return _frame(names, S1=zeros, S1_conf=zeros, ST=zeros, ST_conf=zeros)
    res = sobol.analyze(_problem(names), y, calc_second_order=False, num_resamples=RESAMPLES, seed=seed)
    return _frame(names, **{k: res[k] for k in ("S1", "S1_conf", "ST", "ST_conf")})


def morris_indices(func: Callable[[np.ndarray], np.ndarray], bounds: Mapping[str, tuple[float, float]],
                   n: int, seed: int) -> pd.DataFrame:
    """Morris elementary effects of ``func`` from ``n`` trajectories: ``mu``, ``mu_star``, ``sigma``, ``mu_star_conf``."""
    points = sample(_design("morris", bounds, n, seed), seed)
    y = np.asarray(func(points.to_numpy()), dtype=float).reshape(-1)
    return morris_from_outputs(points, y, bounds, seed)


def morris_from_outputs(points: pd.DataFrame, y: np.ndarray, bounds: Mapping[str, tuple[float, float]] | None = None,
                        seed: int = 0) -> pd.DataFrame:
    """Morris indices from a design's points (rows in trajectory order) and their outputs.

    Elementary effects are taken per unit of each parameter's range (``bounds``, else
    the range of the points), so parameters of different units compare.
    """
    from SALib.analyze import morris
    names = list(points.columns)
    if not np.isfinite(y).all():
        raise ValueError("Morris indices need an output at every point of the design; some are missing")
    lo = np.array([bounds[c][0] if bounds else points[c].min() for c in names], dtype=float)
    hi = np.array([bounds[c][1] if bounds else points[c].max() for c in names], dtype=float)
    unit = (points.to_numpy(dtype=float) - lo) / np.where(hi > lo, hi - lo, 1.0)
    res = morris.analyze(_problem(names), unit, y, num_resamples=RESAMPLES, num_levels=MORRIS_LEVELS, seed=seed)
    return _frame(names, **{k: np.asarray(res[k], dtype=float) for k in ("mu", "mu_star", "sigma", "mu_star_conf")})


def _frame(names: list[str], **columns) -> pd.DataFrame:
    frame = pd.DataFrame({k: np.asarray(v, dtype=float) for k, v in columns.items()}, index=pd.Index(names))
    frame.index.name = "param"
    return frame


# --- on a finished sweep -----------------------------------------------------------

def sweep_sensitivity(table: pd.DataFrame, designs: list[dict], outcomes=OUTCOMES, seed: int = 0) -> pd.DataFrame:
    """Indices of each outcome for each run of a Saltelli or Morris design found in a sweep table.

    ``designs`` are the ``design`` records of the sweep's jobs (``kind``, ``n``, ``paths``,
    ``bounds``).
    A design that ran in several scenarios (or at several values of a Hydra-swept key)
    is analysed once per scenario and value. Returns one row per (group, outcome, param)
    with a ``method`` column; a group missing points is skipped with its ``error``.
    """
    rows = []
    for spec in {(d["kind"], d["n"], tuple(d["paths"])): d for d in designs if d.get("kind") in KINDS}.values():
        paths = list(spec["paths"])
        if not set(paths) <= set(table.columns):
            continue
        others = [c for c in _group_columns(table) if c not in paths]
        size = Design(spec["kind"], spec["n"], tuple((p, 0.0, 1.0) for p in paths)).size
        for key, group in table.groupby(others, dropna=False, sort=False) if others else [((), table)]:
            key = key if isinstance(key, tuple) else (key,)
            label = ", ".join(f"{c}={v}" for c, v in zip(others, key) if c != "scenario") or ""
            scenario = dict(zip(others, key)).get("scenario", "")
            group = group.sort_values("design_index")
            for outcome in [o for o in outcomes if o in group]:
                base = {"scenario": scenario, "group": label, "method": "sobol" if spec["kind"] == "saltelli" else "morris",
                        "outcome": outcome, "points": len(group)}
                ok = group[group["status"] == "ok"]
                if len(ok) != size or ok["design_index"].nunique() != size:
                    rows.append({**base, "param": "", "error": f"{len(ok)} of {size} design points finished"})
                    continue
                y = ok[outcome].to_numpy(dtype=float)
                try:
                    if spec["kind"] == "saltelli":
                        result = sobol_from_outputs(paths, y, seed)
                    else:
                        result = morris_from_outputs(ok[paths].astype(float), y, spec.get("bounds"), seed)
                except ValueError as err:
                    rows.append({**base, "param": "", "error": str(err)})
                    continue
                for param, values in result.iterrows():
                    rows.append({**base, "param": param, **values.to_dict(), "error": ""})
    return pd.DataFrame(rows)


def _group_columns(table: pd.DataFrame) -> list[str]:
    from sim.results.sweep import param_columns
    return ["scenario", *param_columns(table)]


def job_designs(sweep_dir) -> list[dict]:
    """The ``design`` records that the sweep's jobs wrote to their ``job.json``."""
    import json
    designs = []
    for path in sorted(Path(sweep_dir).glob("*/job.json")) + sorted(Path(sweep_dir).glob("job.json")):
        try:
            info = json.loads(path.read_text())
        except (OSError, ValueError):
            continue
        if isinstance(info.get("design"), dict):
            designs.append(info["design"])
    return designs


def finish_sweep(sweep_dir, *, report: bool = True) -> dict:
    """Aggregate a sweep, add ``sensitivity.parquet`` for a Saltelli or Morris design, then write the report."""
    from sim.files import atomic_write_parquet
    from sim.results.sweep import TABLE_FILE, aggregate
    from sim.report.sweep import write_sweep_report

    sweep_dir = Path(sweep_dir)
    manifest = aggregate(sweep_dir)
    table = pd.read_parquet(sweep_dir / TABLE_FILE)
    designs = job_designs(sweep_dir)
    (sweep_dir / SENSITIVITY_FILE).unlink(missing_ok=True)
    sensitivity = sweep_sensitivity(table, designs) if any(d.get("kind") in KINDS for d in designs) else None
    if sensitivity is not None and not sensitivity.empty:
        atomic_write_parquet(sweep_dir / SENSITIVITY_FILE, sensitivity)
        manifest["sensitivity"] = str(sweep_dir / SENSITIVITY_FILE)
    if report:
        write_sweep_report(sweep_dir, table, manifest, sensitivity=sensitivity)
    return manifest
