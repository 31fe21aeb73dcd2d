"""The ``escalate_run_name`` resolver: a run directory named after what was run.

``configs/config.yaml`` sets ``hydra.run.dir`` to
``results/runs/${escalate_run_name:...}/<date_time>``; the resolver receives the
``scenario`` key, ``scenario_file``, ``params`` and ``horizon``/``steps``
and returns :func:`sim.scenario.identity.run_label` of them, the same label the report shows.
"""
from __future__ import annotations

from typing import Any

from omegaconf import OmegaConf

from experiments.plan import container, flatten

RESOLVER = "escalate_run_name"


def scenario_overrides(params: Any, horizon: Any = None, steps: Any = None) -> dict:
    """Scenario overrides by dotted path: ``params`` flattened, and the horizon if set (``steps`` is its old name)."""
    overrides = flatten(container(params) or {})
    weeks = horizon if horizon is not None else steps
    if weeks is not None:
        overrides["horizon"] = weeks
    return overrides


def run_name(scenario: Any, scenario_file: Any, params: Any, horizon: Any = None, steps: Any = None,
             *, _root_: Any = None) -> str:
    """``scenario`` is the config key (a name); a file of the search path is named by its own ``name``."""
    from sim.scenario.errors import ScenarioError
    from sim.scenario.identity import file_scenario_name, run_label
    from experiments.searchpath import scenario_on_searchpath

    path = scenario_file
    if not path:
        sources = OmegaConf.select(_root_, "hydra.runtime.config_sources") if _root_ is not None else None
        try:
            path = scenario_on_searchpath(scenario, sources)
        except ScenarioError:
            path = None  # the run refuses the name itself, in one line, before writing anything
    name = file_scenario_name(path) if path and path != str(scenario) else str(scenario)
    return run_label(name, scenario_overrides(params, horizon, steps))


def register() -> None:
    if not OmegaConf.has_resolver(RESOLVER):
        OmegaConf.register_new_resolver(RESOLVER, run_name)
