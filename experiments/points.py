"""Evaluate a scenario at many parameter points: one row of outcome statistics per point.

A point is a mapping from dotted scenario paths to values (``{"leaders.putin.resolve":
1.2}``). Its random stream comes from :func:`point_seed`, a stable hash of the sweep
seed, the scenario's name and the point's values, so a point's result never depends
on which job, launcher or position in a batch evaluated it.
"""
from __future__ import annotations

import copy
import hashlib
import json
import math
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from typing import Any, Callable, Mapping

import numpy as np
import pandas as pd

from sim.checks import MAX_DIVERGED_SHARE
from sim.results.stats import wilson_interval
from sim.scenario.spec import Scenario
from sim.scenario.errors import ScenarioError
from sim.scenario.build import build_scenario, scenario_raw
from sim.scenario.load import load_scenario, set_path

Z95 = 1.959963984540054
SEED_POLICIES = ("per_point", "common")
PROPORTIONS = ("clash", "deescalated", "diverged")
MEANS = ("max_rung", "deployed_peak", "deployed_final", "us_guarantee_final")


def point_seed(seed: int, scenario: str, values: Mapping[str, Any]) -> int:
    """A seed in [0, 2**63) for one point: blake2b of (seed, scenario name, sorted path/value pairs).

    Numbers are hashed as floats, so ``1`` and ``1.0`` (a YAML integer and a sampled
    float) give the same seed; Python's ``hash`` is never used (it is salted per process).
    """
    items = sorted((str(k), _canonical(v)) for k, v in values.items())
    payload = json.dumps([int(seed), str(scenario), items], separators=(",", ":"))
    digest = hashlib.blake2b(payload.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "little") >> 1


def _canonical(value: Any) -> Any:
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, float, np.integer, np.floating)):
        return float(value)
    if isinstance(value, (list, tuple)):
        return [_canonical(v) for v in value]
    return value


class ScenarioPoints:
    """A scenario loaded once and rebuilt at parameter points without re-reading its files.

    ``at(values)`` equals ``load_scenario(ref, {**overrides, **values})`` (tested) at a
    fraction of the cost, which matters for designs of thousands of points.
    """

    def __init__(self, ref: str | Scenario, overrides: Mapping[str, Any] | None = None):
        if isinstance(ref, Scenario):  # already validated (built in Python): overrides apply to its raw form
            self.base, self._raw = ref, scenario_raw(ref)
            if not overrides:
                return
            self.base = self.at(dict(overrides))
        else:
            self.base = load_scenario(ref, dict(overrides or {}))
        self._raw = scenario_raw(self.base)

    @property
    def name(self) -> str:
        return self.base.name

    def at(self, values: Mapping[str, Any]) -> Scenario:
        if not values:
            return self.base
        # set_path writes in place: copy the top-level sections it will touch, not the whole scenario
        # (build_scenario copies its input again; a full copy per point costs more than a short ensemble)
        raw = dict(self._raw)
        for section in {str(path).split(".")[0] for path in values}:
            if section in raw:
                raw[section] = copy.deepcopy(raw[section])
        for path, value in values.items():
            set_path(raw, path, _plain(value), source="override")
        return build_scenario(raw, source=self.base.source)


_LOADED: dict[tuple, ScenarioPoints] = {}


def scenario_points(ref: str, overrides: Mapping[str, Any] | None = None) -> ScenarioPoints:
    """``ScenarioPoints(ref, overrides)``, loaded once per process while the scenario's file is unchanged.

    The basic launcher runs every job of a sweep in one process: one-point jobs then
    share one load of the scenario and each builds its point with ``at`` (a file read
    and parse per job saved).
    """
    items = json.dumps(sorted((str(k), _canonical(v)) for k, v in (overrides or {}).items()), default=str)
    key = (str(ref), items, _modified(ref))
    if key not in _LOADED:
        if len(_LOADED) >= 8:
            _LOADED.clear()
        _LOADED[key] = ScenarioPoints(ref, overrides)
    return _LOADED[key]


