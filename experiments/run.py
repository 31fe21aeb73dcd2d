"""``escalate``: run a scenario ensemble from the command line (a Hydra app).

    escalate scenario=russia_resolute replicates=10000 seed=7
    escalate +params.leaders.putin.resolve=1.2 steps=26
"""
from __future__ import annotations

import logging
import shutil
import sys
from pathlib import Path
from typing import Any

import hydra
from hydra.core.hydra_config import HydraConfig
from omegaconf import DictConfig, OmegaConf

log = logging.getLogger("escalate")


def flatten(params: Any, prefix: str = "") -> dict[str, Any]:
    """``{states: {RUS: {x0: 3}}}`` -> ``{"states.RUS.x0": 3}`` (scenario override paths)."""
    if not isinstance(params, dict):
        return {prefix: params}
    out: dict[str, Any] = {}
    for key, value in params.items():
        out.update(flatten(value, f"{prefix}.{key}" if prefix else str(key)))
    return out


def _discard_empty_run_dir(path: Path) -> None:
    """Remove a run directory that holds only Hydra's own files (validation failed before any result)."""
    if path.is_dir() and all(p.name in (".hydra", "escalate.log", "run.log") for p in path.iterdir()):
        shutil.rmtree(path, ignore_errors=True)


def scenario_ref(cfg: DictConfig) -> str:
    """The scenario to load: ``scenario_file`` if given, else the chosen ``scenario`` group option.

    Hydra composes the chosen file into ``cfg.scenario``, but the engine reloads it
    by name so that ``extends`` resolves and errors name the file.
    """
    if cfg.get("scenario_file"):
        return str(cfg.scenario_file)
    if HydraConfig.initialized():
        return HydraConfig.get().runtime.choices["scenario"]
    return str(cfg.scenario if isinstance(cfg.scenario, str) else cfg.scenario.name)


def run(cfg: DictConfig, out_dir: Path) -> Path:
    from sim import ScenarioError, load_scenario
    from sim.pipeline import run_to_directory

    overrides = flatten(OmegaConf.to_container(cfg.params, resolve=True) or {})
    if cfg.steps is not None:
        overrides["steps"] = cfg.steps
    try:
        scenario = load_scenario(scenario_ref(cfg), overrides)
        if not isinstance(cfg.replicates, int) or cfg.replicates < 1:
            raise ValueError(f"replicates: expected a positive integer, got {cfg.replicates!r}")
        if not isinstance(cfg.seed, int) or cfg.seed < 0:
            raise ValueError(f"seed: expected a non-negative integer, got {cfg.seed!r}")
    except (ScenarioError, ValueError) as err:
        _discard_empty_run_dir(out_dir)
        print(f"escalate: error: {err}", file=sys.stderr)
        sys.exit(2)
    log.info("scenario %s: %d replicates, seed %d -> %s", scenario.name, cfg.replicates, cfg.seed, out_dir)
    run_to_directory(scenario, cfg.replicates, cfg.seed, out_dir, threads=cfg.threads,
                     narrative_replicate=cfg.narrative_replicate, progress=cfg.progress,
                     hydra_overrides=list(HydraConfig.get().overrides.task) if HydraConfig.initialized() else [])
    return out_dir


@hydra.main(version_base="1.3", config_path="../configs", config_name="config")
def main(cfg: DictConfig) -> None:
    out_dir = Path(HydraConfig.get().runtime.output_dir)
    run(cfg, out_dir)
    print(f"report: {out_dir / 'report.html'}")


if __name__ == "__main__":
    main()
