"""The benchmark suite: ``make bench`` or ``python -m benchmarks.run [--quick]``.

Prints a table, writes ``benchmarks/results.json`` and a log-log plot
``benchmarks/scaling.html`` (and a PNG with ``--png PATH`` where Plotly can export
one). Every ratio compares numbers measured in the same run; the machine's load
average is recorded with them, because other work on the machine slows every case.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

import numba

from benchmarks.plots import scaling_figure
from benchmarks.startup import compile_seconds, start_seconds
from benchmarks.targets import check_targets

ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent
FULL = dict(cases=("baseline", "synthetic:10", "synthetic:30", "synthetic:100", "synthetic:300"), seconds=1.5,
            memory=(10_000, 100_000, 1_000_000), sweep=(4096, 256), first_step_runs=5, compile=True,
            roofline_seconds=1.5)
QUICK = dict(cases=("baseline", "synthetic:10", "synthetic:30"), seconds=0.3,
             memory=(1_000, 10_000), sweep=(64, 64), first_step_runs=3, compile=False, roofline_seconds=0.3)


def probe(*args: str, env: dict | None = None, module: str = "benchmarks.probe") -> dict:
    """Run one measurement in a fresh Python process (environment ``env``, else this one's); its JSON line."""
    out = subprocess.run([sys.executable, "-m", module, *args], cwd=ROOT, env=env, capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError(f"{module} {' '.join(args)} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def _proc_field(path: str, key: str) -> str | None:
    """The value of ``key`` in a Linux /proc file of ``key: value`` lines, or None elsewhere."""
    try:
        lines = Path(path).read_text().splitlines()
    except OSError:
        return None
    return next((line.split(":", 1)[1].strip() for line in lines if line.startswith(key)), None)


def machine() -> dict:
    import numpy
    memory_kib = _proc_field("/proc/meminfo", "MemTotal")
    return {"cpu": _proc_field("/proc/cpuinfo", "model name") or platform.processor(), "cores": os.cpu_count(),
            "numba_threads": numba.config.NUMBA_NUM_THREADS,
            "memory_gib": round(int(memory_kib.split()[0]) / 1024 / 1024, 1) if memory_kib else None,
            "platform": platform.platform(), "python": platform.python_version(), "numba": numba.__version__,
            "numpy": numpy.__version__}


def derive(case: dict) -> dict:
    """Actor-steps per second (states x weeks per replicate-run) and the ratios of one case."""
    per_run = case["n_states"] * case["steps"]
    for key in ("reference", "mesa_kernel", "kernel_1_thread", "ensemble_all_threads"):
        case[f"{key}_actor_steps"] = case[key] * per_run
    case["kernel_vs_reference"] = case["kernel_1_thread"] / case["reference"]
    case["mesa_kernel_vs_reference"] = case["mesa_kernel"] / case["reference"]
    case["threads_scaling"] = case["ensemble_all_threads"] / case["kernel_1_thread"]
    return case


def roofline_ratio(bound: dict, case: dict) -> dict:
    """The roofline bound with the kernel's one-thread rate of the same scenario as a share of it."""
    return {**bound, "kernel_actor_steps_per_s": case["kernel_1_thread_actor_steps"],
            "kernel_vs_roofline": case["kernel_1_thread_actor_steps"] / bound["actor_steps_per_s"]}


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def sweep_overhead(quick: bool) -> dict:
    """``guarantee_vs_resolve`` end to end against one ensemble of its size, and the cost of a Hydra job."""
    from benchmarks.sweep_overhead import lines, measure
    log("sweep: guarantee_vs_resolve batched, as one-point jobs, and one ensemble of the same size ...")
    result = measure(100, repeats=1) if quick else measure(1000)
    for line in lines(result):
        log(f"  {line}")
    return result


def run(quick: bool) -> dict:
    plan = QUICK if quick else FULL
    results = {"quick": quick, "started": time.strftime("%Y-%m-%d %H:%M:%S"), "machine": machine(),
               "load_average_start": os.getloadavg()}
    # first, while the machine's caches hold nothing of this run's kernels: a fresh environment
    log("escalate to its first simulated step: fresh environment, then warm ...")
    results["start"] = start_seconds(plan["first_step_runs"])
    if plan["compile"]:
        log("compile time of every kernel (empty cache, then warm) ...")
        results["compile"] = compile_seconds(probe)
    results["cases"] = []
    for name in plan["cases"]:
        log(f"throughput: {name} ...")
        results["cases"].append(derive(probe("case", name, "--seconds", str(plan["seconds"]))))
        if name == "baseline":
            log("roofline: work per actor-step and this machine's peak for it ...")
            results["roofline"] = roofline_ratio(probe("baseline", "--seconds", str(plan["roofline_seconds"]),
                                                       module="benchmarks.roofline"), results["cases"][-1])
    log("memory before any replicate: each import, the first kernel use ...")
    results["memory_base"] = probe(module="benchmarks.memory_base")
    results["memory"] = []
    for replicates in plan["memory"]:
        log(f"memory and wall time: baseline, {replicates:,} replicates ...")
        results["memory"].append(probe("memory", str(replicates)))
    points, reps = plan["sweep"]
    log(f"sweep: {points} Sobol points x {reps} replicates ...")
    results["sweep"] = probe("sweep", str(points), str(reps))
    results["sweep_overhead"] = sweep_overhead(quick)
    results["load_average_end"] = os.getloadavg()
    results["targets"] = check_targets(results)
    return results


def table(results: dict) -> str:
    threads = results["cases"][0]["threads"]
    rows = [f"machine: {results['machine']['cpu']}, {results['machine']['cores']} cores, "
            f"{threads} Numba threads; load average {results['load_average_start'][0]:.1f} -> "
            f"{results['load_average_end'][0]:.1f}", "",
            "replicate-runs per second (actor-steps per second = x states x weeks)",
            f"{'scenario':<15}{'states':>7}{'reference':>11}{'Mesa+kernel':>13}{'kernel 1t':>11}"
            f"{f'ensemble {threads}t':>13}{'kernel/ref':>12}{f'{threads}t/1t':>7}{'kernel actor-steps/s':>22}"]
    for c in results["cases"]:
        rows.append(f"{c['scenario']:<15}{c['n_states']:>7}{c['reference']:>11.1f}{c['mesa_kernel']:>13.1f}"
                    f"{c['kernel_1_thread']:>11.0f}{c['ensemble_all_threads']:>13.0f}{c['kernel_vs_reference']:>11.0f}x"
                    f"{c['threads_scaling']:>6.2f}x{c['kernel_1_thread_actor_steps']:>22.3g}")
    rows += ["", "baseline ensembles (all threads), summaries streamed to Parquet as escalate does",
             f"{'replicates':>12}{'wall s':>9}{'runs/s':>9}{'peak RSS MiB':>14}{'summary file':>13}{'peak - before':>16}"
             f"{'after: files / own':>20}"]
    for m in results["memory"]:
        after = m["resident_after_mib"]
        rows.append(f"{m['replicates']:>12,}{m['wall_s']:>9.1f}{m['replicates_per_s']:>9.0f}{m['peak_rss_mib']:>14.0f}"
                    f"{m['summary_mib']:>13.1f}{m['peak_rss_mib'] - m['rss_before_mib']:>16.0f}"
                    f"{after['file']:>11.0f} / {after['anonymous']:<6.0f}")
    s = results["sweep"]
    rows += ["", f"sweep: {s['points']} Sobol points x {s['replicates']} replicates in {s['wall_s']:.1f} s = "
             f"{s['points_per_s']:.1f} points/s ({s['replicates_per_s']:.0f} replicate-runs/s)"]
    rows += memory_base_rows(results["memory_base"]) + roofline_rows(results["roofline"]) + start_rows(results)
    rows += ["", "targets"]
    for t in results["targets"]:
        mark = "not run" if t["met"] is None else ("met" if t["met"] else "MISSED")
        rows.append(f"  {t['name']:<58}{t['value']:>14}  ({t['limit']})  {mark}")
    return "\n".join(rows)


def memory_base_rows(base: dict) -> list[str]:
    rows = ["", "resident memory of a run before it holds any replicate (MiB)"]
    rows += [f"  {r['stage']:<40}{r['rss_mib']:>7.0f}  (+{r['added_mib']:.0f})" for r in base["stages"]]
    loaded = ", ".join(base["unneeded_loaded"]) or "none"
    parts = base["resident_mib"]
    return rows + [f"  of which mapped files (shared libraries) {parts['file']:.0f}, the process's own "
                   f"{parts['anonymous']:.0f}; packages an ensemble does not use, loaded by then: {loaded}"]


def roofline_rows(r: dict) -> list[str]:
    w, b = r["work_per_actor_step"], r["bytes_per_actor_step"]
    compute_ns, memory_ns = r["compute_s_per_actor_step"] * 1e9, r["memory_s_per_actor_step"] * 1e9
    calls = ", ".join(f"{w[name]:.2f} {name}" for name in ("cos", "log", "exp", "tanh", "sqrt"))
    return ["", "roofline (baseline, one thread; docs/performance.md)",
            f"  work per actor-step: {calls}, {w['uniform']:.2f} uniform draws, {w['arithmetic']:.0f} arithmetic "
            f"operations; {b['near']:.0f} bytes of parameters and workspace, {b['stats']:.0f} of statistics",
            f"  compute {compute_ns:.1f} ns, memory {memory_ns:.1f} ns per actor-step: bound "
            f"{r['actor_steps_per_s']:.3g} actor-steps/s ({r['bound']}); kernel "
            f"{r['kernel_actor_steps_per_s']:.3g} = {r['kernel_vs_roofline']:.0%} of it"]


def start_rows(results: dict) -> list[str]:
    start = results["start"]
    rows = ["", f"escalate to its first simulated step: {start['cold_s']:.1f} s in a fresh environment (empty caches), "
            f"{start['warm_s']:.2f} s warm (median of {len(start['warm_runs_s'])}, fastest "
            f"{min(start['warm_runs_s']):.2f} s)"]
    if "compile" in results:
        c = results["compile"]
        rows.append(f"compile of every kernel: {c['cold_s']:.1f} s with an empty cache, {c['warm_s']:.2f} s from it")
    return rows


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="a smoke run: fewer and shorter cases (the cold start still compiles the kernels)")
    parser.add_argument("--output", type=Path, default=HERE / "results.json")
    parser.add_argument("--plot", type=Path, default=HERE / "scaling.html")
    parser.add_argument("--png", type=Path, default=None, help="also export the plot as a PNG (needs kaleido)")
    args = parser.parse_args(argv)
    results = run(args.quick)
    args.output.write_text(json.dumps(results, indent=2))
    figure = scaling_figure(results)
    figure.write_html(args.plot, include_plotlyjs=True)
    if args.png is not None:
        figure.write_image(args.png, width=1100, height=450, scale=2)
    print(table(results))
    print(f"\nwrote {args.output} and {args.plot}")


if __name__ == "__main__":
    main()
