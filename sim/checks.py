"""Checks of run settings and function arguments, shared by the library and the command line.

Every failed check raises :class:`InputError`, whose message is one line:
``key: expected <what>, got <value>``, the form scenario errors already take.
The library functions call these first, before any work or any file is written;
the command line prints the message and exits with status 2.
"""
from __future__ import annotations

import math
from typing import Any, Iterable

import numpy as np

SEED_LIMIT = 2 ** 63  # seeds and replicate numbers feed a uint64 hash that keeps the top bit clear
MAX_DIVERGED_SHARE = 0.01  # default share of diverged replicates above which a run fails


class InputError(ValueError):
    """A bad argument or setting; ``key`` names it, the message says what was expected."""

    def __init__(self, key: str, value: Any = None, expected: str = "", *, detail: str | None = None):
        self.key, self.value = key, value
        super().__init__(f"{key}: {detail}" if detail is not None else f"{key}: expected {expected}, got {value!r}")


def is_int(value: Any) -> bool:
    return isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_))


def integer(key: str, value: Any, lo: int | None = None, hi: int | None = None, *,
            error: type[InputError] = InputError) -> int:
    """``value`` as an int if it is an integer in ``[lo, hi]`` (either bound may be open)."""
    if not is_int(value) or (lo is not None and value < lo) or (hi is not None and value > hi):
        raise error(key, value, _integer_range(lo, hi))
    return int(value)


def _integer_range(lo: int | None, hi: int | None) -> str:
    if lo is not None and hi is not None:
        return f"an integer in [{lo}, {hi}]" if hi != SEED_LIMIT - 1 else f"an integer in [{lo}, 2**63)"
    if lo == 1:
        return "a positive integer"
    if lo == 0:
        return "a non-negative integer"
    return f"an integer >= {lo}" if lo is not None else "an integer"


def number(key: str, value: Any, lo: float, hi: float, *, error: type[InputError] = InputError) -> float:
    """``value`` as a float if it is a finite number in ``[lo, hi]``."""
    ok = isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, (bool, np.bool_))
    if not ok or not math.isfinite(float(value)) or not lo <= float(value) <= hi:
        raise error(key, value, f"a number in [{lo:g}, {hi:g}]")
    return float(value)


def seed(value: Any, key: str = "seed", *, error: type[InputError] = InputError) -> int:
    """A master seed or replicate number: an integer in [0, 2**63)."""
    return integer(key, value, 0, SEED_LIMIT - 1, error=error)


def choice(key: str, value: Any, options: Iterable[str]) -> str:
    options = tuple(options)
    if value not in options:
        raise InputError(key, value, f"one of {', '.join(options)}")
    return value


def flag(key: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise InputError(key, value, "true or false")
    return value
