"""What a multirun will do, known before any job starts: its jobs, their scenarios and parameter paths.

Hydra's basic sweeper turns ``hydra.sweeper.params`` and the command line into one
list of overrides per job; :func:`expand_overrides` repeats that expansion through
Hydra's public override parser so that every swept path can be checked against its
scenario while nothing has run yet (``tests/test_plan_expansion.py`` holds it to
what Hydra launches).
"""
from __future__ import annotations

import itertools
from typing import Any

from omegaconf import DictConfig, OmegaConf

from sim import checks
from sim.scenario.spec import MAX_HORIZON

from experiments.searchpath import scenario_on_searchpath

SEED_POLICIES = ("per_point", "common")
OUTPUTS = ("full", "tables", "summary")


class PlanError(ValueError):
    """A sweep that must not start; the message names the key and what was expected."""


def flatten(params: Any, prefix: str = "") -> dict[str, Any]:
    """``{states: {RUS: {x0: 3}}}`` -> ``{"states.RUS.x0": 3}`` (scenario override paths).

    Lists are leaves (a design's ``[low, high]``), so dotted keys and nested keys give
    the same paths.
    """
    if not isinstance(params, dict):
        return {prefix: params}
    out: dict[str, Any] = {}
    for key, value in params.items():
        out.update(flatten(value, f"{prefix}.{key}" if prefix else str(key)))
    return out


def container(node: Any) -> Any:
    return OmegaConf.to_container(node, resolve=True) if OmegaConf.is_config(node) else node


def design_spec(cfg: DictConfig) -> dict:
    """The ``design`` mapping with its ``params`` flattened to dotted paths."""
    spec = dict(container(cfg.get("design")) or {})
    spec["params"] = flatten(spec.get("params") or {})
    return spec


def horizon_override(cfg) -> dict:
    """``horizon=`` (or its older name ``steps=``) as a scenario override, in weeks."""
    for key in ("horizon", "steps"):
        if cfg.get(key) is not None:
            return {"horizon": cfg.get(key)}
    return {}


def check_settings(cfg: DictConfig) -> None:
    """The run settings of ``config.yaml``, checked before anything runs (once per sweep, again by each job).

    Raises :class:`sim.checks.InputError` naming the key, the value and what is expected.
    """
    checks.integer("replicates", cfg.replicates, 1)
    checks.seed(cfg.seed)
    for key in ("horizon", "steps"):  # weeks; steps is the older name
        if cfg.get(key) is not None:
            checks.integer(key, cfg.get(key), 1, MAX_HORIZON)
    from sim.engine.runner import check_threads
    check_threads(cfg.get("threads"))
    checks.seed(cfg.get("narrative_replicate", 0), "narrative_replicate")
    for key in ("progress", "resume", "overwrite"):
        checks.flag(key, cfg.get(key, False))
    checks.number("max_diverged_share", cfg.get("max_diverged_share", 0.0), 0.0, 1.0)
    checks.choice("seed_policy", cfg.seed_policy, SEED_POLICIES)
    checks.choice("outputs", cfg.outputs, OUTPUTS)


# Launcher settings by name (joblib, submitit, ray's init/remote options): the least each admits.
# A value Hydra's typed config accepts may still stop every job (n_jobs=0, timeout_min=0).
LAUNCHER_MINIMUM = {"timeout_min": 1, "cpus_per_task": 1, "tasks_per_node": 1, "nodes": 1, "array_parallelism": 1,
                    "mem_gb": 1, "cpus_per_gpu": 1, "gpus_per_node": 0, "gpus_per_task": 0, "max_num_timeout": 0,
                    "signal_delay_s": 0, "num_cpus": 1, "num_gpus": 0, "verbose": 0}


