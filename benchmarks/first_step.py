"""``escalate`` from a cold start up to its first simulated step; prints that moment (``time.time()``).

    python -m benchmarks.first_step OUT_DIR
    python -m benchmarks.first_step --phases OUT_DIR [OVERRIDE ...]    (where that time goes)

Runs the real command-line entry point (Hydra, scenario loading, every import of a
run) with ``replicates=1``. The ensemble kernel is wrapped so that, once its first
call has returned (the kernel compiled or loaded from the cache, and replicate 0
simulated: its first step and the rest of its weeks, well under a millisecond),
the process prints the time and exits: what comes after (the Mesa narrative,
tables, report) is not part of the measure. The caller subtracts the moment it
started this process, so interpreter start-up counts, and chooses the caches
through the environment (an empty ``XDG_CACHE_HOME`` is a fresh environment).

``--phases`` starts the same command in a new interpreter and prints when each phase
ended and what it took. The packages a run loads before its first step are imported
first, one at a time, so that each has its own line (the run then finds them loaded:
the total is the same); Hydra's part ends at its public callbacks ``on_run_start``
(both compositions done: Hydra composes the config once to read its mode, then again
to run) and at the start of the task (its run directory, ``.hydra/`` files and logging set up).
"""
from __future__ import annotations

import importlib
import os
import subprocess
import sys
import time

# where the ensemble's first kernel call happens: the module and the name it calls the kernel by
KERNEL_CALL = ("sim.engine.runner", "run_chunk")
# what a run imports before its first step, in the order it needs them, one line each with --phases
IMPORTS = (("NumPy", "numpy"), ("Hydra and OmegaConf", "hydra"), ("escalate's own modules", "experiments.run"),
           ("Numba and the engine", KERNEL_CALL[0]), ("pandas and pyarrow", "pandas"),
           ("the results layer and pipeline", "sim.pipeline"))
STARTED = "ESCALATE_STARTED"  # --phases: the moment the parent started the measured interpreter


def escalate_to_first_step(out_dir: str, on_first_step, argv: tuple[str, ...] = ()) -> None:
    """Run ``escalate`` into ``out_dir``; ``on_first_step()`` once the first kernel call has returned."""
    from experiments.run import main as escalate

    module = importlib.import_module(KERNEL_CALL[0])
    kernel = getattr(module, KERNEL_CALL[1])

    def first_call(*args, **kwargs):
        kernel(*args, **kwargs)
        on_first_step()

    setattr(module, KERNEL_CALL[1], first_call)
    sys.argv = ["escalate", "replicates=1", "progress=false", f"hydra.run.dir={out_dir}", *argv]
    escalate()
    raise SystemExit(f"escalate finished without calling {'.'.join(KERNEL_CALL)}")


def main() -> None:
    if sys.argv[1] == "--phases":
        env = {**os.environ, STARTED: repr(time.time())}
        sys.exit(subprocess.run([sys.executable, "-m", "benchmarks.first_step", "--phases-child", *sys.argv[2:]],
                                env=env).returncode)
    if sys.argv[1] == "--phases-child":
        phases(sys.argv[2], tuple(sys.argv[3:]))

    def done() -> None:
        print(time.time(), flush=True)
        os._exit(0)

    escalate_to_first_step(sys.argv[1], done)


class PhaseMarks:
    """A Hydra callback (``+hydra.callbacks.phases``) marking the end of Hydra's compositions (the
    interface of ``hydra.experimental.callback.Callback``, without importing Hydra before its own line)."""

    def on_run_start(self, config, **kwargs) -> None:
        _mark("Hydra: start-up, two compositions of config.yaml")

    def _nothing(self, *args, **kwargs) -> None:
        pass

    on_run_end = on_multirun_start = on_multirun_end = on_job_start = on_job_end = _nothing


_MARKS: list[tuple[str, float]] = []


def _mark(phase: str) -> None:
    _MARKS.append((phase, time.time()))


def phases(out_dir: str, overrides: tuple[str, ...] = ()) -> None:
    started = float(os.environ[STARTED])
    _mark("interpreter start-up")
    for phase, module in IMPORTS:
        importlib.import_module(module)
        _mark(f"import: {phase}")
    import experiments.run as cli

    run = cli.run

    def marked_run(*args, **kwargs):
        _mark("Hydra: run directory, .hydra/ files, logging")
        return run(*args, **kwargs)

    cli.run = marked_run

    def report() -> None:
        _mark("escalate: settings, scenario, the first kernel call (Numba's set-up, the cached kernel)")
        previous = started
        for phase, moment in _MARKS:
            print(f"{moment - started:6.3f} s  {moment - previous:6.3f} s  {phase}")
            previous = moment
        os._exit(0)

    escalate_to_first_step(out_dir, report, (*overrides, f"+hydra.callbacks.phases._target_={__name__}.PhaseMarks"))


if __name__ == "__main__":
    main()
