"""A roofline-style bound: the actor-steps per second this machine could reach on one thread.

    python -m benchmarks.roofline baseline

Two parts, both measured here:

1. **Work per actor-step.** The pure-Mesa reference gives the kernel's numbers bit for
   bit, so it calls the same C library functions the same number of times. Running it
   for a few replicates with every ``math`` function counted, and every arithmetic
   operator of its own code counted (Python's ``BINARY_OP``, float and integer alike:
   the random-number hash is integer arithmetic), gives the transcendental calls and
   the arithmetic of one actor-step. The bytes come from the packed arrays: every
   parameter and the replicate's workspace read and written once a step, and the
   weekly statistics' read-modify-writes (what ``sim.engine.ensemble`` adds per week).
2. **This machine's peak for that work.** A Numba loop doing, per round, one step's
   worth of those calls (``cos`` of angles, ``log`` of uniforms, ``exp`` of
   non-positive gaps, ``tanh`` of pressures, ``sqrt``) and of multiply-adds over arrays,
   vectorised where LLVM can: the compute bound. A read-modify-write sweep over an array
   the size of the workspace and one the size of a thread's statistics: the memory bound.

The bound is the slower of the two: every operation at its best measured throughput,
no branches, no dependencies between phases. The kernel cannot reach it; the ratio
says how far it is.
"""
from __future__ import annotations

import argparse
import dis
import json
import math
import sys
import time
from collections import Counter

import numpy as np
from numba import njit

SEED = 20250904
TRANSCENDENTALS = ("cos", "log", "exp", "tanh", "sqrt")
WORD = 8


# --- work per actor-step ---------------------------------------------------------


class _CountingMath:
    """Stands in for the ``math`` module: counts each function call by name."""

    def __init__(self, counts: Counter):
        self._counts = counts

    def __getattr__(self, name):
        value = getattr(math, name)
        if not callable(value):
            return value
        counts = self._counts

        def counted(*args):
            counts[name] += 1
            return value(*args)
        return counted


def _count_operators(run, filename: str, hash_functions: tuple) -> tuple[int, int]:
    """Run ``run()``; the ``BINARY_OP`` instructions executed in code from ``filename`` outside
    ``hash_functions``, and the calls of the first of ``hash_functions`` (one per uniform draw)."""
    binary = dis.opmap["BINARY_OP"]
    offsets: dict = {}
    executed, draws = 0, 0

    def local(frame, event, arg):
        nonlocal executed
        if event == "opcode":
            code = frame.f_code
            ops = offsets.get(code)
            if ops is None:
                ops = offsets[code] = frozenset(i.offset for i in dis.get_instructions(code) if i.opcode == binary)
            executed += frame.f_lasti in ops
        return local

    def on_call(frame, event, arg):
        nonlocal draws
        code = frame.f_code
        if code.co_filename != filename:
            return None
        if code.co_name in hash_functions:
            draws += code.co_name == hash_functions[0]
            return None
        frame.f_trace_opcodes = True
        return local

    previous = sys.gettrace()  # a coverage tool's, say: put back afterwards
    sys.settrace(on_call)
    try:
        run()
    finally:
        sys.settrace(previous)
    return executed, draws


def work_per_actor_step(scenario, replicates: int = 2) -> dict:
    """Calls of each C library function and arithmetic operations per actor-step, counted on the reference."""
    from tests import reference_model as reference

    calls: Counter = Counter()
    saved, reference.math = reference.math, _CountingMath(calls)
    try:
        counted = [_count_operators(reference.ReferenceModel(scenario, SEED, r).run, reference.__file__,
                                    ("_hash", "_mix")) for r in range(replicates)]
    finally:
        reference.math = saved
    actor_steps = replicates * len(scenario.states) * scenario.steps
    work = {name: calls[name] / actor_steps for name in TRANSCENDENTALS}
    work["uniform"] = sum(draws for _, draws in counted) / actor_steps
    work["arithmetic"] = sum(operators for operators, _ in counted) / actor_steps
    return work


def bytes_per_actor_step(scenario) -> dict:
    """Bytes read and written per actor-step: parameters and workspace (L1-sized), weekly statistics (larger)."""
    from sim.engine.kernel import new_workspace
    from sim.engine.pack import compile_params
    from sim.engine.runner import allocate_counts

    p = compile_params(scenario)
    workspace = new_workspace(p)  # plain NumPy: nothing compiles
    params_bytes = sum(a.nbytes for a in p if isinstance(a, np.ndarray))
    workspace_bytes = sum(a.nbytes for a in workspace)
    n_states, n_members = len(scenario.states), len(scenario.members)
    # per week: each state writes a level bin and a rung (1 byte each), counted later into two int64
    # histograms; each member adds to two int64 sums; the week adds to five int64 cells (deployments,
    # guarantee and capital bins and sums). A count is a read and a write of 8 bytes.
    stats_per_week = n_states * (2 + 2 + 2 * 2 * WORD) + n_members * 2 * 2 * WORD + 5 * 2 * WORD
    per_step = n_states * scenario.steps_per_week
    return {"params_bytes": params_bytes, "workspace_bytes": workspace_bytes,
            "stats_bytes_per_thread": sum(a.nbytes for a in allocate_counts(p, 1)),
            "near": (params_bytes + 2 * workspace_bytes) / n_states,
            "stats": stats_per_week / per_step}


# --- this machine's peak ---------------------------------------------------------


_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
LANES = 64  # the multiply-adds run over arrays of this many doubles: registers and L1, as in the kernel