def _modified(ref: str) -> int | None:
    from sim.scenario.load import resolve_path
    try:
        return resolve_path(ref).stat().st_mtime_ns
    except (OSError, ScenarioError):
        return None  # loading reports a missing file, naming it


def _plain(value: Any) -> Any:
    if isinstance(value, np.generic):
        return value.item()
    return value


def check_paths(ref: str, values: Mapping[str, Any]) -> None:
    """Raise :class:`ScenarioError` if a path does not address a key of scenario ``ref``.

    Only the path is judged: a value out of range is a bad point, reported by the job
    that meets it, not a reason to refuse the whole sweep.
    """
    try:
        load_scenario(ref, dict(values))
    except ScenarioError as err:
        if err.source == "override":
            raise


def summarize(summary: pd.DataFrame) -> dict[str, float]:
    """Outcome statistics of one point from its per-replicate table (``EnsembleResult.summary``).

    Proportions come with 95% Wilson intervals, means with 95% normal intervals
    (``mean ± 1.96 s/√n``); both are exact functions of the replicates, so equal
    replicates give equal rows.
    """
    n = len(summary)
    row: dict[str, float] = {"replicates": n}
    for name in PROPORTIONS:
        hits = int(summary[name].sum())
        lo, hi = wilson_interval(hits, n)
        row.update({f"p_{name}": hits / n if n else math.nan, f"p_{name}_lo": float(lo), f"p_{name}_hi": float(hi)})
    for name in MEANS:
        values = summary[name].to_numpy(dtype=float)
        mean = float(values.mean()) if n else math.nan
        half = Z95 * float(values.std(ddof=1)) / math.sqrt(n) if n > 1 else math.nan
        row.update({f"mean_{name}": mean, f"mean_{name}_lo": mean - half, f"mean_{name}_hi": mean + half})
    adversary = adversary_column(summary)
    if adversary is not None:
        values = summary[adversary].to_numpy(dtype=float)
        row["mean_max_rung_adversary"] = float(values.mean()) if n else math.nan
    row["median_max_rung"] = float(summary["max_rung"].median()) if n else math.nan
    row["median_deployed_final"] = float(summary["deployed_final"].median()) if n else math.nan
    return row


def adversary_column(summary: pd.DataFrame) -> str | None:
    """The per-replicate column of the adversary's highest rung (``max_rung_<ADV>``), if any."""
    return next((c for c in summary.columns if c.startswith("max_rung_")), None)


def evaluate_points(points: ScenarioPoints, frame: pd.DataFrame, *, replicates: int, seed: int,
                    fixed: Mapping[str, Any] | None = None, seed_policy: str = "per_point",
                    threads: int | None = None, progress: bool = False, max_diverged_share: float = MAX_DIVERGED_SHARE,
                    run: Callable[[Scenario, int], pd.DataFrame] | None = None) -> pd.DataFrame:
    """One row per row of ``frame`` (columns: dotted paths), in its order: the point's values, seed, status, outcomes.

    ``fixed`` holds the overrides already applied to ``points`` (they are part of every
    point's identity and seed). A point that fails (a value out of range, a crash) gets
    ``status = "failed"`` and its ``error``; the others go on. ``run(scenario, seed)``
    returns the per-replicate table of a point, and points then run one after another.
    Without it, each point is an ensemble of ``replicates``, failed when more than
    ``max_diverged_share`` of them diverge, and points of at most one batch run side by
    side on the ``threads`` (see :func:`lanes`): a point's numbers do not depend on its
    threads, so the rows are those of points run one by one.
    """
    if seed_policy not in SEED_POLICIES:
        raise ValueError(f"seed_policy: expected one of {', '.join(SEED_POLICIES)}, got {seed_policy!r}")
    fixed = dict(fixed or {})
    todo = list(enumerate(_records(frame)))
    if run is None:
        width, run_point = _ensemble_runner(replicates, threads, len(todo), max_diverged_share)
    else:
        width, run_point = 1, lambda scenario, point_seed, last: run(scenario, point_seed)

    def evaluate(item: tuple[int, tuple[Any, dict]]) -> dict[str, Any]:
        position, (index, values) = item
        point = {**fixed, **values}
        row: dict[str, Any] = {"point": position, "design_index": index, "scenario": points.name, **point,
                               "seed": point_seed(seed, points.name, point) if seed_policy == "per_point" else int(seed),
                               "status": "ok", "error": ""}
        started = time.perf_counter()
        try:
            row.update(summarize(run_point(points.at(values), row["seed"], position == len(todo) - 1)))
        except Exception as err:  # a bad point must not stop the batch
            row.update(status="failed", error=error_text(err), replicates=0)
        row["wall_time_s"] = time.perf_counter() - started
        return row

    bar = _bar(progress, len(todo), points.name)
    try:
        rows = in_lanes(evaluate, todo, width, None if bar is None else lambda: bar.update(1))
    finally:
        if bar is not None:
            bar.close()
    return pd.DataFrame(rows)


