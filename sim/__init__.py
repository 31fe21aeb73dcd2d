"""Scenario simulation engine for geopolitical escalation.

Library entry points (the command line and Hydra are thin layers over these):

>>> import sim
>>> scenario = sim.load_scenario("baseline")
>>> levels = sim.simulate(scenario, seed=1)              # kernel path
>>> model = sim.EscalationModel(scenario, seed=1); model.run()  # Mesa path
>>> result = sim.run_ensemble(scenario, replicates=1000, seed=1)

Subpackages, each one layer (docs/architecture.md): ``sim.scenario`` (schema, loading,
checks), ``sim.engine`` (packed arrays and the Numba kernels), ``sim.model`` (the Mesa
path), ``sim.results`` (ensembles as tables, storage), ``sim.report`` (figures and pages),
``sim.pipeline`` (one complete run into a directory). Every name below loads on first
use, so ``import sim`` is quick and loads neither Numba nor Mesa nor Plotly.
"""
import importlib

_PUBLIC = {
    "Scenario": "sim.scenario.spec",
    "ScenarioError": "sim.scenario.errors",
    "available_scenarios": "sim.scenario.load",
    "load_scenario": "sim.scenario.load",
    "simulate": "sim.engine.simulate",
    "EscalationModel": "sim.model",
    "run_ensemble": "sim.results.ensemble",
    "EnsembleResult": "sim.results.ensemble",
    "run_to_directory": "sim.pipeline",
}

__all__ = sorted(_PUBLIC)
__version__ = "0.1.0"


def __getattr__(name):
    if name in _PUBLIC:
        return getattr(importlib.import_module(_PUBLIC[name]), name)
    raise AttributeError(f"module 'sim' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_PUBLIC))
