"""Sweeps against the kernel: ``guarantee_vs_resolve`` end to end, and what a Hydra job costs.

    python -m benchmarks.sweep_overhead [--replicates 1000]

Three measurements, back to back, each in a fresh process:

- one baseline ensemble of ``25 x replicates`` (the kernel's throughput, compiled kernels loaded first),
  before and after each batched sweep;
- ``escalate -m experiment=guarantee_vs_resolve`` (its 5 x 5 grid batched into as many jobs as the
  launcher runs at once: one with the basic launcher);
- the same grid as 25 one-point jobs (Hydra comma lists), the way small ad-hoc sweeps run.

A sweep's throughput is its manifest's (``sweep.json``: replicate runs from the plan to the
last finished job); the ratio to the ensemble's is the share of the kernel's speed the sweep
keeps. Where the rest goes, from each job's ``job.json``:

- per job, outside its points: Hydra's composition and set-up of the job, reading its
  scenario, writing its files (the sweep's wall time less the time spent evaluating points);
- per point: the time spent evaluating points less the ensemble's time for as many replicate
  runs, over the points (building each point's scenario, packing, summarising, threads, and
  loading the compiled kernel at the first point).
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
GRID = ["+params.domestic.guarantee_base=0.0,0.25,0.5,0.75,1.0", "+params.leaders.putin.resolve=0.5,0.75,1.0,1.25,1.5"]
POINTS = 25
TARGET = 0.70  # batched sweep / ensemble, replicate runs per second ...
SHIPPED_REPLICATES = 1000  # ... at the experiment's own size (fewer replicates leave more to the fixed costs)


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
        # points of a batched job run side by side: the job records the time spent evaluating them
        evaluating = sum(json.loads(f.read_text())["points_wall_time_s"] for f in out.glob("*/job.json"))
    jobs, wall = manifest["jobs_total"], manifest["wall_time_s"]
    return {"jobs": jobs, "points": int(len(points)), "points_ok": manifest["points_ok"], "wall_s": wall,
            "command_s": command, "replicate_runs": int(points["replicates"].sum()),
            "replicate_runs_per_s": manifest["replicate_runs_per_s"], "points_s": evaluating,
            "overhead_per_job_s": (wall - evaluating) / jobs}


def per_point(s: dict, ensemble_rate: float) -> float:
    """Seconds a point costs beyond the ensemble's time for its replicate runs."""
    return (s["points_s"] - s["replicate_runs"] / ensemble_rate) / s["points"]


def measure(replicates: int = 1000, repeats: int = 3) -> dict:
    """The measurements and their ratios (sweep runs per second / ensemble runs per second).

    The batched sweep is measured ``repeats`` times, each between two ensembles (other work on
    the machine moves a sweep and the ensembles beside it alike); its ratio is the median of
    the repeats. The one-point jobs, slower by far, run once beside the last ensemble.
    """
    ensembles = [ensemble(POINTS * replicates)]
    batched, ratios = [], []
    for _ in range(repeats):
        batched.append(sweep(["experiment=guarantee_vs_resolve"], replicates))
        ensembles.append(ensemble(POINTS * replicates))
        beside = (ensembles[-2]["replicate_runs_per_s"] + ensembles[-1]["replicate_runs_per_s"]) / 2
        ratios.append(batched[-1]["replicate_runs_per_s"] / beside)
        batched[-1]["per_point_s"] = per_point(batched[-1], beside)
    one_point = sweep([*GRID, "outputs=summary"], replicates)
    one_point["per_point_s"] = per_point(one_point, ensembles[-1]["replicate_runs_per_s"])
    ratio = statistics.median(ratios)
    best = batched[ratios.index(ratio)] if ratio in ratios else batched[-1]
    return {"replicates": replicates, "ensembles": ensembles, "batched": best, "batched_runs": batched,
            "one_point_jobs": one_point, "batched_vs_ensemble": ratio, "batched_vs_ensemble_runs": ratios,
            "one_point_vs_ensemble": one_point["replicate_runs_per_s"] / ensembles[-1]["replicate_runs_per_s"],
            "target": TARGET, "met": ratio >= TARGET if replicates == SHIPPED_REPLICATES else None}


def lines(result: dict) -> list[str]:
    rates = [e["replicate_runs_per_s"] for e in result["ensembles"]]
    out = [f"ensemble of {result['ensembles'][0]['replicates']:,} (baseline), {len(rates)} runs: "
           f"{min(rates):,.0f}-{max(rates):,.0f} runs/s"]
    for name, s, ratio in (("guarantee_vs_resolve, batched", result["batched"], result["batched_vs_ensemble"]),
                           ("same grid, one-point jobs", result["one_point_jobs"], result["one_point_vs_ensemble"])):
        out.append(f"{name}: {s['jobs']} job(s), sweep {s['wall_s']:.2f} s (command {s['command_s']:.1f} s), "
                   f"{s['replicate_runs_per_s']:,.0f} runs/s = {ratio:.2f} x the ensemble; "
                   f"{s['overhead_per_job_s']:.3f} s per job outside its points, "
                   f"{s['per_point_s'] * 1e3:.0f} ms per point beyond the ensemble's time for its runs")
    runs = ", ".join(f"{r:.2f}" for r in result["batched_vs_ensemble_runs"])
    verdict = {True: "met", False: "MISSED", None: f"not run: it holds at {SHIPPED_REPLICATES:,} replicates"}
    out.append(f"batched sweep / ensemble: median {result['batched_vs_ensemble']:.2f} of {runs} "
               f"(target >= {result['target']:.2f}: {verdict[result['met']]})")
    return out


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.sweep_overhead", description=__doc__.splitlines()[0])
    parser.add_argument("--replicates", type=int, default=1000, help="replicates per point (default 1000)")
    parser.add_argument("--repeats", type=int, default=3, help="batched sweeps, each between two ensembles (default 3)")
    args = parser.parse_args(argv)
    result = measure(args.replicates, args.repeats)
    print("\n".join(lines(result)))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
