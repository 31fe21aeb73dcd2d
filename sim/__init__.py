"""Scenario simulation engine for geopolitical escalation.

Library entry points (the command line and Hydra are thin layers over these):

>>> import sim
>>> scenario = sim.load_scenario("baseline")
>>> levels = sim.simulate(scenario, seed=1)              # kernel path
>>> model = sim.EscalationModel(scenario, seed=1); model.run()  # Mesa path
>>> result = sim.run_ensemble(scenario, replicates=1000, seed=1)
"""
# first: Numba reads its cache folder from the environment when it is first imported
from . import kernel_cache  # noqa: F401  (sets NUMBA_CACHE_DIR; see its docstring)
from .scenario import Scenario
from .validate import ScenarioError, available_scenarios, load_scenario
from .simulate import simulate

__all__ = ["Scenario", "ScenarioError", "available_scenarios", "load_scenario", "simulate",
           "EscalationModel", "run_ensemble", "EnsembleResult"]
__version__ = "0.1.0"


def __getattr__(name):
    # Mesa and the ensemble runner load lazily so `import sim` stays fast.
    if name == "EscalationModel":
        from .model import EscalationModel
        return EscalationModel
    if name in ("run_ensemble", "EnsembleResult"):
        from . import ensemble
        return getattr(ensemble, name)
    raise AttributeError(f"module 'sim' has no attribute {name!r}")
