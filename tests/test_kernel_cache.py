"""The compiled-kernel cache is keyed by the kernel's source: any edit of a kernel module lands in a new folder."""
import io
import os
import shutil
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest

from sim.engine import cache as kernel_cache

PACKAGE = Path(kernel_cache.__file__).resolve().parent
ROOT = PACKAGE.parents[1]
# one module per mechanism, the step, the ensemble, and what they share
KERNEL_MODULES = ("rng.py", "layout.py", "workspace.py", "drift.py", "decisions.py", "reaction.py",
                  "coalition.py", "domestic.py", "events.py", "outcomes.py", "step.py", "ensemble.py")


@pytest.fixture
def package_copy(tmp_path):
    copy = tmp_path / "engine"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    return copy


def test_kernel_sources_are_the_numba_modules_and_what_they_import():
    names = {p.name for p in kernel_cache.kernel_sources()}
    # the modules that compile with Numba, and the constants and helpers they inline
    assert set(KERNEL_MODULES) <= names
    assert "pack.py" not in names and "runner.py" not in names


@pytest.mark.parametrize("name", KERNEL_MODULES)
def test_editing_any_kernel_module_changes_the_key(package_copy, name):
    before = kernel_cache.kernel_key(package_copy)
    assert before == kernel_cache.kernel_key(PACKAGE)
    path = package_copy / name
    path.write_bytes(path.read_bytes() + b"\n# an edit\n")
    assert kernel_cache.kernel_key(package_copy) != before


def test_editing_a_module_outside_the_kernel_keeps_the_key(package_copy):
    before = kernel_cache.kernel_key(package_copy)
    (package_copy / "pack.py").write_text((package_copy / "pack.py").read_text() + "\n# an edit\n")
    assert kernel_cache.kernel_key(package_copy) == before


def test_a_new_kernel_module_and_its_helpers_are_covered(package_copy):
    before = kernel_cache.kernel_key(package_copy)
    (package_copy / "helper_consts.py").write_text("SCALE = 2.0\n")
    assert kernel_cache.kernel_key(package_copy) == before  # imported by no kernel yet
    (package_copy / "new_kernel.py").write_text(
        "from numba import njit\n\nfrom .helper_consts import SCALE\n\n\n@njit(cache=True)\ndef f(x):\n    return SCALE * x\n")
    with_module = kernel_cache.kernel_key(package_copy)
    assert with_module != before
    (package_copy / "helper_consts.py").write_text("SCALE = 3.0\n")
    assert kernel_cache.kernel_key(package_copy) != with_module


def test_numba_caches_under_the_keyed_folder_unless_the_user_chose_one(tmp_path):
    code = "import sim.engine, numba; print(numba.config.CACHE_DIR)"
    env = {k: v for k, v in os.environ.items() if k != "NUMBA_CACHE_DIR"}
    env.update(PYTHONPATH=str(ROOT), XDG_CACHE_HOME=str(tmp_path))
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == str(tmp_path / "escalation-sim" / "numba" / kernel_cache.kernel_key())
    env["NUMBA_CACHE_DIR"] = str(tmp_path / "mine")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == str(tmp_path / "mine")


def test_numba_imported_before_sim_still_uses_the_keyed_folder(tmp_path):
    code = "import numba, sim.engine; print(numba.config.CACHE_DIR)"
    env = {k: v for k, v in os.environ.items() if k != "NUMBA_CACHE_DIR"}
    env.update(PYTHONPATH=str(ROOT), XDG_CACHE_HOME=str(tmp_path))
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip().startswith(str(tmp_path / "escalation-sim" / "numba"))


def test_a_cold_cache_is_told_and_a_warm_one_is_silent(tmp_path):
    class Stream(io.StringIO):
        def isatty(self):
            return False

    entry = "ensemble.run_chunk"
    assert kernel_cache.is_cold(entry, str(tmp_path))
    told = Stream()
    with mock.patch.dict(os.environ, {"NUMBA_CACHE_DIR": str(tmp_path)}):
        with kernel_cache.compile_notice(entry, 12, told):
            pass
        (tmp_path / "sim_engine").mkdir()
        (tmp_path / "sim_engine" / f"{entry}-120.py311.nbi").write_bytes(b"")
        assert not kernel_cache.is_cold(entry, str(tmp_path))
        silent = Stream()
        with kernel_cache.compile_notice(entry, 12, silent):
            pass
    assert told.getvalue() == "compiling the kernel (first run only, ~12 s)\n"
    assert silent.getvalue() == ""
