"""MID base rates, recounted here with plain pandas on the data files."""
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from experiments.baserates import baseline_hiact, disputes, rung_of_hiact, rung_shares

ROOT = Path(__file__).resolve().parent.parent
MID = ROOT.parent / "shared" / "data" / "mid"
WEST, RUSSIA = [2, 200, 220], [365]


def recount(side_a, side_b, since):
    a = pd.read_csv(MID / "gml-mida-2.0.csv")
    b = pd.read_csv(MID / "gml-midb-2.0.csv")
    west = b[b["ccode"].isin(side_a)][["dispnum", "sidea"]]
    east = b[b["ccode"].isin(side_b)][["dispnum", "sidea"]]
    opposed = west.merge(east, on="dispnum", suffixes=("_w", "_e"))
    numbers = set(opposed.loc[opposed["sidea_w"] != opposed["sidea_e"], "dispnum"])
    return a[a["dispnum3"].isin(numbers) & (a["styear"] >= since)]


def test_disputes_match_a_recount_of_the_files():
    rows = disputes(WEST, RUSSIA, since=1946)
    expected = recount(WEST, RUSSIA, 1946)
    assert sorted(rows["dispnum"]) == sorted(expected["dispnum3"])
    assert len(rows) == 58   # stated in docs/validation.md
    for column in ("hostlev", "hiact", "fatality"):
        assert rows[column].value_counts().to_dict() == pd.to_numeric(expected[column]).value_counts().to_dict()
    assert rows["hostlev"].value_counts().to_dict() == {3: 24, 4: 32, 5: 2}
    assert {"dispnum", "styear", "hostlev", "hiact", "fatality"} <= set(rows.columns)
    assert all(set(s) <= set(WEST) for s in rows["states_a"]) and all(s == [365] for s in rows["states_b"])


def test_sides_are_symmetric_and_years_bound_the_start():
    forward = disputes(WEST, RUSSIA, since=1946, until=1990)
    backward = disputes(RUSSIA, WEST, since=1946, until=1990)
    assert list(forward["dispnum"]) == list(backward["dispnum"])
    assert forward["styear"].between(1946, 1990).all() and len(forward) < 58


def test_allies_on_one_side_are_not_a_dispute_between_them():
    # the UK and France share many disputes since 1946, always on the same side; before 1946 they opposed in 8
    assert len(disputes([200], [220], since=1946)) == 0
    both = disputes([200], [220])
    assert sorted(both["dispnum"]) == sorted(recount([200], [220], 0)["dispnum3"]) and len(both) == 8


def test_rung_shares_count_disputes_reaching_each_rung_or_higher():
    rows = pd.DataFrame({"hiact": [7, 16, 17, 20, 15, 1]})
    assert list(rung_of_hiact(rows["hiact"])) == [3, 5, 5, 6, 4, 1]
    shares = rung_shares(rows).set_index("rung")
    assert shares.loc[5, "disputes"] == 3 and shares.loc[4, "disputes"] == 4 and shares.loc[3, "share"] == 5 / 6
    assert shares.loc[7, "disputes"] == 0
    codes = [c for cs in baseline_hiact().values() for c in cs]
    assert sorted(codes) == list(range(22))   # every highest-action code belongs to exactly one rung


def test_a_missing_data_folder_is_one_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="gml-mida-2.0.csv: no such file"):
        disputes(WEST, RUSSIA, data=tmp_path)
    proc = subprocess.run([sys.executable, "-c", "from experiments.validate import baserates_main as m; "
                           f"raise SystemExit(m(['--data', '{tmp_path}']))"], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1 and "ESCALATE_MID_DATA" in proc.stderr
