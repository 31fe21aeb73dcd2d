"""Summaries streamed to a file, and tables and headline from outcome counts rather than from the summary."""
import numpy as np
import pandas as pd
import pytest

import sim
from sim.checks import InputError
from sim.results import columns as col
from sim.results.stats import median_of


@pytest.fixture(scope="module")
def kept(baseline):
    return sim.run_ensemble(baseline, 300, seed=11, batch=64)


def test_streamed_summary_is_the_kept_one_and_tables_agree(baseline, kept, tmp_path):
    path = tmp_path / "summary.parquet"
    streamed = sim.run_ensemble(baseline, 300, seed=11, batch=50, summary_file=path)
    assert streamed.summary is None and streamed.summary_file == path
    pd.testing.assert_frame_equal(pd.read_parquet(path), kept.summary)
    assert streamed.headline() == kept.headline()
    a, b = streamed.tables(), kept.tables()
    assert set(b) - set(a) == {"summary"}
    for name, frame in a.items():
        pd.testing.assert_frame_equal(frame, b[name])


def test_headline_counts_agree_with_the_summary(kept):
    s, h = kept.summary, kept.headline()
    assert h["p_clash"] == s["clash"].mean()
    assert h["p_clash_incident"] == (s["clash_cause"] == "incident").mean()
    for key, column in (("median_max_rung", "max_rung"), ("median_deployed_peak", "deployed_peak"),
                        ("median_deployed_final", "deployed_final")):
        assert h[key] == s[column].median()
    assert h["mean_us_guarantee_final"] == pytest.approx(s["us_guarantee_final"].mean(), abs=1e-9)
    assert h["p_deescalated"] == s["deescalated"].mean() and h["p_diverged"] == s["diverged"].mean()


def test_crossing_probabilities_count_first_weeks(baseline, kept):
    weekly = kept.tables()["weekly"]
    for r in range(len(baseline.ladder)):
        first = kept.summary[col.first_week(r)].to_numpy()
        expected = [((first >= 0) & (first <= w)).mean() for w in weekly["week"]]
        np.testing.assert_array_equal(weekly[col.crossed(r)].to_numpy(), expected)


def test_a_failed_ensemble_leaves_no_summary_file(baseline, tmp_path, monkeypatch):
    import sim.engine.runner as runner
    real, calls, seen = runner.run_chunk, [], []

    def interrupted_in_the_second_batch(*args):
        calls.append(1)
        if len(calls) == 2:
            seen.append(path.exists())  # the first batch is on disk by now
            raise KeyboardInterrupt
        real(*args)

    path = tmp_path / "summary.parquet"
    monkeypatch.setattr(runner, "run_chunk", interrupted_in_the_second_batch)
    with pytest.raises(KeyboardInterrupt):
        sim.run_ensemble(baseline, 20, seed=1, batch=10, summary_file=path)
    assert seen == [True] and not path.exists()


@pytest.mark.parametrize("values", [[0], [3, 1], [0, 0, 5, 2], list(range(9)) * 3 + [4]])
def test_median_of_counts_is_the_median_of_the_values(values):
    assert median_of(np.bincount(values)) == float(np.median(values))


@pytest.mark.parametrize("bad", ["", 3, "FOLDER", "FILE/summary.parquet"])
def test_a_bad_summary_file_is_refused_before_anything_runs(baseline, tmp_path, bad):
    (tmp_path / "FILE").write_text("not a folder")
    value = str(tmp_path / bad) if bad in ("FOLDER", "FILE/summary.parquet") else bad
    if bad == "FOLDER":
        (tmp_path / "FOLDER").mkdir()
    with pytest.raises(InputError, match="summary_file"):
        sim.run_ensemble(baseline, 10, seed=1, summary_file=value)


def test_a_streamed_summary_carries_the_metadata_of_the_run_tables(baseline, tmp_path):
    import pyarrow.parquet as pq
    from sim.pipeline import run_to_directory
    out = run_to_directory(baseline, 30, 2, tmp_path / "run", report=False)
    meta = [pq.read_schema(out / f"{name}.parquet").metadata[b"escalation"] for name in ("summary", "weekly")]
    assert meta[0] == meta[1] and b'"replicates": 30' in meta[0]
