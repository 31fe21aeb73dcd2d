"""Where Numba keeps the compiled kernels: one folder per version of the kernel's source.

Numba's on-disk cache (``cache=True``) checks only the timestamp of the file that
defines a function, but the kernels inline functions and freeze constants from other
modules (``sim/engine/rng.py``, ``sim/engine/layout.py``): an edit there would leave a stale compiled
kernel that silently gives other numbers. So the cache folder is named by a hash of
every kernel source file, and an edit anywhere in the kernel lands in a fresh folder.

Numba reads ``NUMBA_CACHE_DIR`` once, when it is first imported, so ``sim/__init__.py``
imports this module before anything imports Numba. A ``NUMBA_CACHE_DIR`` set by the
user wins. Imports only the standard library.
"""
from __future__ import annotations

import hashlib
import os
import re
import sys
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
# a module that compiles code with Numba; the modules it imports are part of what it compiles
_IMPORTS_NUMBA = re.compile(r"^(?:from numba\b|import numba\b)", re.MULTILINE)
_COMPILES = re.compile(r"\b(?:njit|jit|prange|vectorize|guvectorize|cfunc)\b")
_RELATIVE_IMPORT = re.compile(r"^from \.(\w*) import ([\w, ()*\n]+?)(?:$|\))", re.MULTILINE)


def kernel_sources(package_dir: Path = PACKAGE_DIR) -> list[Path]:
    """The modules that compile Numba functions and every package module they import at top level, sorted."""
    modules = {p.stem: p for p in package_dir.glob("*.py")}
    found = {name for name, path in modules.items() if _compiles(path.read_text(encoding="utf-8"))}
    todo = sorted(found)
    while todo:
        for dep in _imports(modules[todo.pop()].read_text(encoding="utf-8")):
            if dep in modules and dep not in found:
                found.add(dep)
                todo.append(dep)
    return sorted(modules[name] for name in found)


def _compiles(text: str) -> bool:
    return bool(_IMPORTS_NUMBA.search(text) and _COMPILES.search(text))


def _imports(text: str) -> set[str]:
    """Package modules named by top-level ``from .x import ...`` and ``from . import x, y``."""
    names = set()
    for module, imported in _RELATIVE_IMPORT.findall(text):
        if module:
            names.add(module)
        else:
            names.update(n.strip() for n in imported.replace("(", "").split(",") if n.strip())
    return names


def kernel_key(package_dir: Path = PACKAGE_DIR) -> str:
    """A hash of the names and bytes of :func:`kernel_sources` (16 hex digits)."""
    digest = hashlib.blake2b(digest_size=8)
    for path in kernel_sources(package_dir):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def cache_root() -> Path:
    """``$XDG_CACHE_HOME/escalation-sim/numba`` (``~/.cache`` when unset): what ``make clean-cache`` clears."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "escalation-sim" / "numba"


def configure(package_dir: Path = PACKAGE_DIR) -> str:
    """Point Numba's cache at ``cache_root()/<kernel_key>`` unless the user chose a folder; returns the folder."""
    folder = os.environ.get("NUMBA_CACHE_DIR")
    if not folder:
        folder = str(cache_root() / kernel_key(package_dir))
        os.environ["NUMBA_CACHE_DIR"] = folder
    config = sys.modules.get("numba.core.config")
    if config is not None:
        # Numba came first (imported by the user before sim): its config already read the environment
        config.CACHE_DIR = folder
    return folder


CACHE_DIR = configure()