def check_launcher(launcher: Any, prefix: str = "hydra.launcher") -> None:
    """The launcher's numeric settings: null or an integer at least :data:`LAUNCHER_MINIMUM`; ``n_jobs`` not 0."""
    for key, value in (container(launcher) or {}).items():
        path = f"{prefix}.{key}"
        if isinstance(value, dict):
            check_launcher(value, path)
        elif key == "n_jobs" and value is not None and (not checks.is_int(value) or value == 0):
            raise checks.InputError(path, value, "a non-zero integer (-1: one job per core)")
        elif key in LAUNCHER_MINIMUM and value is not None:
            checks.integer(path, value, LAUNCHER_MINIMUM[key])


def plan_jobs(config: DictConfig) -> list[list[str]] | None:
    """Each job's overrides, in Hydra's job order; None under a sweeper other than the basic one."""
    from hydra.core.global_hydra import GlobalHydra

    sweeper = config.hydra.sweeper
    if sweeper.get("_target_") != basic_sweeper_target():
        return None
    arguments = [f"{k}={v}" for k, v in (sweeper.get("params") or {}).items()]
    arguments += list(config.hydra.overrides.task)
    return expand_overrides(arguments, GlobalHydra.instance().config_loader())


def basic_sweeper_target() -> str:
    """The ``_target_`` of Hydra's basic sweeper, as Hydra registers it for ``hydra/sweeper=basic``."""
    from hydra.core.config_store import ConfigStore
    return ConfigStore.instance().load("hydra/sweeper/basic.yaml").node["_target_"]


def expand_overrides(arguments: list[str], config_loader: Any = None) -> list[list[str]]:
    """The basic sweeper's jobs: the product of every key's values, in the order the keys first appear.

    A key given again (the command line after ``hydra.sweeper.params``) replaces its
    values but keeps its place, as Hydra does; jobs are numbered across batches,
    so ``max_batch_size`` changes nothing here. ``glob()`` needs ``config_loader``
    to list a config group's options.
    """
    from hydra.core.override_parser.overrides_parser import OverridesParser

    axes: dict[str, list[str]] = {}
    for override in OverridesParser.create(config_loader=config_loader).parse_overrides(arguments):
        key, text = override.get_key_element(), override.input_line.split("=", 1)[-1]
        if "shuffle(" in text:  # Hydra draws a new order at each reading: the plan would not match the jobs
            raise PlanError(f"{key}={text}: shuffle() orders the values anew each time the sweep is read, so a "
                            "job's number would not say what it ran; list the values in the order wanted")
        if not override.is_sweep_override():
            axes[key] = [f"{key}={override.get_value_element_as_str()}"]
        elif not override.is_discrete_sweep():
            raise PlanError(f"{key}={text}: the basic sweeper takes a list of values (a,b,c, choice(), range() "
                            "or glob()), not a continuous interval")
        else:
            axes[key] = [f"{key}={value}" for value in override.sweep_string_iterator()]
            if not axes[key]:  # Hydra would launch no job at all, and say nothing
                raise PlanError(f"{key}={text}: no values to sweep" + (
                    "; scenario is a name, not a config group: list the names (scenario=a,b) or run "
                    "-m experiment=scenarios" if key == "scenario" and "glob(" in text else ""))
    return [list(job) for job in itertools.product(*axes.values())]


def job_settings(config: DictConfig, overrides: list[str]) -> dict:
    """Scenario, parameter overrides and design of one job, from the sweep's config and the job's overrides.

    Overrides are applied directly (composing each job's config would cost a
    composition per job before any runs); a job that deletes a key or picks another
    experiment or config group is composed as its launcher will.
    """
    from hydra.core.global_hydra import GlobalHydra
    from hydra.core.override_parser.overrides_parser import OverridesParser

    parsed = OverridesParser.create().parse_overrides(overrides)
    choices = config.hydra.runtime.choices
    if any(o.is_delete() or (("/" in o.key_or_group or o.key_or_group == "experiment")
                             and str(o.value()) != str(choices.get(o.key_or_group))) for o in parsed):
        job = GlobalHydra.instance().config_loader().load_sweep_config(config, list(overrides))
        return settings_of(job)
    chosen = {"scenario": config.get("scenario"), "scenario_file": config.get("scenario_file")}
    settings = {"params": flatten(container(config.get("params")) or {}), "design": design_spec(config)}
    for o in parsed:
        if o.key_or_group in chosen:
            chosen[o.key_or_group] = o.value()
        else:
            _apply(settings, o.key_or_group, o.value())
    return {**scenario_settings(chosen["scenario"], chosen["scenario_file"], _sources(config)), **settings}


