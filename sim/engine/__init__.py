"""The compiled core: scenario -> packed arrays (``pack``) -> Numba kernels (``kernel``, ``ensemble``).

NumPy and Numba only: no pandas, Mesa, Hydra or Plotly (an import-linter contract).
``cache`` comes first because Numba reads its cache folder once, when it is first
imported, and every module of this package is imported after this file runs.
"""
from . import cache  # noqa: F401  (sets NUMBA_CACHE_DIR before anything here imports Numba)
