"""Rates and peak memory, measured the same way for every implementation."""
from __future__ import annotations

import resource
import time
from typing import Callable

import sim
from sim.scenario.synthetic import synthetic_scenario

MIB = 1024 * 1024


def scenario_for(name: str) -> sim.Scenario:
    """``baseline`` (or any shipped scenario) or ``synthetic:<n>``."""
    if name.startswith("synthetic:"):
        return synthetic_scenario(int(name.split(":", 1)[1]))
    return sim.load_scenario(name)


def peak_rss_mib() -> float:
    """Peak resident memory of this process so far (Linux reports ru_maxrss in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def replicates_per_second(run_one: Callable[[int], object], min_seconds: float, windows: int = 3) -> float:
    """Run replicates 0, 1, 2, ... one at a time for ``min_seconds``; the best rate of ``windows`` equal windows."""
    best, done = 0.0, 0
    for _ in range(windows):
        start, count = time.perf_counter(), 0
        while count < 2 or time.perf_counter() - start < min_seconds / windows:
            run_one(done)
            done += 1
            count += 1
        best = max(best, count / (time.perf_counter() - start))
    return best


def ensemble_rates(scenario: sim.Scenario, threads: tuple, min_seconds: float, repeats: int = 3,
                   seed: int = 1) -> dict:
    """Replicates per second of ``run_ensemble`` for each thread count (None = all).

    Each run is sized to last about ``min_seconds``; the thread counts take turns, so
    that a burst of other work on the machine slows all of them rather than one, and
    each reports its best run (the least disturbed).
    """
    sizes = {}
    for n in threads:
        probe = sim.run_ensemble(scenario, 256, seed, threads=n)
        sizes[n] = max(256, int(256 * min_seconds / max(probe.wall_time, 1e-6)))
    best = dict.fromkeys(threads, 0.0)
    for _ in range(repeats):
        for n in threads:
            rate = sizes[n] / sim.run_ensemble(scenario, sizes[n], seed, threads=n).wall_time
            best[n] = max(best[n], rate)
    return best
