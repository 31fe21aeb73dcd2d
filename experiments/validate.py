"""Command-line checks of the model against data and theory (docs/validation.md).

    escalate-baserates --side-a 2 200 220 --side-b 365 --since 1946 [--run RUN_DIR]
    escalate-fit-reaction IND PAK --since 1960
    escalate-stability baseline
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

import numpy as np
import pandas as pd

WORLDBANK_ENV = "ESCALATE_WORLDBANK_DATA"
WORLDBANK_FILE = "worldbank_milex_usd.csv"


def _error(prog: str, message: str) -> int:
    print(f"{prog}: error: {message}", file=sys.stderr)
    return 2


# --- base rates ------------------------------------------------------------------

def run_scenario(run_dir: Path):
    """The validated scenario stored with a run (``scenario.json``)."""
    from sim.scenario.build import build_scenario
    stored = json.loads((Path(run_dir) / "scenario.json").read_text())
    stored.pop("source", None)  # where it was loaded from: not a scenario key
    return build_scenario(stored, source=str(run_dir))


def simulated_rung_shares(run_dir: Path) -> pd.Series:
    """Share of a run's replicates whose adversary reached each rung or higher (from ``summary.parquet``)."""
    from experiments.points import adversary_column
    summary = pd.read_parquet(run_dir / "summary.parquet")
    column = adversary_column(summary)
    if column is None:
        raise ValueError(f"{run_dir / 'summary.parquet'}: no max_rung_<adversary> column")
    rungs = sum(c.startswith("first_week_rung_") for c in summary.columns)
    top = summary[column].to_numpy()
    return pd.Series([float((top >= r).mean()) for r in range(rungs)], name="simulated")


def baserates_main(argv: list[str] | None = None) -> int:
    prog = "escalate-baserates"
    parser = argparse.ArgumentParser(prog=prog, description="How far comparable historical disputes (GML MID 2.0) "
                                                            "climbed, rung by rung, beside a run's simulated shares.")
    parser.add_argument("--side-a", type=int, nargs="+", default=[2, 200, 220], help="COW codes (default: 2 200 220)")
    parser.add_argument("--side-b", type=int, nargs="+", default=[365], help="COW codes (default: 365)")
    parser.add_argument("--since", type=int, default=1946)
    parser.add_argument("--until", type=int, default=None)
    parser.add_argument("--data", type=Path, default=None, help="the MID folder (default: $ESCALATE_MID_DATA or "
                                                                "../shared/data/mid)")
    parser.add_argument("--run", type=Path, default=None, help="a run directory: add its simulated shares")
    args = parser.parse_args(argv)
    from experiments.baserates import HIACT_NAMES, HOSTLEV_NAMES, baseline_hiact, disputes, ladder_hiact, rung_shares
    try:
        rows = disputes(args.side_a, args.side_b, args.since, args.until, data=args.data)
        names = None
        simulated = None
        mapping = baseline_hiact()
        if args.run is not None:
            names = json.loads((args.run / "manifest.json").read_text()).get("rungs")
            simulated = simulated_rung_shares(args.run)
            mapping = ladder_hiact(run_scenario(args.run))
    except (FileNotFoundError, ValueError) as err:
        return _error(prog, str(err))
    years = f"{args.since or rows['styear'].min()}-{args.until or rows['styear'].max()}"
    print(f"{len(rows)} disputes with {args.side_a} against {args.side_b}, starting {years}")
    for column, labels in (("hostlev", HOSTLEV_NAMES), ("hiact", HIACT_NAMES)):
        counts = rows[column].value_counts().sort_index()
        print(f"{column}: " + ", ".join(f"{labels.get(int(k), k)} {v}" for k, v in counts.items()))
    table = rung_shares(rows, mapping, names)
    table["codes"] = [" ".join(map(str, mapping[r])) or "-" for r in table["rung"]]
    if simulated is not None:
        table["simulated"] = simulated.reindex(table["rung"]).to_numpy()
    print("reached rung or higher:")
    print(table.to_string(index=False, float_format=lambda v: f"{v:.3f}"))
    return 0


# --- reaction fit on World Bank series -----------------------------------------------------

