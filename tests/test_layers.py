"""What the layers promise at run time (import-linter checks the static imports in `make test`)."""
import subprocess
import sys

import pytest


def _loaded_after(statement: str) -> set[str]:
    code = f"import sys; {statement}; print(' '.join(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return {name.split(".")[0] for name in out.stdout.split()}


@pytest.mark.parametrize("statement", ["import sim", "import sim.report.run, sim.report.sweep, sim.report.views",
                                       "import sim; sim.load_scenario('baseline')"])
def test_reading_and_reporting_load_no_compiler(statement):
    loaded = _loaded_after(statement)
    assert "numba" not in loaded and "llvmlite" not in loaded and "mesa" not in loaded


def test_the_engine_loads_no_dataframes_or_figures():
    loaded = _loaded_after("import sim.engine.kernel, sim.engine.ensemble, sim.engine.runner, sim.engine.pack")
    assert "numba" in loaded  # the probe can see what an import loads
    assert not loaded & {"pandas", "mesa", "plotly", "hydra", "pyarrow"}


def test_the_command_line_loads_no_compiler_or_tables_until_it_runs():
    # escalate --help, --cfg and refused settings answer without Numba or pandas
    loaded = _loaded_after("import experiments.run")
    assert "hydra" in loaded  # the probe can see what an import loads
    assert not loaded & {"numba", "llvmlite", "pandas", "pyarrow", "mesa", "plotly", "scipy", "tqdm"}


# escalate up to its first kernel call, in a fresh process: then it prints what it has loaded and stops
_FIRST_KERNEL_CALL = """
import os, sys
import sim.engine.runner as runner
from experiments.run import main
kernel = runner.run_chunk
def first_call(*args):
    kernel(*args)
    print(" ".join(sorted(sys.modules)), flush=True)
    os._exit(0)
runner.run_chunk = first_call
sys.argv = ["escalate", "replicates=1", "progress=false", "hydra.run.dir=" + sys.argv[1]]
main()
"""


def test_escalate_loads_what_comes_after_the_ensemble_only_after_it(tmp_path):
    # the Mesa narrative, the report and its figures wait for the ensemble: the first step comes sooner
    out = subprocess.run([sys.executable, "-c", _FIRST_KERNEL_CALL, str(tmp_path / "run")],
                         capture_output=True, text=True, check=True).stdout.split()
    loaded = set(out)
    assert {"numba", "sim.engine.runner", "sim.pipeline"} <= loaded  # the probe stopped at the ensemble
    later = {"mesa", "plotly", "agents", "sim.model", "sim.report", "sim.scenario.sources", "tqdm", "scipy.stats"}
    assert not {name for name in loaded if name.split(".")[0] in later or name in later}
