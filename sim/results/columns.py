"""Names of result columns, in one place: tables write them, views and analyses read them.

Per-rung and per-quantile columns are numbered (``p_rung_3``, ``q05``); these
functions spell them, so no reader of a table builds a column name by hand.
"""
from __future__ import annotations

QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)


def quantile(q: float, prefix: str = "") -> str:
    """``q05`` for 0.05; ``deployed_q50`` with ``prefix="deployed"``."""
    name = f"q{int(round(q * 100)):02d}"
    return f"{prefix}_{name}" if prefix else name


def rung_share(r: int) -> str:
    """steps table: share of replicates standing on rung ``r`` that week."""
    return f"p_rung_{r}"


def crossed(r: int) -> str:
    """weekly table: share of replicates that have reached rung ``r`` by that week."""
    return f"p_crossed_{r}"


def first_week(r: int) -> str:
    """summary table: the first week a replicate reached rung ``r`` (-1: never)."""
    return f"first_week_rung_{r}"


def max_rung_of(actor: str) -> str:
    """summary table: the highest rung actor ``actor`` reached."""
    return f"max_rung_{actor}"
