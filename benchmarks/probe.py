"""One measurement in a fresh process; prints one JSON object on its last line.

    python -m benchmarks.probe case baseline --seconds 1.0
    python -m benchmarks.probe memory 1000000
    python -m benchmarks.probe compile            (NUMBA_CACHE_DIR chooses a cold or warm cache)
    python -m benchmarks.probe sweep 4096 256

A fresh process gives each case its own peak memory and keeps one case's
allocations and compiled code from another's timings.
"""
from __future__ import annotations

import argparse
import json
import time

import numba

SEED = 20250904


def case(name: str, seconds: float) -> dict:
    """Replicate-runs per second of the four implementations on one scenario."""
    import sim
    from tests.reference_model import ReferenceModel

    from benchmarks.timing import ensemble_rates, peak_rss_mib, replicates_per_second, scenario_for

    scenario = scenario_for(name)
    sim.run_ensemble(scenario, 8, SEED, threads=1)  # load the compiled kernels before timing
    sim.run_ensemble(scenario, 8, SEED)
    sim.EscalationModel(scenario, SEED).step()
    kernel = ensemble_rates(scenario, (1, None), seconds)
    return {
        "scenario": name, "n_states": len(scenario.states), "n_leaders": len(scenario.leaders),
        "n_members": len(scenario.members), "n_reactions": len(scenario.reactions), "steps": scenario.steps,
        "reference": replicates_per_second(lambda r: ReferenceModel(scenario, SEED, r).run(), seconds),
        "mesa_kernel": replicates_per_second(lambda r: sim.EscalationModel(scenario, SEED, r).run(), seconds),
        "kernel_1_thread": kernel[1], "ensemble_all_threads": kernel[None],
        "threads": numba.get_num_threads(), "peak_rss_mib": peak_rss_mib(),
    }


def memory(replicates: int) -> dict:
    """Peak memory and wall time of one baseline ensemble of ``replicates``, its summaries streamed to a
    Parquet file batch by batch as ``escalate`` does (``summary_mib``: that file's size)."""
    import tempfile
    from pathlib import Path

    import sim

    from benchmarks.memory_base import resident_mib
    from benchmarks.timing import MIB, peak_rss_mib

    scenario = sim.load_scenario("baseline")
    with tempfile.TemporaryDirectory() as folder:
        summary = Path(folder) / "summary.parquet"
        sim.run_ensemble(scenario, 64, SEED, summary_file=summary)
        before = peak_rss_mib()
        start = time.perf_counter()
        result = sim.run_ensemble(scenario, replicates, SEED, summary_file=summary)
        result.tables(), result.headline()
        wall = time.perf_counter() - start
        size = summary.stat().st_size / MIB
    return {"replicates": replicates, "wall_s": wall, "kernel_s": result.wall_time,
            "replicates_per_s": replicates / wall, "peak_rss_mib": peak_rss_mib(), "rss_before_mib": before,
            "resident_after_mib": resident_mib(), "summary_mib": size, "threads": result.threads}


def compile_time() -> dict:
    """Seconds until the kernels of ``escalate`` (ensemble, Mesa path, one trajectory) can run."""
    import sim

    scenario = sim.load_scenario("baseline")
    start = time.perf_counter()
    sim.run_ensemble(scenario, 1, SEED)
    sim.EscalationModel(scenario, SEED).step()
    sim.simulate(scenario, SEED)
    return {"seconds": time.perf_counter() - start}


def sweep(points: int, replicates: int) -> dict:
    """A Sobol design over four baseline parameters, ``replicates`` per point, through experiments.points."""
    import sim  # noqa: F401  (imports numba first, as every sweep job does)
    from experiments.design import Design, sample
    from experiments.points import ScenarioPoints, evaluate_points

    design = Design(kind="sobol", n=points, params=(
        ("leaders.putin.resolve", 0.5, 1.3), ("domestic.guarantee0", 0.2, 0.9),
        ("coalition.guarantee_weight", 1.0, 4.0), ("states.RUS.provocation", 0.5, 2.0)))
    frame = sample(design, SEED)
    base = ScenarioPoints("baseline")
    evaluate_points(base, frame.iloc[:2], replicates=replicates, seed=SEED)  # load kernels
    start = time.perf_counter()
    rows = evaluate_points(base, frame, replicates=replicates, seed=SEED)
    wall = time.perf_counter() - start
    return {"points": points, "replicates": replicates, "wall_s": wall, "points_per_s": points / wall,
            "replicates_per_s": points * replicates / wall, "failed": int((rows["status"] != "ok").sum())}


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.probe")
    sub = parser.add_subparsers(dest="kind", required=True)
    p = sub.add_parser("case")
    p.add_argument("scenario")
    p.add_argument("--seconds", type=float, default=1.0)
    sub.add_parser("memory").add_argument("replicates", type=int)
    sub.add_parser("compile")
    p = sub.add_parser("sweep")
    p.add_argument("points", type=int)
    p.add_argument("replicates", type=int)
    args = parser.parse_args(argv)
    if args.kind == "case":
        out = case(args.scenario, args.seconds)
    elif args.kind == "memory":
        out = memory(args.replicates)
    elif args.kind == "compile":
        out = compile_time()
    else:
        out = sweep(args.points, args.replicates)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
