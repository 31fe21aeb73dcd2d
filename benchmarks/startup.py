"""Start-up: ``escalate`` to its first simulated step, cold and warm, and the kernels' compile time.

A *fresh environment* is what a new clone, a new virtual environment or a CI run
sees: no compiled kernels anywhere. Each measurement runs in a new process whose
``XDG_CACHE_HOME`` is an empty temporary folder and without ``NUMBA_CACHE_DIR``, so
the kernels compile into the same folder a user's first run would use
(``sim/engine/cache.py``); the warm runs that follow find them there.

The warm figure is the median of :data:`WARM_RUNS` runs of the same command, one after
the other, right after the cold one (which leaves no process or pending work behind: it
exits as soon as its kernel call returns, and Numba wrote the compiled kernels before
that), though the first of them is often the slowest (docs/performance.md). The median,
not the mean, so that one slow run, that one or one slowed by other work on a shared
machine, does not move it; the fastest run is kept beside it as the machine's figure when idle,
and the load average before and after the runs says how busy the machine was.
"""
from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WARM_RUNS = 5  # the warm figure is their median (docs/performance.md)
TIMEOUT_S = 900  # a cold compile on a busy machine; far above the target, so a hang fails rather than waits


def fresh_environment(cache_home: str) -> dict:
    """This process's environment with every compiled-kernel cache pointed at ``cache_home``."""
    env = {key: value for key, value in os.environ.items() if key != "NUMBA_CACHE_DIR"}
    env["XDG_CACHE_HOME"] = cache_home
    return env


def first_step_seconds(env: dict) -> float:
    """Seconds from starting ``escalate`` (a new interpreter) to the end of the ensemble's first kernel call."""
    with tempfile.TemporaryDirectory() as out_dir:
        started = time.time()
        proc = subprocess.run([sys.executable, "-m", "benchmarks.first_step", str(Path(out_dir) / "run")],
                              cwd=ROOT, env=env, capture_output=True, text=True, timeout=TIMEOUT_S)
        if proc.returncode != 0:
            raise RuntimeError(f"benchmarks.first_step failed:\n{proc.stderr[-3000:]}")
        return float(proc.stdout.strip().splitlines()[-1]) - started


def start_seconds(warm_runs: int = WARM_RUNS) -> dict:
    """``escalate`` to its first simulated step: once in a fresh environment, then ``warm_runs`` times warm.

    ``warm_s`` is the median of the warm runs, ``warm_best_s`` the fastest; ``load_average`` the
    machine's one-minute load average before the cold run and after the last warm one.
    """
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as cache_home:
        env = fresh_environment(cache_home)
        cold = first_step_seconds(env)
        warm = [first_step_seconds(env) for _ in range(warm_runs)]
    return {"cold_s": cold, "warm_runs_s": warm, "warm_s": statistics.median(warm), "warm_best_s": min(warm),
            "load_average": [load_before, os.getloadavg()[0]]}


def compile_seconds(probe) -> dict:
    """Every kernel ``escalate`` uses (ensemble, Mesa path, one trajectory) compiled with an empty cache,
    then loaded from that cache; ``probe`` runs ``benchmarks.probe`` in a new process."""
    with tempfile.TemporaryDirectory() as cache_home:
        env = fresh_environment(cache_home)
        cold = probe("compile", env=env)["seconds"]
        warm = probe("compile", env=env)["seconds"]
    return {"cold_s": cold, "warm_s": warm}
