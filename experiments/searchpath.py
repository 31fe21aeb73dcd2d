"""Find the file for ``scenario=NAME`` in the ``scenarios/`` folders of Hydra's search path.

``scenario`` is a plain config key holding a name: Hydra never reads a scenario
file (the baseline takes it longer to parse than the engine's loader takes to load
it). The name is looked up in Hydra's config sources in order (the shipped
``configs/``, then ``--config-dir`` and ``hydra.searchpath`` entries), in each
one's ``scenarios/`` folder, and the engine's loader reads the first file found,
so that ``extends`` resolves and errors name the file. Shipped scenarios keep
their name.
"""
from __future__ import annotations

import importlib.resources
from pathlib import Path
from typing import Any, Iterable

from omegaconf import OmegaConf

FOLDER = "scenarios"
OLD_FOLDER = "scenario"  # its name while scenarios were a Hydra config group
RESOLVER = "escalate_scenarios"


def _folder(source: Any) -> Path | None:
    """The ``scenarios/`` folder of one config source, if it has one."""
    if source.schema == "file":
        path = Path(source.path) / FOLDER
        return path if path.is_dir() else None
    if source.schema == "pkg":
        try:
            resource = importlib.resources.files(source.path.replace("/", ".")).joinpath(FOLDER)
        except (ModuleNotFoundError, TypeError, ValueError):
            return None
        return Path(str(resource)) if resource.is_dir() else None
    return None


def _folders(sources: Iterable[Any] | None) -> list[Path]:
    """Every ``scenarios/`` folder of the search path in Hydra's order; the shipped one when there is none."""
    from sim.scenario.load import SCENARIO_DIR

    folders = [f for f in (_folder(s) for s in sources or ()) if f is not None]
    return folders or [SCENARIO_DIR]


def scenario_names(sources: Iterable[Any] | None = None) -> list[str]:
    """The names ``scenario=`` accepts: the shipped scenarios and those of the search path, sorted."""
    return sorted({p.stem for folder in _folders(sources) for p in folder.glob("*.yaml")})


def scenario_on_searchpath(name: Any, sources: Iterable[Any] | None = None) -> str:
    """``name`` if it is a shipped scenario found first, else the path of the first file of that name.

    Raises :class:`sim.ScenarioError` naming the ``scenario`` key and the names
    available when no folder has it.
    """
    from sim.scenario.errors import ScenarioError
    from sim.scenario.load import SCENARIO_DIR, no_scenario_named

    text = str(name)
    if text.endswith((".yaml", ".yml")) or "/" in text or "\\" in text:
        raise ScenarioError("scenario", "", f"{text!r} is a path, not a scenario name: use scenario_file={text}")
    for folder in _folders(sources):
        path = folder / f"{text}.yaml"
        if path.is_file():
            return text if path.resolve() == (SCENARIO_DIR / path.name).resolve() else str(path)
    raise ScenarioError("scenario", "", no_scenario_named(text, scenario_names(sources)))


def old_folders(config_dirs: Iterable[str]) -> list[Path]:
    """The folders among ``config_dirs`` that still keep scenarios in ``scenario/`` rather than ``scenarios/``."""
    return [Path(d) / OLD_FOLDER for d in config_dirs if any((Path(d) / OLD_FOLDER).glob("*.yaml"))]


def config_dirs_of(argv: list[str]) -> list[str]:
    """The folders a command line adds to Hydra's search path: ``--config-dir``/``-cd`` and ``hydra.searchpath``."""
    dirs: list[str] = []
    for i, arg in enumerate(argv):
        if arg in ("--config-dir", "-cd") and i + 1 < len(argv):
            dirs.append(argv[i + 1])
        elif arg.startswith("--config-dir="):
            dirs.append(arg.split("=", 1)[1])
        elif arg.lstrip("+").startswith("hydra.searchpath="):
            entries = arg.split("=", 1)[1].strip("[]")
            dirs += [e.strip().strip("'\"")[len("file://"):] for e in entries.split(",")
                     if e.strip().strip("'\"").startswith("file://")]
    return dirs


def shipped_and_searchpath(_root_: Any = None) -> str:
    """``${escalate_scenarios:}``: every scenario ``scenario=`` accepts, as a comma list to sweep."""
    sources = OmegaConf.select(_root_, "hydra.runtime.config_sources") if _root_ is not None else None
    return ",".join(scenario_names(sources))


def register() -> None:
    if not OmegaConf.has_resolver(RESOLVER):
        OmegaConf.register_new_resolver(RESOLVER, shipped_and_searchpath)
