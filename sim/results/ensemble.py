"""Ensembles of replicates on the kernel path."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from sim import checks
from sim.engine.ensemble import FIXED_POINT
from sim.engine.layout import CLASH_CAUSES, Summaries
from sim.engine.pack import compile_params
from sim.engine.runner import DEFAULT_BATCH, check_threads, new_summaries, run_batches
from sim.files import parquet_table
from sim.scenario.spec import Scenario, check_scenario

from . import columns as col
from .outcomes import OutcomeCounts
from .storage import save_ensemble, table_metadata


class DivergenceError(RuntimeError):
    """Too many replicates left the numeric range: their outcomes would be meaningless."""


@dataclass
class WeeklyCounts:
    """Integer accumulators over all replicates (merged across thread slots)."""

    hist_max: float
    fixed_point: float           # the scale of the ``*_fp`` sums: a value v was added as round(v * fixed_point)
    level_hist: np.ndarray       # (weeks, n_states, LEVEL_BINS + 2): x == 0, (0, hist_max] bins, overflow
    rung_occ: np.ndarray         # (weeks, n_states, n_rungs)
    deployed_dist: np.ndarray    # (weeks, n_members + 1)
    commit_fp: np.ndarray        # (weeks, n_states): sum of commitments in fixed point 2**32
    deployed_member: np.ndarray  # (weeks, n_states)
    unit_hist: np.ndarray        # (weeks, 2, UNIT_BINS): guarantee G, political capital P
    unit_fp: np.ndarray          # (weeks, 2): fixed-point sums of G and P


@dataclass
class EnsembleResult:
    """What :func:`run_ensemble` returns: per-week statistics, outcome counts and (unless streamed to a
    file) the per-replicate summaries."""

    scenario: Scenario
    seed: int
    replicates: int
    summary: pd.DataFrame | None  # None when the summaries went to ``summary_file`` only
    counts: WeeklyCounts
    outcomes: OutcomeCounts
    wall_time: float
    threads: int
    summary_file: Path | None = None
    extra: dict = field(default_factory=dict)

    def tables(self) -> dict[str, pd.DataFrame]:
        """All result tables by file stem (see :mod:`sim.results.tables`)."""
        from .tables import result_tables
        return result_tables(self)

    def headline(self) -> dict[str, float]:
        from .tables import headline
        return headline(self)

    def save(self, directory, *, overwrite: bool = False, **manifest_extra) -> None:
        save_ensemble(self, directory, overwrite=overwrite, **manifest_extra)

    def check_divergence(self, max_share: float = checks.MAX_DIVERGED_SHARE) -> None:
        """Raise :class:`DivergenceError` when more than ``max_share`` of the replicates diverged.

        A diverged replicate had a level above ``outcomes.divergence_level`` (or not a
        number) and stopped; headline numbers over such replicates are not results.
        """
        max_share = checks.number("max_diverged_share", max_share, 0.0, 1.0)
        diverged = self.outcomes.diverged
        if diverged <= max_share * self.replicates:
            return
        s = self.scenario
        raise DivergenceError(
            f"{s.source}: {diverged} of {self.replicates} replicates ({diverged / self.replicates:.1%}) diverged "
            f"(a level above outcomes.divergence_level={s.outcomes.divergence_level:g}), more than "
            f"max_diverged_share={max_share:g}: check the magnitudes of noise, reactions, grievance and "
            f"fatigue (fatigue * dt above 2 is unstable), or raise max_diverged_share")


def run_ensemble(scenario: Scenario, replicates: int, seed: int, *, threads: int | None = None,
                 progress: bool = False, batch: int = DEFAULT_BATCH, summary_file=None) -> EnsembleResult:
    """Run ``replicates`` independent replicates of ``scenario`` on the Numba kernel.

    Replicate ``r`` draws its random numbers from ``(seed, r, ...)`` only, so the
    result is the same for any ``threads`` and ``batch``. ``progress`` shows a
    progress bar over batches. With ``summary_file`` (a path), the per-replicate
    summaries are written there batch by batch as Parquet and not kept
    (``result.summary`` is None): memory then does not grow with ``replicates``.
    Tables and headline come from counts either way, so they are the same.
    """
    check_scenario(scenario)
    checks.integer("replicates", replicates, 1)
    checks.seed(seed)
    threads = check_threads(threads)
    checks.integer("batch", batch, 1)
    checks.flag("progress", progress)
    if summary_file is not None:
        summary_file = _check_summary_file(summary_file)
    p = compile_params(scenario)
    outcomes = OutcomeCounts(p.n_rungs, scenario.horizon + 1, p.n_members)
    kept = None if summary_file is not None else new_summaries(replicates, p.n_rungs)
    writer = None if summary_file is None else _SummaryWriter(summary_file, scenario, seed, replicates)
    bar = _progress(replicates, progress, scenario.name)

    def on_batch(summaries: Summaries, first: int, count: int) -> None:
        outcomes.add(summaries, count)
        if kept is not None:
            for whole, part in zip(kept, summaries):
                whole[..., first:first + count] = part[..., :count]
        if writer is not None:
            writer.write(_frame(_rows(summaries, count), scenario, first))
        if bar is not None:
            bar.update(count)

    try:
        done = run_batches(p, int(seed), replicates, on_batch, threads=threads, batch=batch, notice=progress)
    except BaseException:
        if writer is not None:
            writer.abort()
        raise
    finally:
        if bar is not None:
            bar.close()
    if writer is not None:
        writer.close()
    counts = WeeklyCounts(hist_max=done.hist_max, fixed_point=FIXED_POINT, **done.counts._asdict())
    return EnsembleResult(scenario=scenario, seed=int(seed), replicates=int(replicates),
                          summary=None if kept is None else _frame(kept, scenario), counts=counts,
                          outcomes=outcomes, wall_time=done.wall_time, threads=done.threads,
                          summary_file=None if writer is None else writer.path)


def _check_summary_file(value) -> Path:
    """A path for a new file (its folder may not exist yet): not a folder, nothing in the way of its folder."""
    if not isinstance(value, (str, Path)) or not str(value):
        raise checks.InputError("summary_file", value, "a file path (str or pathlib.Path)")
    path = Path(value)
    if path.is_dir():
        raise checks.InputError("summary_file", str(path), "a file path, not a folder")
    folder = next((p for p in path.parents if p.exists()), Path("."))
    if not folder.is_dir():
        raise checks.InputError("summary_file", str(path), f"a path whose folder can be made ({folder} is a file)")
    return path


def _rows(s: Summaries, count: int) -> Summaries:
    """The first ``count`` rows of every summary column."""
    return Summaries(*(a[..., :count] for a in s))


class _SummaryWriter:
    """Summary rows appended to one Parquet file, one row group a batch; ``abort`` removes the file."""

    def __init__(self, path: Path, scenario: Scenario, seed: int, replicates: int):
        self.path, self.writer = path, None
        self.meta = table_metadata(scenario, seed, replicates)

    def write(self, frame: pd.DataFrame) -> None:
        import pyarrow.parquet as pq
        table = parquet_table(frame, self.meta)
        if self.writer is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.writer = pq.ParquetWriter(self.path, table.schema)
        self.writer.write_table(table)

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()

    def abort(self) -> None:
        self.close()
        self.path.unlink(missing_ok=True)


def _progress(total: int, enabled: bool, name: str):
    if not enabled:
        return None
    from tqdm.auto import tqdm
    return tqdm(total=total, desc=f"{name}", unit="rep", unit_scale=True, dynamic_ncols=True)


def _frame(out: Summaries, scenario: Scenario, first: int = 0) -> pd.DataFrame:
    n = out.max_rung.shape[0]
    columns = {
        "replicate": np.arange(first, first + n, dtype=np.int64),
        "max_rung": out.max_rung,
        col.max_rung_of(scenario.roles.adversary): out.max_rung_adversary,
        "clash": out.clash_week >= 0,
        "clash_week": out.clash_week,
        "clash_cause": pd.Categorical.from_codes(out.clash_cause, categories=list(CLASH_CAUSES)),
        "deployed_peak": out.deployed_peak,
        "deployed_final": out.deployed_final,
        "us_guarantee_final": out.guarantee_final,
        "us_capital_final": out.capital_final,
        "deescalated": out.deescalated,
        "ceasefire_week": out.ceasefire_week,
        "diverged": out.diverged,
        "diverged_week": out.diverged_week,
    }
    for r in range(out.first_week.shape[0]):
        columns[col.first_week(r)] = out.first_week[r]
    # the columns already have their final dtypes: no copy of a possibly very long table
    return pd.DataFrame(columns, copy=False)
