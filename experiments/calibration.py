"""Calibration: the reaction core fitted to observed series, and scenario parameters to target statistics.

:func:`fit_reaction` fits the linear Richardson system ``dx/dt = M x + g`` (``M = K - A``
in the symbols of ``docs/model.md``) to observed levels by non-linear least squares on
the ODE's solution (``scipy.optimize.least_squares`` around ``scipy.integrate.solve_ivp``),
with the initial state fixed to the first observation. :func:`calibrate` (in
:mod:`experiments.abc`) fits scenario parameters to ensemble statistics by ABC-SMC.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.integrate import solve_ivp
from scipy.optimize import least_squares

from experiments.abc import Calibration, calibrate, posterior_predictive, statistics  # noqa: F401  (public here)

__all__ = ["ReactionFit", "fit_reaction", "calibrate", "Calibration", "posterior_predictive", "statistics"]


@dataclass(frozen=True)
class Coefficients:
    """Standard errors of the fitted coefficients, shaped like them."""
    M: np.ndarray
    g: np.ndarray


@dataclass(frozen=True)
class ReactionFit:
    """A fitted ``dx/dt = M x + g``: coefficients, their standard errors, stability and residuals."""

    M: np.ndarray
    g: np.ndarray
    x0: np.ndarray
    t0: float
    stderr: Coefficients
    sse: float
    residuals: np.ndarray   # observed minus predicted, (len(times), n)
    success: bool

    @property
    def equilibrium(self) -> np.ndarray:
        """``-M^-1 g``: where the system rests (NaN if ``M`` is singular)."""
        try:
            return -np.linalg.solve(self.M, self.g)
        except np.linalg.LinAlgError:
            return np.full_like(self.g, np.nan)

    @property
    def eigenvalues(self) -> np.ndarray:
        return np.linalg.eigvals(self.M)

    @property
    def stable(self) -> bool:
        """Every eigenvalue of ``M`` has a negative real part: paths converge to the equilibrium."""
        return bool(np.all(self.eigenvalues.real < 0))

    def predict(self, times) -> np.ndarray:
        """Levels at ``times`` (shape ``(len(times), n)``) from the fitted system and the first observation."""
        return _solve(self.M, self.g, self.x0, self.t0, np.asarray(times, dtype=float))


def _solve(M: np.ndarray, g: np.ndarray, x0: np.ndarray, t0: float, times: np.ndarray) -> np.ndarray:
    # the system is linear: its exact solution via the matrix exponential would do too, but
    # solve_ivp keeps singular M (a pure drift) and non-diagonalisable M in one code path
    if times.size == 0:
        return np.zeros((0, len(x0)))
    span = (t0, max(float(times.max()), t0))
    sol = solve_ivp(lambda t, x: M @ x + g, span, x0, t_eval=np.clip(times, *span), method="LSODA",
                    rtol=1e-8, atol=1e-10)
    if not sol.success or sol.y.shape[1] != times.size:
        return np.full((times.size, len(x0)), np.inf)
    return sol.y.T


def fit_reaction(times, levels) -> ReactionFit:
    """Fit ``dx/dt = M x + g`` to ``levels`` (shape ``(len(times), n)``, or ``(len(times),)`` for one actor).

    Starts from the least-squares fit of finite differences, then minimises the sum of
    squared differences between the ODE's solution and the observations. Standard errors
    come from the Jacobian at the optimum (``s^2 (J'J)^-1`` with ``s^2 = sse / (m - p)``).
    """
    t = np.asarray(times, dtype=float)
    x = np.asarray(levels, dtype=float)
    x = x[:, None] if x.ndim == 1 else x
    if x.ndim != 2 or x.shape[0] != t.size:
        raise ValueError(f"levels: expected shape ({t.size}, n), got {np.shape(levels)}")
    if not (np.isfinite(t).all() and np.isfinite(x).all()):
        raise ValueError("times and levels must be finite (drop missing observations first)")
    if np.any(np.diff(t) <= 0):
        raise ValueError("times must be strictly increasing")
    n = x.shape[1]
    p = n * n + n
    if x.size - n < p:
        raise ValueError(f"{t.size} observations of {n} series cannot determine {p} coefficients")
    x0, t0 = x[0].copy(), float(t[0])

    def unpack(theta):
        return theta[: n * n].reshape(n, n), theta[n * n:]

    def residuals(theta):
        M, g = unpack(theta)
        return (_solve(M, g, x0, t0, t[1:]) - x[1:]).ravel()

    start = _finite_difference_start(t, x)
    result = least_squares(lambda th: np.nan_to_num(residuals(th), nan=1e12, posinf=1e12, neginf=-1e12),
                           start, method="lm", x_scale="jac")
    M, g = unpack(result.x)
    fitted = ReactionFit(M=M, g=g, x0=x0, t0=t0, stderr=Coefficients(*unpack(np.full(p, np.nan))), sse=0.0,
                         residuals=np.zeros_like(x), success=bool(result.success))
    resid = x - fitted.predict(t)
    sse = float(np.sum(resid ** 2))
    dof = x.size - n - p
    stderr = np.full(p, np.nan)
    if dof > 0:
        try:
            cov = np.linalg.inv(result.jac.T @ result.jac) * sse / dof
            stderr = np.sqrt(np.clip(np.diag(cov), 0, None))
        except np.linalg.LinAlgError:
            pass
    return ReactionFit(M=M, g=g, x0=x0, t0=t0, stderr=Coefficients(*unpack(stderr)), sse=sse, residuals=resid,
                       success=bool(result.success))


def _finite_difference_start(t: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Least-squares ``M, g`` from ``(x[k+1] - x[k]) / dt ≈ M x_mid + g``: a start close to the optimum."""
    slopes = np.diff(x, axis=0) / np.diff(t)[:, None]
    mids = np.c_[(x[1:] + x[:-1]) / 2, np.ones(len(slopes))]
    coef, *_ = np.linalg.lstsq(mids, slopes, rcond=None)   # (n + 1, n): rows M^T then g
    n = x.shape[1]
    return np.r_[coef[:n].T.ravel(), coef[n]]
