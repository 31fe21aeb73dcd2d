"""Sweeps against the kernel: ``guarantee_vs_resolve`` end to end, and what a Hydra job costs.

    python -m benchmarks.sweep_overhead [--replicates 1000]

Three measurements, back to back, each in a fresh process:

- one baseline ensemble of ``25 x replicates`` (the kernel's throughput, compiled kernels loaded first),
  before and after the sweeps (their mean);
- ``escalate -m experiment=guarantee_vs_resolve`` (its 5 x 5 grid batched into as many jobs as the
  launcher runs at once: one with the basic launcher);
- the same grid as 25 one-point jobs (Hydra comma lists), the way small ad-hoc sweeps run.

A sweep's throughput is its manifest's (``sweep.json``: replicate runs from the plan to the
last finished job); the ratio to the ensemble's is the share of the kernel's speed the sweep
keeps. A job's overhead is the sweep's wall time less the time its points took to evaluate,
per job: composition, per-job files and logging, loading the compiled kernel.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
GRID = ["+params.domestic.guarantee_base=0.0,0.25,0.5,0.75,1.0", "+params.leaders.putin.resolve=0.5,0.75,1.0,1.25,1.5"]
POINTS = 25
TARGET = 0.70  # batched sweep / ensemble, replicate runs per second


def _run(args: list[str]) -> subprocess.CompletedProcess:
    proc = subprocess.run([sys.executable, *args], cwd=ROOT, capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed:\n{proc.stderr[-3000:]}")
    return proc


def ensemble(replicates: int) -> dict:
    """One baseline ensemble of ``replicates`` in a fresh process (benchmarks.probe memory)."""
    out = json.loads(_run(["-m", "benchmarks.probe", "memory", str(replicates)]).stdout.strip().splitlines()[-1])
    return {"replicates": replicates, "wall_s": out["wall_s"], "replicate_runs_per_s": out["replicates_per_s"]}


def sweep(args: list[str], replicates: int) -> dict:
    """``escalate -m ARGS``: its manifest's throughput, the command's wall time and the overhead per job."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "sweep"
        started = time.perf_counter()
        _run(["-m", "experiments.run", "-m", *args, f"replicates={replicates}", "progress=false",
              f"hydra.sweep.dir={out}", f"hydra.run.dir={Path(tmp) / 'run'}"])
        command = time.perf_counter() - started
        manifest = json.loads((out / "sweep.json").read_text())
        points = pd.read_parquet(out / "sweep.parquet")
    jobs, wall = manifest["jobs_total"], manifest["wall_time_s"]
    evaluating = float(points["wall_time_s"].sum())
    return {"jobs": jobs, "points": int(len(points)), "points_ok": manifest["points_ok"], "wall_s": wall,
            "command_s": command, "replicate_runs_per_s": manifest["replicate_runs_per_s"],
            "points_s": evaluating, "overhead_per_job_s": (wall - evaluating) / jobs}


def measure(replicates: int = 1000) -> dict:
    """The three measurements and their ratios (sweep runs per second / ensemble runs per second)."""
    # the ensemble before and after the sweeps: other work on the machine moves both alike
    before = ensemble(POINTS * replicates)
    batched = sweep(["experiment=guarantee_vs_resolve"], replicates)
    one_point = sweep([*GRID, "outputs=summary"], replicates)
    after = ensemble(POINTS * replicates)
    rate = (before["replicate_runs_per_s"] + after["replicate_runs_per_s"]) / 2
    kernel = {"replicates": before["replicates"], "wall_s": (before["wall_s"] + after["wall_s"]) / 2,
              "replicate_runs_per_s": rate, "runs_s": [before["wall_s"], after["wall_s"]]}
    return {"replicates": replicates, "ensemble": kernel, "batched": batched, "one_point_jobs": one_point,
            "batched_vs_ensemble": batched["replicate_runs_per_s"] / rate,
            "one_point_vs_ensemble": one_point["replicate_runs_per_s"] / rate,
            "target": TARGET, "met": batched["replicate_runs_per_s"] / rate >= TARGET}


def lines(result: dict) -> list[str]:
    e, b, o = result["ensemble"], result["batched"], result["one_point_jobs"]
    return [
        f"ensemble of {e['replicates']:,} (baseline): {e['runs_s'][0]:.2f} s before the sweeps, {e['runs_s'][1]:.2f} s "
        f"after, {e['replicate_runs_per_s']:,.0f} runs/s",
        *(f"{name}: {s['jobs']} jobs x {s['points'] // s['jobs']}"
          f"{'' if s['points'] % s['jobs'] == 0 else '+'} points, sweep {s['wall_s']:.2f} s "
          f"(command {s['command_s']:.1f} s), {s['replicate_runs_per_s']:,.0f} runs/s = "
          f"{s['replicate_runs_per_s'] / e['replicate_runs_per_s']:.2f} x the ensemble; "
          f"{s['overhead_per_job_s']:.3f} s per job beyond its points"
          for name, s in (("guarantee_vs_resolve, batched", b), ("same grid, one-point jobs", o))),
        f"batched sweep / ensemble: {result['batched_vs_ensemble']:.2f} (target >= {result['target']:.2f}: "
        f"{'met' if result['met'] else 'MISSED'})",
    ]


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.sweep_overhead", description=__doc__.splitlines()[0])
    parser.add_argument("--replicates", type=int, default=1000, help="replicates per point (default 1000)")
    args = parser.parse_args(argv)
    result = measure(args.replicates)
    print("\n".join(lines(result)))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
