"""``escalate`` from a cold start up to its first simulated week; prints that moment (``time.time()``).

    python -m benchmarks.first_step OUT_DIR

Runs the real command-line entry point (Hydra, scenario loading, every import of a
run) with ``replicates=1``. The ensemble kernel is wrapped so that, once it has
simulated that replicate, the process prints the time and exits: what comes after
(the Mesa narrative, tables, report) is not part of the measure. The caller
subtracts the moment it started this process, so interpreter start-up counts.
"""
from __future__ import annotations

import os
import sys
import time


def main() -> None:
    out_dir = sys.argv[1]
    import sim.results.ensemble
    from experiments.run import main as escalate

    kernel = sim.results.ensemble.run_replicates

    def first_replicate(*args):
        kernel(*args)
        print(time.time(), flush=True)
        os._exit(0)

    sim.results.ensemble.run_replicates = first_replicate
    sys.argv = ["escalate", "replicates=1", "progress=false", f"hydra.run.dir={out_dir}"]
    escalate()
    raise SystemExit("escalate finished without running the ensemble kernel")


if __name__ == "__main__":
    main()
