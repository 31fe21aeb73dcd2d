"""Scenarios: the schema (``spec``), loading with ``extends`` and overrides (``load``), checks and authoring tools.

The bottom layer: imports nothing else of ``sim`` but ``sim.checks``.
"""
