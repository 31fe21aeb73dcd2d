"""What the memory of a plain ensemble run is before it holds any replicate; prints one JSON line.

    python -m benchmarks.memory_base

Resident memory (``VmRSS``) after each stage of a run, in the order a run reaches
them: the interpreter, NumPy, LLVM (llvmlite's shared library), Numba, pyarrow
(pandas imports it), pandas, the ensemble module, Numba's compiler at its first use
(one trivial function compiled: the type registries, and the modules Numba loads
then), and a first small baseline ensemble (the kernels loaded from the cache, the
worker threads started). Each stage's cost is its difference to the one before.
Also lists the heavy packages loaded by then that an ensemble does not use.
"""
from __future__ import annotations

import importlib
import json
import resource
import sys

STAGES = (("interpreter", ()), ("numpy", ("numpy",)), ("llvmlite (LLVM)", ("llvmlite.binding",)),
          ("numba", ("numba",)), ("pyarrow", ("pyarrow",)), ("pandas", ("pandas",)),
          ("sim.results.ensemble", ("sim.results.ensemble",)))
NOT_FOR_AN_ENSEMBLE = ("plotly", "mesa", "hydra", "omegaconf", "tqdm", "matplotlib", "SALib", "kaleido")


def resident_mib() -> dict:
    """Resident memory of this process now (Linux ``/proc/self/status``): ``total``, and its ``anonymous`` part
    (the process's own) and ``file`` part (pages of mapped files, shared libraries mostly: shared with
    every process that maps them, and dropped and re-read under memory pressure)."""
    keys = {"VmRSS": "total", "RssAnon": "anonymous", "RssFile": "file"}
    with open("/proc/self/status") as status:
        return {keys[line.split(":")[0]]: int(line.split()[1]) / 1024 for line in status
                if line.split(":")[0] in keys}


def rss_mib() -> float:
    return resident_mib()["total"]


def _first_compile() -> None:
    import numba

    numba.njit(lambda x: x + 1)(1)


def stages() -> list[dict]:
    rows, before = [], 0.0
    for name, modules in STAGES:
        for module in modules:
            importlib.import_module(module)
        now = rss_mib()
        rows.append({"stage": name, "rss_mib": now, "added_mib": now - before})
        before = now
    _first_compile()
    now = rss_mib()
    rows.append({"stage": "Numba's compiler, first use", "rss_mib": now, "added_mib": now - before})
    before = now
    import sim

    sim.run_ensemble(sim.load_scenario("baseline"), 64, 1)
    now = rss_mib()
    rows.append({"stage": "first ensemble of 64 replicates", "rss_mib": now, "added_mib": now - before})
    return rows


def main() -> None:
    rows = stages()
    loaded = sorted(name for name in NOT_FOR_AN_ENSEMBLE if name in sys.modules)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print(json.dumps({"stages": rows, "peak_rss_mib": peak, "resident_mib": resident_mib(),
                      "unneeded_loaded": loaded}))


if __name__ == "__main__":
    main()
