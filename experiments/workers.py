"""The ``escalate_parts`` resolver: cut a design into as many jobs as the launcher runs at once.

A Hydra job costs a composition, its files and, with most launchers, a process; a
batched design pays that once per part. The shipped experiments set
``design.parts: ${escalate_parts:}`` and sweep ``design.part: range(0,${design.parts})``,
so the basic launcher (one job at a time) evaluates the whole grid in one job and
``hydra/launcher=joblib hydra.launcher.n_jobs=4`` in four. The number of parts never
changes a point's result (its seed depends on its values only), only where it runs.
"""
from __future__ import annotations

import os
from typing import Any

from omegaconf import OmegaConf

RESOLVER = "escalate_parts"


def launcher_workers(launcher: Any) -> int:
    """Jobs a launcher config runs at the same time (basic: 1; joblib: ``n_jobs``; Ray: its CPUs per job's CPUs;
    submitit: the cores over ``cpus_per_task`` locally, ``array_parallelism`` on SLURM)."""
    settings = OmegaConf.to_container(launcher, resolve=True) if OmegaConf.is_config(launcher) else launcher
    settings = settings or {}
    target = str(settings.get("_target_", ""))
    cores = os.cpu_count() or 1
    if target.endswith("JoblibLauncher"):
        n_jobs = settings.get("n_jobs") or 1
        return n_jobs if n_jobs > 0 else max(1, cores + 1 + n_jobs)  # joblib: -1 is every core, -2 all but one
    if target.endswith("RayLauncher"):
        ray = settings.get("ray") or {}
        cpus = (ray.get("init") or {}).get("num_cpus") or cores
        return max(1, int(cpus // ((ray.get("remote") or {}).get("num_cpus") or 1)))
    if target.endswith("LocalLauncher"):
        return max(1, cores // (settings.get("cpus_per_task") or 1))
    if target.endswith("SlurmLauncher"):
        return max(1, settings.get("array_parallelism") or 1)
    return 1


def _current_launcher(root: Any) -> Any:
    """The launcher config: the composed config's own ``hydra`` node, or inside a job Hydra's record of it."""
    if root is not None and "hydra" in root:
        return root.hydra.get("launcher")
    from hydra.core.hydra_config import HydraConfig
    return HydraConfig.get().launcher if HydraConfig.initialized() else None


def design_parts(_parent_: Any = None, _root_: Any = None) -> int:
    """Parts for the design that holds this key: the launcher's workers, at most one part per point."""
    from experiments.design import design_from_config
    from experiments.plan import flatten

    workers = launcher_workers(_current_launcher(_root_))
    spec = OmegaConf.to_container(_parent_, resolve=False) if _parent_ is not None else {}
    spec = {**spec, "params": flatten(spec.get("params") or {}), "parts": 1, "part": 0}
    try:
        design = design_from_config(spec)
    except ValueError:
        return workers  # a malformed design is reported by the plan check, naming its key
    return max(1, min(workers, design.size)) if design is not None else workers


def register() -> None:
    if not OmegaConf.has_resolver(RESOLVER):
        OmegaConf.register_new_resolver(RESOLVER, design_parts)
