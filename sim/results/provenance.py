"""What produced a result: package versions, the git commit and the machine."""
from __future__ import annotations

import os
import platform
import subprocess
from pathlib import Path


def git_commit() -> str | None:
    try:
        out = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True, timeout=5,
                             cwd=Path(__file__).resolve().parent)
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None if out.returncode == 0 else None


def versions() -> dict[str, str]:
    import importlib.metadata as md
    names = ["escalation-sim", "mesa", "numpy", "scipy", "numba", "pandas", "pyarrow", "plotly", "hydra-core"]
    found = {}
    for name in names:
        try:
            found[name] = md.version(name)
        except md.PackageNotFoundError:
            continue
    found["python"] = platform.python_version()
    return found


def machine() -> dict:
    return {"platform": platform.platform(), "cpus": os.cpu_count()}