def _apply(settings: dict, key: str, value: Any) -> None:
    if key == "params" or key.startswith("params."):
        if key == "params":
            settings["params"] = {}
        settings["params"].update(flatten(value, key[len("params."):]) if key != "params" else flatten(value or {}))
    elif key == "design.params" or key.startswith("design.params."):
        path = key[len("design.params."):]
        settings["design"]["params"].update(flatten(value, path) if path else flatten(value or {}))
    elif key == "design":
        settings["design"] = {**(value or {}), "params": flatten((value or {}).get("params") or {})}
    elif key.startswith("design."):
        settings["design"][key[len("design."):]] = value


def _sources(cfg: DictConfig) -> Any:
    return cfg.hydra.runtime.get("config_sources") if "hydra" in cfg else None


def scenario_settings(name: Any, scenario_file: Any, sources: Any = None) -> dict:
    """``scenario``: what the engine loads (``scenario_file``, else ``name`` found on the search path)."""
    from sim import ScenarioError

    if scenario_file:
        return {"scenario": str(scenario_file), "scenario_file": scenario_file}
    try:
        return {"scenario": scenario_on_searchpath(name, sources), "scenario_file": scenario_file}
    except ScenarioError as err:
        raise PlanError(str(err)) from None


def settings_of(cfg: DictConfig) -> dict:
    """Scenario, parameter overrides and design of a composed config."""
    return {**scenario_settings(cfg.get("scenario"), cfg.get("scenario_file"), _sources(cfg)),
            "params": flatten(container(cfg.get("params")) or {}), "design": design_spec(cfg)}


def check_plan(settings: list[dict]) -> None:
    """Refuse a sweep whose designs are malformed or whose paths miss their scenario's keys.

    Each scenario is loaded once with every path swept on it (a probe value each:
    the first value met, a design range's midpoint); only a wrong path refuses the
    sweep, a value out of range stays a bad point for its job to report.
    """
    from sim import ScenarioError
    from experiments.design import DesignError, design_from_config
    from experiments.points import check_paths

    probes: dict[str, dict[str, tuple[str, Any]]] = {}
    for job in settings:
        try:
            design = design_from_config(job["design"])
        except DesignError as err:
            raise PlanError(str(err)) from None
        probe = probes.setdefault(str(job["scenario"]), {})
        for path, value in job["params"].items():
            probe.setdefault(path, ("params", value))
        for path, low, high in design.params if design else ():
            probe.setdefault(path, ("design.params", (low + high) / 2))
    for ref, probe in probes.items():
        try:
            check_paths(ref, {path: value for path, (_, value) in probe.items()})
        except ScenarioError as err:
            if err.source != "override":
                raise PlanError(str(err)) from None
            path = next((p for p in probe if p == err.key or p.startswith(err.key + ".")), err.key)
            where = probe.get(path, ("params",))[0]
            detail = str(err).split(": ", 2)[-1]
            at = "" if err.key == path else f"at {err.key}: "
            raise PlanError(f"sweep over scenario {ref!r}: {where}.{path}: {at}{detail}{leader_hint(ref, path)}") from None


def leader_hint(ref: str, path: str) -> str:
    """``states.RUS.resolve`` -> a pointer to ``leaders.putin.resolve``: resolve and the like belong to leaders."""
    import dataclasses

    from sim import load_scenario
    from sim.scenario.spec import Leader

    parts = path.split(".")
    if len(parts) != 3 or parts[0] != "states" or parts[2] not in {f.name for f in dataclasses.fields(Leader)}:
        return ""
    leader = next((ld.id for ld in load_scenario(ref).leaders if ld.state == parts[1]), None)
    return f"; {parts[2]} is a leader attribute: leaders.{leader}.{parts[2]}" if leader else ""
