"""Batched designs: the parameter points one sweep job evaluates.

A design names scenario keys by dotted path (``leaders.putin.resolve``) with a
range ``[low, high]`` and a way to fill that box:

``grid``      ``n`` evenly spaced values per parameter, every combination (``n ** d`` points);
``lhs``       a Latin hypercube of ``n`` points (each parameter's range cut in ``n`` strata,
              one point per stratum);
``sobol``     the first ``n`` points of a scrambled Sobol sequence (``n`` a power of two,
              which keeps the sequence balanced);
``saltelli``  Saltelli's scheme for first-order and total Sobol indices: for each of ``n``
              base points (a power of two) the rows A, AB_1 .. AB_d, B, where AB_i is A
              with parameter i taken from B (``n * (d + 2)`` points);
``morris``    ``n`` Morris trajectories (elementary-effects screening): each starts at a point of a
              4-level grid and moves one parameter at a time by two levels (``n * (d + 1)`` points;
              drawn by SALib, analysed by :mod:`experiments.sensitivity`);
``random``    ``n`` independent uniform points.

Samples come from ``scipy.stats.qmc`` seeded by ``seed``, so every job of a sweep
draws the same design and ``parts``/``part`` cut it into contiguous slices that
jobs can share out.
"""
from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from typing import Any, Mapping

import numpy as np
import pandas as pd

from sim import checks

KINDS = ("grid", "lhs", "sobol", "saltelli", "morris", "random")
MORRIS_LEVELS = 4  # grid levels of a Morris design; its analysis must use the same number


MAX_POINTS = 10_000_000  # a whole design above this is a typo (grid n ** d), not a plan


class DesignError(checks.InputError):
    """A design that cannot be sampled; the message names the key."""


@dataclass(frozen=True)
class Design:
    kind: str
    n: int
    params: tuple[tuple[str, float, float], ...]  # (dotted path, low, high) in the order given
    seed: int | None = None
    parts: int = 1
    part: int = 0

    @property
    def paths(self) -> list[str]:
        return [path for path, _, _ in self.params]

    @property
    def size(self) -> int:
        """Points in the whole design (all parts)."""
        d = len(self.params)
        return {"grid": self.n ** d, "saltelli": self.n * (d + 2), "morris": self.n * (d + 1)}.get(self.kind, self.n)


def design_from_config(spec: Mapping[str, Any] | None) -> Design | None:
    """Validate a ``design:`` mapping (``params`` already flattened to dotted paths); None without a kind."""
    if not spec or spec.get("kind") is None:
        return None
    kind = spec["kind"]
    if kind not in KINDS:
        raise DesignError("design.kind", kind, f"one of {', '.join(KINDS)}")
    n = checks.integer("design.n", spec.get("n"), 1, MAX_POINTS, error=DesignError)
    if kind in ("sobol", "saltelli") and n & (n - 1):
        raise DesignError("design.n", detail=f"a {kind} design needs a power of two, got {n} "
                                             f"(try {2 ** math.ceil(math.log2(n))})")
    params = []
    for path, bounds in (spec.get("params") or {}).items():
        if not isinstance(bounds, (list, tuple)) or len(bounds) != 2 or not all(_is_number(b) for b in bounds):
            raise DesignError(f"design.params.{path}", bounds, "[low, high] (two finite numbers)")
        low, high = float(bounds[0]), float(bounds[1])
        if not low <= high:
            raise DesignError(f"design.params.{path}", detail=f"low {low} is above high {high}")
        params.append((str(path), low, high))
    if not params:
        raise DesignError("design.params", detail="a design needs at least one parameter range")
    seed = spec.get("seed")
    if seed is not None:
        checks.seed(seed, "design.seed", error=DesignError)
    parts = checks.integer("design.parts", spec.get("parts", 1), 1, MAX_POINTS, error=DesignError)
    part = checks.integer("design.part", spec.get("part", 0), 0, parts - 1, error=DesignError)
    design = Design(kind=kind, n=n, params=tuple(params), seed=seed, parts=parts, part=part)
    if design.size > MAX_POINTS:
        raise DesignError("design.n", detail=f"a {kind} design of n={n} over {len(params)} parameters has "
                                             f"{design.size:,} points, expected at most {MAX_POINTS:,}")
    if parts > design.size:
        raise DesignError("design.parts", detail=f"{parts} parts of a design of {design.size} points leave "
                                                 f"some parts empty, expected at most {design.size}")
    return design


def sample(design: Design, seed: int) -> pd.DataFrame:
    """Every point of ``design`` (one column per path, index ``design_index``); ``design.seed`` wins over ``seed``."""
    seed = design.seed if design.seed is not None else seed
    rng = np.random.default_rng(seed)
    d = len(design.params)
    low = np.array([lo for _, lo, _ in design.params])
    high = np.array([hi for _, _, hi in design.params])
    if design.kind != "grid":
        from scipy.stats import qmc  # seconds to import: only the sampled kinds need it, not a grid or a plan check
    if design.kind == "grid":
        axes = [np.linspace(lo, hi, design.n) for lo, hi in zip(low, high)]
        unit = None
        points = np.array(list(itertools.product(*axes)), dtype=float).reshape(-1, d)
    elif design.kind == "lhs":
        unit = qmc.LatinHypercube(d, rng=rng).random(design.n)
    elif design.kind == "sobol":
        unit = qmc.Sobol(d, scramble=True, rng=rng).random_base2(int(math.log2(design.n)))
    elif design.kind == "saltelli":
        unit = _saltelli(qmc.Sobol(2 * d, scramble=True, rng=rng).random_base2(int(math.log2(design.n))), d)
    elif design.kind == "morris":
        from SALib.sample import morris
        problem = {"num_vars": d, "names": design.paths, "bounds": [[0.0, 1.0]] * d}
        unit = morris.sample(problem, design.n, num_levels=MORRIS_LEVELS, seed=int(rng.integers(2 ** 31)))
    else:
        unit = rng.random((design.n, d))
    if unit is not None:
        points = low + unit * (high - low)
    frame = pd.DataFrame(points, columns=design.paths)
    frame.index = pd.RangeIndex(len(frame), name="design_index")
    return frame


def _saltelli(base: np.ndarray, d: int) -> np.ndarray:
    a, b = base[:, :d], base[:, d:]
    blocks = [a]
    for i in range(d):
        ab = a.copy()
        ab[:, i] = b[:, i]
        blocks.append(ab)
    blocks.append(b)
    # rows grouped by base point (A, AB_1..AB_d, B), the order Saltelli estimators expect
    return np.stack(blocks, axis=1).reshape(-1, d)


def part_of(frame: pd.DataFrame, part: int, parts: int) -> pd.DataFrame:
    """The ``part``-th of ``parts`` contiguous slices of a design (sizes differ by at most one)."""
    bounds = np.linspace(0, len(frame), parts + 1).round().astype(int)
    return frame.iloc[bounds[part]:bounds[part + 1]]


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool) \
        and math.isfinite(float(value))

