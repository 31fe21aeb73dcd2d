"""``escalate`` from a cold start up to its first simulated step; prints that moment (``time.time()``).

    python -m benchmarks.first_step OUT_DIR

Runs the real command-line entry point (Hydra, scenario loading, every import of a
run) with ``replicates=1``. The ensemble kernel is wrapped so that, once its first
call has returned (the kernel compiled or loaded from the cache, and replicate 0
simulated: its first step and the rest of its weeks, well under a millisecond),
the process prints the time and exits: what comes after (the Mesa narrative,
tables, report) is not part of the measure. The caller subtracts the moment it
started this process, so interpreter start-up counts, and chooses the caches
through the environment (an empty ``XDG_CACHE_HOME`` is a fresh environment).
"""
from __future__ import annotations

import importlib
import os
import sys
import time

# where the ensemble's first kernel call happens: the module and the name it calls the kernel by
KERNEL_CALL = ("sim.engine.runner", "run_chunk")


def main() -> None:
    out_dir = sys.argv[1]
    from experiments.run import main as escalate

    module = importlib.import_module(KERNEL_CALL[0])
    kernel = getattr(module, KERNEL_CALL[1])

    def first_call(*args, **kwargs):
        kernel(*args, **kwargs)
        print(time.time(), flush=True)
        os._exit(0)

    setattr(module, KERNEL_CALL[1], first_call)
    sys.argv = ["escalate", "replicates=1", "progress=false", f"hydra.run.dir={out_dir}"]
    escalate()
    raise SystemExit(f"escalate finished without calling {'.'.join(KERNEL_CALL)}")


if __name__ == "__main__":
    main()
