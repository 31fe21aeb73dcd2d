"""Command-line entry points (thin layers over the ``sim`` library)."""
from experiments.searchpath import register as _register_scenarios
from experiments.workers import register as _register_parts

# The shipped experiment configs size their designs with ${escalate_parts:} and sweep ${escalate_scenarios:}:
# whoever composes them (escalate, Hydra's compose API, a test) has imported this package by then.
_register_parts()
_register_scenarios()
