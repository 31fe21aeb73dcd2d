"""Running the ``escalate`` command in a fresh process, as a user would."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from sim.engine.cache import CACHE_DIR

ROOT = Path(__file__).resolve().parent.parent


def escalate_env(cwd) -> dict:
    # a fresh HOME, the compiled kernels of this test session, and Ray kept offline
    return {"PYTHONPATH": str(ROOT), "PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin", "HOME": str(cwd),
            "NUMBA_CACHE_DIR": CACHE_DIR, "RAY_USAGE_STATS_ENABLED": "0"}


def escalate(*args, cwd, timeout: int = 600) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "experiments.run", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=timeout, env=escalate_env(cwd))
