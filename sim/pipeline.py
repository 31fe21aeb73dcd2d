"""One complete run: ensemble, one Mesa narrative, tables, manifest and report."""
from __future__ import annotations

import json
import os
import time
from pathlib import Path

from . import checks
from sim.results.ensemble import run_ensemble
from sim.files import atomic_write_text
from sim.results.storage import check_writable, mark_complete, save_ensemble
from sim.scenario.build import scenario_raw
from sim.scenario.spec import Scenario, check_scenario


def scenario_dict(scenario: Scenario) -> dict:
    """The resolved scenario as plain data (what the run used, after extends and overrides), and its file."""
    return {**scenario_raw(scenario), "source": scenario.source}


def run_to_directory(scenario: Scenario, replicates: int, seed: int, out_dir, *, threads: int | None = None,
                     narrative_replicate: int = 0, progress: bool = False, report: bool = True,
                     overwrite: bool = False, max_diverged_share: float = checks.MAX_DIVERGED_SHARE,
                     complete_record: dict | None = None, **manifest_extra) -> Path:
    """Run ``scenario`` and write every output into ``out_dir``; returns the directory.

    Every argument is checked before anything runs (:class:`sim.checks.InputError`).
    A directory holding a complete run is refused unless ``overwrite``
    (:class:`sim.results.RunExistsError`); a run in which more than
    ``max_diverged_share`` of the replicates diverged raises
    :class:`sim.results.ensemble.DivergenceError` and writes nothing. Each file is written
    atomically, and the ``COMPLETE`` marker (holding ``complete_record``) comes last.
    """
    check_scenario(scenario)
    checks.integer("replicates", replicates, 1)
    checks.seed(seed)
    checks.seed(narrative_replicate, "narrative_replicate")
    from sim.engine.runner import check_threads
    check_threads(threads)
    for key, value in (("progress", progress), ("report", report), ("overwrite", overwrite)):
        checks.flag(key, value)
    checks.number("max_diverged_share", max_diverged_share, 0.0, 1.0)
    out_dir = Path(out_dir)
    check_writable(out_dir, overwrite)
    started = time.perf_counter()
    created = not out_dir.exists()
    # the summaries go to disk batch by batch (memory flat in the number of replicates) and
    # become summary.parquet with the other tables
    part = out_dir / f".summary.{os.getpid()}.parquet.part"
    try:
        result = run_ensemble(scenario, replicates, seed, threads=threads, progress=progress, summary_file=part)
        result.check_divergence(max_diverged_share)
        _write_run(result, scenario, seed, out_dir, narrative_replicate=narrative_replicate, report=report,
                   overwrite=overwrite, started=started, complete_record=complete_record, **manifest_extra)
    except BaseException:
        part.unlink(missing_ok=True)
        if created and out_dir.is_dir() and not any(out_dir.iterdir()):
            out_dir.rmdir()
        raise
    return out_dir


def _write_run(result, scenario: Scenario, seed: int, out_dir: Path, *, narrative_replicate: int, report: bool,
               overwrite: bool, started: float, complete_record: dict | None, **manifest_extra) -> None:
    """Everything after the ensemble: the Mesa narrative, tables, manifest, scenario, report, ``COMPLETE``."""
    # Mesa and the report's Plotly load after the ensemble: the first simulated week comes sooner
    from .model import EscalationModel
    from sim.report.run import write_report

    model = EscalationModel(scenario, seed, narrative_replicate).run()
    config = scenario_dict(scenario)
    if scenario.path is not None and scenario.path.is_file() and "sources" not in manifest_extra:
        from sim.scenario.sources import assumption_summary, number_sources
        manifest_extra["sources"] = assumption_summary(number_sources(scenario.path))
    save_ensemble(result, out_dir, events=model.events, overwrite=overwrite, complete=False,
                  narrative_replicate=narrative_replicate,
                  total_wall_time_s=round(time.perf_counter() - started, 3), **manifest_extra)
    atomic_write_text(out_dir / "scenario.json", json.dumps(config, indent=2))
    if report:
        write_report(out_dir, config, require_complete=False)
    mark_complete(out_dir, result, **(complete_record or {}))
