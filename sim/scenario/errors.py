"""The one error a scenario raises, and the helpers that collect or word it."""
from __future__ import annotations

import difflib
from typing import Iterable


class ScenarioError(ValueError):
    """A scenario that cannot be used; the message names file and key."""

    def __init__(self, source: str, key: str, message: str):
        self.source, self.key, self.message = source, key, message
        super().__init__(f"{source}: {key}: {message}" if key else f"{source}: {message}")


def add_problem(errors: list | None, err: ScenarioError) -> None:
    """Raise ``err``, or note it in ``errors`` when every problem is being collected."""
    if errors is None:
        raise err
    errors.append(err)


def did_you_mean(word: str, options: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` for the closest option, or nothing."""
    close = difflib.get_close_matches(str(word), list(options), n=1, cutoff=0.5)
    return f" (did you mean {close[0]!r}?)" if close else ""
