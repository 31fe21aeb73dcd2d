"""Help text from docstrings: the reStructuredText markup of a docstring is not for a terminal."""
from __future__ import annotations


def plain(text: str) -> str:
    """``x`` -> x: a docstring's literal markup removed for ``--help``."""
    return text.replace("``", "")
