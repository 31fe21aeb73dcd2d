"""Speed and memory benchmarks of the kernel against a pure-Python Mesa reference.

``make bench`` (``python -m benchmarks.run``) prints a table, writes
``benchmarks/results.json`` and ``benchmarks/scaling.html``; ``--quick`` is a smoke
run of a minute. Cases that need a clean process (peak memory, compile time, the
first step of ``escalate``, each scenario size) run in subprocesses
(``python -m benchmarks.probe``). docs/performance.md explains the numbers.

The pure-Python Mesa reference lives with the tests that check it against the kernel
(``tests/reference_model.py``, tests/test_reference.py). Modules: ``timing`` (rates and peak memory), ``probe`` (one
measurement per process), ``first_step`` (``escalate`` up to its first simulated
week), ``targets`` (the performance targets), ``plots`` (log-log scaling), ``run``
(the suite and its table).
"""