def milex_series(countries: list[str], since: int | None = None, until: int | None = None,
                 data: str | os.PathLike | None = None) -> pd.DataFrame:
    """Military expenditure (billions of current US dollars), one column per country, years present for all."""
    from experiments.data import data_folder
    folder = data_folder("worldbank", (WORLDBANK_FILE,), WORLDBANK_ENV, data)
    raw = pd.read_csv(folder / WORLDBANK_FILE)
    unknown = sorted(set(countries) - set(raw["country"]))
    if unknown:
        raise ValueError(f"{folder / WORLDBANK_FILE}: unknown country {unknown[0]!r}; expected one of "
                         f"{', '.join(sorted(raw['country'].unique()))}")
    wide = raw.pivot(index="year", columns="country", values="milex_usd")[countries].dropna() / 1e9
    if since is not None:
        wide = wide[wide.index >= since]
    if until is not None:
        wide = wide[wide.index <= until]
    return wide


def fit_reaction_main(argv: list[str] | None = None) -> int:
    prog = "escalate-fit-reaction"
    parser = argparse.ArgumentParser(prog=prog, description="Fit dx/dt = M x + g to World Bank military expenditure.")
    parser.add_argument("countries", nargs="+", help="ISO3 codes, e.g. IND PAK")
    parser.add_argument("--since", type=int, default=None)
    parser.add_argument("--until", type=int, default=None)
    parser.add_argument("--data", type=Path, default=None,
                        help=f"the World Bank folder (default: ${WORLDBANK_ENV} or ../shared/data/worldbank)")
    args = parser.parse_args(argv)
    from experiments.calibration import fit_reaction
    try:
        series = milex_series(args.countries, args.since, args.until, args.data)
        fit = fit_reaction(series.index.to_numpy(dtype=float), series.to_numpy())
    except (FileNotFoundError, ValueError) as err:
        return _error(prog, str(err))
    names = list(series.columns)
    total = float(((series - series.mean()) ** 2).to_numpy().sum())
    print(f"{', '.join(names)}: {len(series)} years {series.index.min()}-{series.index.max()}, "
          "billions of current US dollars")
    frame = pd.DataFrame(fit.M, index=names, columns=[f"M[.,{n}]" for n in names])
    frame = frame.join(pd.DataFrame(fit.stderr.M, index=names, columns=[f"se[.,{n}]" for n in names]))
    frame["g"], frame["se(g)"], frame["equilibrium"] = fit.g, fit.stderr.g, fit.equilibrium
    print(frame.to_string(float_format=lambda v: f"{v:.4g}"))
    print("eigenvalues: " + ", ".join(f"{e:.4g}" for e in fit.eigenvalues))
    print(f"stable: {fit.stable}; sse {fit.sse:.4g}; R^2 {1 - fit.sse / total:.3f}")
    return 0


# --- stability ----------------------------------------------------------------------

def stability_main(argv: list[str] | None = None) -> int:
    prog = "escalate-stability"
    parser = argparse.ArgumentParser(prog=prog, description="Equilibrium, eigenvalues and distance to instability "
                                                            "of a scenario's reaction core.")
    parser.add_argument("scenario", help="a shipped scenario name or a scenario file")
    parser.add_argument("overrides", nargs="*", help="dotted path=value overrides")
    args = parser.parse_args(argv)
    import sim
    from experiments.stability import stability
    try:
        scenario = sim.load_scenario(args.scenario, args.overrides)
    except (sim.ScenarioError, FileNotFoundError, ValueError) as err:
        return _error(prog, str(err))
    result = stability(scenario)
    print(f"{scenario.name}: reaction core {'stable' if result.stable else 'UNSTABLE'}; largest real part of an "
          f"eigenvalue {max(result.eigenvalues.real):.4g}")
    print("equilibrium: " + ", ".join(f"{k} {v:.3g}" for k, v in result.equilibrium.items()))
    print("eigenvalues: " + ", ".join(f"{e:.3g}" for e in sorted(result.eigenvalues, key=lambda e: -e.real)))
    margins = result.margins.sort_values("change", key=np.abs)
    print(margins.to_string(float_format=lambda v: f"{v:.4g}"))
    return 0
