"""Docs and commands agree: what the README and docs tell a user to type exists and runs."""
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_the_readme_names_make_targets_that_exist():
    readme = (ROOT / "README.md").read_text()
    assert "--quick" not in readme and "make bench-quick" in readme
    proc = subprocess.run(["make", "-n", "bench-quick"], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0 and "benchmarks.run --quick" in proc.stdout
    assert "results/" in proc.stdout  # a smoke run never overwrites the full run's numbers


def test_the_example_scenario_file_validates():
    proc = subprocess.run([sys.executable, "-m", "experiments.scenario_cli", "validate", "examples/what_if.yaml"],
                          cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr


@pytest.mark.parametrize("module", ["experiments.report", "experiments.aggregate", "experiments.discover"])
def test_help_text_has_no_rst_markup(module):
    proc = subprocess.run([sys.executable, "-m", module, "--help"], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0 and "``" not in proc.stdout


def test_sweeps_doc_says_what_a_summary_design_writes():
    text = (ROOT / "docs" / "how-to-sweep.md").read_text()
    assert "`sweep_report.html` land in the\nrun directory whatever `outputs` says" in text
