"""The validation commands: World Bank reaction fits, base rates beside a run, stability of a scenario."""
import dataclasses
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import sim

from experiments.calibration import fit_reaction
from experiments.validate import WORLDBANK_FILE, baserates_main, fit_reaction_main, milex_series, stability_main

WORLDBANK = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "worldbank"


def test_milex_series_are_billions_of_the_files_dollars():
    series = milex_series(["IND", "PAK"], since=1990, until=2000)
    raw = pd.read_csv(WORLDBANK / WORLDBANK_FILE)
    india_1995 = raw[(raw["country"] == "IND") & (raw["year"] == 1995)]["milex_usd"].iloc[0]
    assert list(series.index) == list(range(1990, 2001)) and series.loc[1995, "IND"] == pytest.approx(india_1995 / 1e9)


def test_fit_reaction_command_prints_the_fit_of_the_library(capsys):
    assert fit_reaction_main(["GRC", "TUR", "--since", "1975", "--until", "2000"]) == 0
    out = capsys.readouterr().out
    series = milex_series(["GRC", "TUR"], 1975, 2000)
    fit = fit_reaction(series.index.to_numpy(float), series.to_numpy())
    assert "26 years 1975-2000" in out and f"sse {fit.sse:.4g}" in out and f"stable: {fit.stable}" in out


def test_fit_reaction_command_names_an_unknown_country(capsys):
    assert fit_reaction_main(["IND", "XYZ"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "unknown country 'XYZ'" in err and "worldbank_milex_usd.csv" in err


def test_baserates_command_puts_simulated_shares_beside_the_disputes(tmp_path, capsys):
    (tmp_path / "manifest.json").write_text('{"rungs": ["r0", "r1", "r2", "r3", "r4", "r5", "r6", "r7", "r8"]}')
    stored = dataclasses.asdict(sim.load_scenario("baseline"))
    stored.pop("source")
    (tmp_path / "scenario.json").write_text(json.dumps(stored))
    summary = pd.DataFrame({"max_rung_RUS": np.array([3, 5, 5, 6], dtype=np.int8),
                            **{f"first_week_rung_{r}": np.zeros(4, np.int16) for r in range(9)}})
    summary.to_parquet(tmp_path / "summary.parquet")
    assert baserates_main(["--run", str(tmp_path)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "58 disputes with [2, 200, 220] against [365], starting 1946-2000"
    row5 = next(line.split() for line in lines if line.split()[:2] == ["5", "r5"])
    assert row5[2:4] == ["20", "0.345"] and row5[-1] == "0.750"


def test_stability_command(capsys):
    assert stability_main(["baseline"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("baseline: reaction core stable") and "states.RUS.fatigue" in out
    assert stability_main(["baseline", "states.RUS.fatigu=0.1"]) == 2
    assert "did you mean 'fatigue'" in capsys.readouterr().err
