"""``escalate-report``: rebuild a run's report from its stored tables, compare runs, export figures.

    escalate-report results/runs/baseline/2025-09-04_10-00-00
    escalate-report RUN_A RUN_B RUN_C --out comparison.html
    escalate-report RUN_DIR --format svg --out figures/

Nothing is simulated. Exit status 2 for a missing or incomplete run directory,
1 when static export cannot run (no Chromium) or fails.
"""
from __future__ import annotations

from experiments.help import plain

import argparse
import sys
from pathlib import Path

from experiments.messages import one_line_warnings

FORMATS = ("html", "png", "svg", "pdf")


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="escalate-report", description=plain(__doc__.split("\n\n")[0]))
    p.add_argument("run_dirs", nargs="+", metavar="RUN_DIR", help="run directory written by escalate; "
                   "several make a comparison report")
    p.add_argument("--format", choices=FORMATS, default="html",
                   help="html: one self-contained page (default); png, svg, pdf: every figure as a file")
    p.add_argument("--out", type=Path, default=None,
                   help="the page (html) or folder (images) to write; default: RUN_DIR/report.html or "
                        "RUN_DIR/figures/ for one run, results/comparison_report.html or results/comparison_figures/ "
                        "for several")
    return p


def default_out(run_dirs: list[str], fmt: str) -> Path:
    if len(run_dirs) == 1:
        return Path(run_dirs[0]) / ("report.html" if fmt == "html" else "figures")
    # under results/, which git ignores, never the folder the command was typed in
    return Path("results") / ("comparison_report.html" if fmt == "html" else "comparison_figures")


def main(argv: list[str] | None = None) -> int:
    one_line_warnings("escalate-report")
    args = parser().parse_args(argv)
    from sim.report.run import RunDirError, check_run_dir, export_report_figures, write_comparison, write_report
    from sim.report.views.export import ExportError

    out = args.out or default_out(args.run_dirs, args.format)
    try:
        for d in args.run_dirs:
            check_run_dir(d)
        if args.format != "html":
            written = export_report_figures(args.run_dirs, out, args.format)
            print(f"{len(written)} {args.format} figures: {out}")
        elif len(args.run_dirs) == 1:
            print(f"report: {write_report(args.run_dirs[0], out=out)}")
        else:
            print(f"comparison report: {write_comparison(args.run_dirs, out)}")
    except RunDirError as err:
        print(f"escalate-report: error: {err}", file=sys.stderr)
        return 2
    except ExportError as err:
        print(f"escalate-report: error: {err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
