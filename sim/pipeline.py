"""One complete run: ensemble, one Mesa narrative, tables, manifest and report."""
from __future__ import annotations

import dataclasses
import json
import time
from pathlib import Path

from .ensemble import run_ensemble
from .results import atomic_write_text, save_ensemble
from .scenario import Scenario


def scenario_dict(scenario: Scenario) -> dict:
    """The resolved scenario as plain data (what the run used, after extends and overrides)."""
    return dataclasses.asdict(scenario)


def run_to_directory(scenario: Scenario, replicates: int, seed: int, out_dir, *, threads: int | None = None,
                     narrative_replicate: int = 0, progress: bool = False, report: bool = True, **manifest_extra) -> Path:
    """Run ``scenario`` and write every output into ``out_dir``; returns the directory.

    Each file is written atomically and ``manifest.json`` comes after the tables,
    so a directory with a manifest holds a complete set of tables.
    """
    out_dir = Path(out_dir)
    started = time.perf_counter()
    result = run_ensemble(scenario, replicates, seed, threads=threads, progress=progress)
    # Mesa and the report's Plotly load after the ensemble: the first simulated week comes sooner
    from .model import EscalationModel
    from .report import write_report

    model = EscalationModel(scenario, seed, narrative_replicate).run()
    config = scenario_dict(scenario)
    atomic_write_text(out_dir / "scenario.json", json.dumps(config, indent=2))
    if scenario.path is not None and scenario.path.is_file() and "sources" not in manifest_extra:
        from .sources import assumption_summary, number_sources
        manifest_extra["sources"] = assumption_summary(number_sources(scenario.path))
    save_ensemble(result, out_dir, events=model.events, narrative_replicate=narrative_replicate,
                  total_wall_time_s=round(time.perf_counter() - started, 3), **manifest_extra)
    if report:
        write_report(out_dir, config)
    return out_dir