def lanes(threads: int | None, replicates: int, points: int) -> tuple[int, int]:
    """(points evaluated side by side, threads each) for ensembles of ``replicates`` on ``threads``
    (default: Numba's thread count): one point per thread, at most one lane per point, and one
    lane on every thread when a point needs more than one batch of replicates.

    A short point on all threads pays its Python work (building its scenario, packing, summarising)
    while the cores wait, and a thread start and a tail at its end; side by side, one point's Python
    work runs while the others' kernels do (the kernel releases the GIL). A point of more than one
    batch gains nothing from it, and Ctrl-C stops a point that runs beside others only at its end.
    """
    from sim.engine.runner import DEFAULT_BATCH
    total = _all_threads(threads)
    width = 1 if replicates > DEFAULT_BATCH else max(1, min(total, points))
    return width, total // width


def _all_threads(threads: int | None) -> int:
    """``threads``, checked, or Numba's thread count as this thread sees it (it is set per thread)."""
    import numba
    from sim.engine.runner import check_threads
    return check_threads(threads) or numba.get_num_threads()


def _ensemble_runner(replicates: int, threads: int | None, points: int, max_share: float):
    """(lanes, run(scenario, seed, last)): a point's ensemble on its lane's share of the threads.

    The last point takes every thread: nothing is left to start beside it, so the threads of the
    points still running and its own share the cores until those end, and no core idles meanwhile.
    """
    from sim.results.ensemble import run_ensemble
    width, share = lanes(threads, replicates, points)
    every = _all_threads(threads)  # counted here: a point's own thread would see Numba's default

    def run(scenario: Scenario, point_seed: int, last: bool) -> pd.DataFrame:
        result = run_ensemble(scenario, replicates, point_seed, threads=every if width == 1 or last else share)
        result.check_divergence(max_share)
        return result.summary
    return width, run


def in_lanes(work: Callable[[Any], Any], items: list, width: int, done: Callable[[], None] | None = None) -> list:
    """``[work(item) for item in items]``, ``width`` items at a time on threads; ``done()`` after each.

    Ctrl-C (it reaches this, the main thread) starts no further item; items already running end
    first, as threads cannot be stopped.
    """
    if width <= 1:
        results = []
        for item in items:
            results.append(work(item))
            if done is not None:
                done()
        return results
    pool = ThreadPoolExecutor(width, thread_name_prefix="point")
    try:
        futures = [pool.submit(work, item) for item in items]
        for _ in as_completed(futures):
            if done is not None:
                done()
        return [future.result() for future in futures]
    finally:
        pool.shutdown(wait=False, cancel_futures=True)


def error_text(err: BaseException) -> str:
    return str(err) if isinstance(err, (ScenarioError, ValueError)) else f"{type(err).__name__}: {err}"


def _records(frame: pd.DataFrame) -> list[tuple[Any, dict]]:
    records = frame.to_dict("records") if len(frame.columns) else [{} for _ in range(len(frame))]
    return list(zip(frame.index.tolist(), records))


def _bar(enabled: bool, total: int, name: str):
    if not enabled:
        return None
    from tqdm.auto import tqdm
    return tqdm(total=total, desc=f"{name} points", unit="pt", dynamic_ncols=True)
