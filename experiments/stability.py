"""Stability of a scenario's reaction core ``dx/dt = (K - A) x + g`` (docs/model.md).

``K`` holds the reaction coefficients ``k_ij`` (actor i responding to j), ``A`` the
fatigue ``a_i`` on the diagonal, ``g`` the grievances. The core is stable when every
eigenvalue of ``M = K - A`` has a negative real part; its equilibrium is ``-M^-1 g``.
The distance to instability along a coefficient is how far that coefficient alone must
move for the largest real part of an eigenvalue (the spectral abscissa) to reach zero.
This describes the linear core only: decisions, coalition and events add to it in the
full model.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.optimize import brentq

SEARCH = 1e3  # a coefficient is moved at most this many times its magnitude (or units, when it is 0)


def reaction_system(scenario) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[str]]:
    """``K``, ``A`` (diagonal), ``g`` and the state ids of a validated scenario, in its state order."""
    from experiments.authoring import reaction_core
    core = reaction_core(scenario)  # includes the adversary's deterrence and SCO terms at week 0
    return core.K, core.A, core.g, list(scenario.actor_ids)


def abscissa(M: np.ndarray) -> float:
    """The largest real part of an eigenvalue of ``M``."""
    return float(np.max(np.linalg.eigvals(M).real))


@dataclass(frozen=True)
class Stability:
    ids: list[str]
    M: np.ndarray
    g: np.ndarray
    margins: pd.DataFrame

    @property
    def eigenvalues(self) -> np.ndarray:
        return np.linalg.eigvals(self.M)

    @property
    def stable(self) -> bool:
        return abscissa(self.M) < 0

    @property
    def equilibrium(self) -> pd.Series:
        try:
            values = -np.linalg.solve(self.M, self.g)
        except np.linalg.LinAlgError:
            values = np.full(len(self.ids), np.nan)
        return pd.Series(values, index=self.ids, name="equilibrium")


def stability(scenario) -> Stability:
    """Equilibrium, eigenvalues and, per coefficient, the change that makes the core lose (or gain) stability.

    ``margins`` has one row per reaction coefficient (``reactions.<i>.k``) and fatigue
    (``states.<id>.fatigue``): ``value``, ``critical`` (the nearest value, in either
    direction, where the spectral abscissa crosses zero; NaN if none within reach),
    ``change`` (critical - value) and ``relative`` (change / |value|).
    """
    K, A, g, ids = reaction_system(scenario)
    M = K - A
    rows = []
    for i, r in enumerate(scenario.reactions):
        cell = np.zeros_like(M)
        cell[scenario.index(r.actor), scenario.index(r.responds_to)] = 1.0
        rows.append(_margin(f"reactions.{i}.k", f"{r.actor} responds to {r.responds_to}", M, cell, r.k))
    for s in scenario.states:
        cell = np.zeros_like(M)
        cell[scenario.index(s.id), scenario.index(s.id)] = -1.0   # M holds -fatigue
        rows.append(_margin(f"states.{s.id}.fatigue", f"fatigue of {s.id}", M, cell, s.fatigue))
    return Stability(ids=ids, M=M, g=g, margins=pd.DataFrame(rows).set_index("coefficient"))


def _margin(name: str, meaning: str, M: np.ndarray, cell: np.ndarray, value: float) -> dict:
    base = abscissa(M)

    def f(delta: float) -> float:
        return abscissa(M + delta * cell)

    reach = SEARCH * max(abs(value), 1.0)
    best = np.nan
    for direction in (1.0, -1.0):
        step = 1e-3 * max(abs(value), 1.0)
        previous = 0.0
        while step <= reach:  # widen the bracket geometrically until the abscissa changes sign
            if np.sign(f(direction * step)) != np.sign(base) and base != 0:
                root = brentq(f, direction * previous, direction * step, xtol=1e-12)
                if np.isnan(best) or abs(root) < abs(best):
                    best = root
                break
            previous, step = step, step * 2
    critical = value + best
    return {"coefficient": name, "meaning": meaning, "value": value, "critical": critical, "change": best,
            "relative": best / abs(value) if value else np.nan}
