"""The performance targets, checked against one run's results."""
from __future__ import annotations

KERNEL_VS_REFERENCE = 150.0   # kernel on one thread / pure-Mesa reference, actor-steps per second, baseline
THREAD_SCALING = 1.9          # ensemble on two threads / one thread
PEAK_MIB = 300.0              # peak memory of a baseline ensemble of 10**6 replicates
FLAT_FACTOR = 1.05            # ... and flat: at most 1.05 x the peak at 10**4 (summaries go to disk)
MILLION_SECONDS = 60.0        # 10**6 replicate-runs of the 52-week baseline
COLD_START_SECONDS = 15.0     # escalate in a fresh environment (empty caches): start to first simulated step
WARM_START_SECONDS = 2.0      # escalate, kernels in the cache: start to first simulated step
SWEEP_SHARE = 0.70            # a shipped sweep's replicate-runs per second / one ensemble of the same total size
# where a run's results hold that share (benchmarks.sweep_overhead); absent, or measured at other than the
# experiment's own replicates a point (--quick): "not run"
SWEEP_RESULT, SWEEP_SHARE_KEY = "sweep_overhead", "batched_vs_ensemble"


def check_targets(results: dict) -> list[dict]:
    """One row per target: name, measured value, limit, and met (None where the run did not measure it)."""
    base = next(c for c in results["cases"] if c["scenario"] == "baseline")
    rows = [
        _row("kernel 1 thread / pure-Mesa reference (baseline)", base["kernel_vs_reference"], ">=",
             KERNEL_VS_REFERENCE, "{:.0f}x"),
        _row(f"ensemble {base['threads']} threads / 1 thread (baseline)", base["threads_scaling"], ">=",
             THREAD_SCALING, "{:.2f}x"),
    ]
    rows += _memory_rows(results)
    start = results["start"]
    rows.append(_row("escalate, fresh environment: first simulated step (s)", start["cold_s"], "<",
                     COLD_START_SECONDS, "{:.1f}"))
    rows.append(_row("escalate, warm cache: first simulated step (s)", start["warm_s"], "<", WARM_START_SECONDS,
                     "{:.2f}"))
    sweep = results.get(SWEEP_RESULT, {})
    share = sweep.get(SWEEP_SHARE_KEY) if sweep.get("met") is not None else None
    name = "sweep / one ensemble of the same size, replicate-runs/s"
    rows.append(_not_run(name, f">= {SWEEP_SHARE:.0%}") if share is None
                else _row(name, share, ">=", SWEEP_SHARE, "{:.0%}"))
    return rows


def _memory_rows(results: dict) -> list[dict]:
    memory = {m["replicates"]: m for m in results["memory"]}
    small, million = memory.get(10_000), memory.get(1_000_000)
    if not million:
        return [_not_run("peak memory, 10^6 replicates (MiB)", f"< {PEAK_MIB:g}"),
                _not_run("10^6 replicates of the baseline (s)", f"< {MILLION_SECONDS:g}"),
                _not_run("peak at 10^6 vs 1.05 x peak at 10^4 (MiB)", "<= 1.05 x")]
    rows = [_row("peak memory, 10^6 replicates (MiB)", million["peak_rss_mib"], "<", PEAK_MIB, "{:.0f}"),
            _row("10^6 replicates of the baseline (s)", million["wall_s"], "<", MILLION_SECONDS, "{:.1f}")]
    if small:
        limit = FLAT_FACTOR * small["peak_rss_mib"]
        rows.append(_row("peak at 10^6 vs 1.05 x peak at 10^4 (MiB)", million["peak_rss_mib"], "<=",
                         limit, "{:.0f}"))
    else:
        rows.append(_not_run("peak at 10^6 vs 1.05 x peak at 10^4 (MiB)", "<= 1.05 x"))
    return rows


def _row(name: str, value: float, op: str, limit: float, fmt: str) -> dict:
    met = value >= limit if op == ">=" else (value <= limit if op == "<=" else value < limit)
    return {"name": name, "value": fmt.format(value), "limit": f"{op} {fmt.format(limit)}", "met": bool(met),
            "measured": value, "bound": limit}


def _not_run(name: str, limit: str) -> dict:
    return {"name": name, "value": "-", "limit": limit, "met": None}
