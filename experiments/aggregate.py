"""``escalate-aggregate DIR``: gather a finished or partial sweep into ``sweep.parquet`` and its report.

What the sweep's Hydra callback does at the end of a multirun, by hand: after an
interrupted sweep, while one still runs on a cluster, or to rebuild the report.
"""
from __future__ import annotations

from experiments.help import plain

import argparse
import sys
from pathlib import Path

from experiments.callbacks import summary_line
from experiments.messages import one_line_warnings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="escalate-aggregate", description=plain(__doc__.splitlines()[0]))
    parser.add_argument("sweep_dir", type=Path, help="a sweep directory (hydra.sweep.dir of the multirun)")
    parser.add_argument("--no-report", action="store_true", help="write sweep.parquet only")
    one_line_warnings("escalate-aggregate")
    args = parser.parse_args(argv)
    from sim.results.sweep import REPORT_FILE, TABLE_FILE
    from experiments.sensitivity import finish_sweep
    if not args.sweep_dir.is_dir():
        print(f"escalate-aggregate: error: {args.sweep_dir}: no such directory", file=sys.stderr)
        return 2
    try:
        manifest = finish_sweep(args.sweep_dir, report=not args.no_report)
    except FileNotFoundError as err:
        print(f"escalate-aggregate: error: {err}", file=sys.stderr)
        return 2
    print(summary_line(manifest))
    if manifest.get("points_ok"):
        from sim.report.sweep import sweep_answer_of
        print(sweep_answer_of(args.sweep_dir))
    print(f"sweep table: {args.sweep_dir / TABLE_FILE}")
    if manifest.get("sensitivity"):
        print(f"sensitivity: {manifest['sensitivity']}")
    if not args.no_report:
        print(f"report: {args.sweep_dir / REPORT_FILE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
