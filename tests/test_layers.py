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
