"""Where real data sets are read from: an explicit folder, an environment variable, or ``../shared/data``.

The data are never copied into the project; each folder's README gives the source and
the citation.
"""
from __future__ import annotations

import os
from pathlib import Path

DEFAULT_ROOT = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"


def data_folder(name: str, files: tuple[str, ...], env: str, data: str | os.PathLike | None = None) -> Path:
    """The folder holding ``files``: ``data``, else ``$env``, else ``../shared/data/<name>`` beside the project."""
    path = Path(data or os.environ.get(env) or DEFAULT_ROOT / name)
    for file in files:
        if not (path / file).is_file():
            raise FileNotFoundError(f"{path / file}: no such file (give the {name} data folder as an argument "
                                    f"or in ${env})")
    return path.resolve()
