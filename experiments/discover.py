"""``escalate-discover DIR``: PRIM scenario discovery on a finished sweep (``sweep.parquet``).

    escalate-discover results/sweeps/lhs_global --outcome clash
    escalate-discover results/sweeps/lhs_global --outcome p_clash --threshold 0.1 --density 0.7

Prints the chosen box as parameter ranges with its coverage and density, and writes
``discovery.html`` (peeling trajectory and box) and ``discovery.csv`` (the box's limits)
into the sweep directory, or where ``--out`` says.
"""
from __future__ import annotations

from experiments.help import plain

import argparse
import html
import sys
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="escalate-discover", description=plain(__doc__.splitlines()[0]))
    parser.add_argument("sweep_dir", type=Path, help="a sweep directory holding sweep.parquet")
    parser.add_argument("--outcome", default="clash",
                        help="clash, deployed, rung or a column of sweep.parquet (default: clash = p_clash)")
    parser.add_argument("--threshold", type=float, default=None,
                        help="a point is of interest when the outcome is at or above this (default: its upper quartile)")
    parser.add_argument("--density", type=float, default=0.8,
                        help="the box of greatest coverage with at least this density is chosen (default 0.8)")
    parser.add_argument("--out", type=Path, default=None, help="folder for discovery.html and discovery.csv")
    args = parser.parse_args(argv)
    prog = "escalate-discover: error:"
    table_path = args.sweep_dir / "sweep.parquet"
    if not table_path.is_file():
        print(f"{prog} {table_path}: no such file (aggregate the sweep first: escalate-aggregate DIR)", file=sys.stderr)
        return 2
    if not 0 < args.density <= 1:
        print(f"{prog} --density: expected a number in (0, 1], got {args.density}", file=sys.stderr)
        return 2
    import pandas as pd
    from sim.files import atomic_write_text
    from sim.report.views.page import FigureEntry, meta_list, page
    from experiments.discovery import limits_figure, prim, sweep_outcome, trajectory_figure
    try:
        X, y, cut = sweep_outcome(pd.read_parquet(table_path), args.outcome, args.threshold)
        box = prim(X, y, threshold=args.density)
    except ValueError as err:
        print(f"{prog} {table_path}: {err}", file=sys.stderr)
        return 2
    out = args.out or args.sweep_dir
    out.mkdir(parents=True, exist_ok=True)
    print(f"{int(y.sum())} of {len(y)} points have {args.outcome} >= {cut:.4g}")
    print(box.describe())
    atomic_write_text(out / "discovery.csv", box.limits.to_csv())
    header = f"<h1>Scenario discovery: {html.escape(args.sweep_dir.name)}</h1>" + meta_list([
        ("outcome", f"{args.outcome} >= {cut:.4g}"), ("points of interest", f"{int(y.sum())} of {len(y)}"),
        ("coverage", f"{box.coverage:.3f}"), ("density", f"{box.density:.3f}"), ("step", box.chosen)])
    body = "<h2>Chosen box</h2><pre>" + html.escape(box.describe()) + "</pre>"
    figures = [FigureEntry("trajectory", trajectory_figure(box),
                           "Each peeling step trades coverage (share of all points of interest inside the box) "
                           "for density (share of points of interest among those in the box)."),
               FigureEntry("box", limits_figure(box), "Where the chosen box lies within each restricted input's range.")]
    atomic_write_text(out / "discovery.html", page(f"{args.sweep_dir.name} - discovery", header + body, figures, ""))
    print(f"report: {out / 'discovery.html'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