@njit(cache=False)
def _operation_mix(rounds, counts, angles, units, gaps, pressures, keys, a, b, y):
    """``rounds`` rounds of: counts[0..4] calls of cos, log, exp, tanh, sqrt; counts[5] SplitMix64
    finalisers (one uniform draw each); counts[6] sweeps of multiply-adds over ``LANES`` doubles."""
    total, bits = 0.0, np.uint64(0)
    for r in range(rounds):
        shift = r * 1e-15  # a new argument each round: no call can be hoisted out of the loop
        for q in range(counts[0]):
            total += math.cos(angles[q] + shift)
        for q in range(counts[1]):
            total += math.log(units[q] + shift)
        for q in range(counts[2]):
            total += math.exp(gaps[q] - shift)
        for q in range(counts[3]):
            total += math.tanh(pressures[q] + shift)
        for q in range(counts[4]):
            total += math.sqrt(units[q] + shift)
        salt = np.uint64(r)
        for q in range(counts[5]):
            z = keys[q] ^ salt
            z = (z ^ (z >> np.uint64(30))) * _M1
            z = (z ^ (z >> np.uint64(27))) * _M2
            bits ^= z ^ (z >> np.uint64(31))
        for _ in range(counts[6]):
            for i in range(LANES):
                y[i] = y[i] * a[i] + b[i]
    return total + y[0] + float(bits & np.uint64(1))


@njit(cache=False)
def _read_modify_write(rounds, data):
    """``rounds`` sweeps of ``data[i] = data[i] * 0.5 + 1.0``: one 8-byte read and write per element."""
    for _ in range(rounds):
        for i in range(data.shape[0]):
            data[i] = data[i] * 0.5 + 1.0
    return data[0]


def _best_seconds(fn, *args, min_seconds: float, repeats: int = 3) -> tuple[float, int]:
    """Seconds per round of ``fn(rounds, *args)``, the best of ``repeats`` runs of about ``min_seconds``."""
    fn(1, *args)  # compile
    rounds = 1
    while True:
        start = time.perf_counter()
        fn(rounds, *args)
        elapsed = time.perf_counter() - start
        if elapsed >= min_seconds / repeats / 4:
            break
        rounds *= 4
    rounds = max(1, int(rounds * min_seconds / repeats / max(elapsed, 1e-9)))
    best = math.inf
    for _ in range(repeats):
        start = time.perf_counter()
        fn(rounds, *args)
        best = min(best, (time.perf_counter() - start) / rounds)
    return best, rounds


CALLS = TRANSCENDENTALS + ("uniform",)


def compute_seconds_per_step(work: dict, n_states: int, min_seconds: float) -> float:
    """Seconds for one step of all ``n_states`` actors' operations in :func:`_operation_mix`."""
    per_round = [round(work[name] * n_states) for name in CALLS]
    # a multiply-add is two arithmetic operations
    per_round.append(max(1, round(work["arithmetic"] * n_states / 2 / LANES)))
    counts = np.array(per_round, np.int64)
    size = max(int(counts[:-1].max()), LANES)
    rng = np.random.default_rng(SEED)
    angles = rng.uniform(0.0, 2.0 * math.pi, size)
    units = rng.uniform(1e-9, 1.0, size)
    gaps = -rng.exponential(2.0, size)
    pressures = rng.normal(0.0, 1.5, size)
    keys = rng.integers(0, 2**63, size).astype(np.uint64)
    a, b, y = rng.uniform(0.5, 1.0, LANES), rng.uniform(-1.0, 1.0, LANES), np.zeros(LANES)
    seconds, _ = _best_seconds(_operation_mix, counts, angles, units, gaps, pressures, keys, a, b, y,
                               min_seconds=min_seconds)
    return seconds


def bandwidth(size_bytes: int, min_seconds: float) -> float:
    """Bytes per second read and written by a sweep over an array of ``size_bytes`` (at least 4 KiB)."""
    data = np.ones(max(size_bytes, 4096) // WORD)
    seconds, _ = _best_seconds(_read_modify_write, data, min_seconds=min_seconds)
    return 2 * data.nbytes / seconds


def roofline(scenario, min_seconds: float = 0.6, replicates: int = 2) -> dict:
    """Work per actor-step, this machine's peak for it, and the bound in actor-steps per second (one thread)."""
    n_states = len(scenario.states)
    work = work_per_actor_step(scenario, replicates)
    traffic = bytes_per_actor_step(scenario)
    compute_s = compute_seconds_per_step(work, n_states, min_seconds / 3) / n_states
    near_bw = bandwidth(int(traffic["near"] * n_states), min_seconds / 3)
    stats_bw = bandwidth(traffic["stats_bytes_per_thread"], min_seconds / 3)
    memory_s = traffic["near"] / near_bw + traffic["stats"] / stats_bw
    bound_s = max(compute_s, memory_s)
    return {"work_per_actor_step": work, "bytes_per_actor_step": traffic,
            "compute_s_per_actor_step": compute_s, "memory_s_per_actor_step": memory_s,
            "near_bandwidth_bytes_per_s": near_bw, "stats_bandwidth_bytes_per_s": stats_bw,
            "bound": "compute" if compute_s >= memory_s else "memory", "actor_steps_per_s": 1.0 / bound_s}


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.roofline", description=__doc__.splitlines()[0])
    parser.add_argument("scenario", nargs="?", default="baseline")
    parser.add_argument("--seconds", type=float, default=0.6, help="time spent in the micro-benchmarks")
    args = parser.parse_args(argv)
    from benchmarks.timing import scenario_for

    out = roofline(scenario_for(args.scenario), args.seconds)
    print(json.dumps({"scenario": args.scenario, **out}))


if __name__ == "__main__":
    main()
