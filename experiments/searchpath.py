"""Find the file Hydra composed for ``scenario=NAME`` on its search path.

Hydra looks up a config group option in its config sources in order (the shipped
``configs/``, then ``--config-dir`` and ``hydra.searchpath`` entries); the engine
reloads the scenario from that same file so that ``extends`` resolves and errors
name the file. Shipped scenarios keep their name.
"""
from __future__ import annotations

import importlib.resources
from pathlib import Path
from typing import Any, Iterable


def _candidate(source: Any, name: str) -> Path | None:
    relative = f"scenario/{name}.yaml"
    if source.schema == "file":
        path = Path(source.path) / relative
        return path if path.is_file() else None
    if source.schema == "pkg":
        try:
            resource = importlib.resources.files(source.path.replace("/", ".")).joinpath(relative)
        except (ModuleNotFoundError, TypeError, ValueError):
            return None
        return Path(str(resource)) if resource.is_file() else None
    return None


def scenario_on_searchpath(name: str, sources: Iterable[Any]) -> str:
    """``name`` if Hydra finds it among the shipped scenarios (or nowhere), else the path of the file it finds."""
    from sim.scenario.load import SCENARIO_DIR

    for source in sources or ():
        path = _candidate(source, name)
        if path is None:
            continue
        return name if path.resolve() == (SCENARIO_DIR / f"{name}.yaml").resolve() else str(path)
    return name
