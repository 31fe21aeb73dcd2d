"""Historical base rates from the GML Militarized Interstate Dispute data (version 2.0).

The data are not shipped: get them from their authors (the GML MID data page of Steven V.
Miller, or the replication files of Gibler, Miller & Little 2016) and give their folder as
``data=``, in the environment variable ``ESCALATE_MID_DATA``, or put them in
``../shared/data/mid`` beside the project. Cite: Gibler, Douglas M., Steven V. Miller and
Erin K. Little. 2016. "An Analysis of the Militarized Interstate Dispute (MID) Dataset,
1816-2001." *International Studies Quarterly* 60(4): 719-730.

A ladder rung is compared with the MID's highest action (``hiact``) through the ladder's own
``mid_hiact`` field (:func:`ladder_hiact`): the highest-action codes that count as reaching
each rung. In the baseline, MIDs record militarized acts only, so the economic-coercion rung
has no code and nuclear use never occurs.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Iterable, Mapping

import pandas as pd

DATA_ENV = "ESCALATE_MID_DATA"
DISPUTES_FILE = "gml-mida-2.0.csv"
PARTICIPANTS_FILE = "gml-midb-2.0.csv"
COLUMNS = ["dispnum", "styear", "endyear", "hostlev", "hiact", "fatality", "maxdur", "outcome", "recip"]
HIACT_NAMES = {0: "no militarized action", 1: "threat to use force", 2: "threat to blockade",
               3: "threat to occupy territory", 4: "threat to declare war", 5: "threat to use CBR weapons",
               6: "threat to join war", 7: "show of force", 8: "alert", 9: "nuclear alert", 10: "mobilization",
               11: "fortify border", 12: "border violation", 13: "blockade", 14: "occupation of territory",
               15: "seizure", 16: "attack", 17: "clash", 18: "declaration of war", 19: "use of CBR weapons",
               20: "begin interstate war", 21: "join interstate war"}
HOSTLEV_NAMES = {1: "no militarized action", 2: "threat to use force", 3: "display of force", 4: "use of force",
                 5: "war"}

def ladder_hiact(scenario) -> dict[int, tuple[int, ...]]:
    """Rung -> the MID highest actions at which a dispute counts as having reached it (``ladder[r].mid_hiact``).

    A dispute reaches rung r when its highest action belongs to r or to any higher rung. The
    baseline's choice, following the codebook's groups, is explained in its ladder comments.
    """
    return {r: tuple(rung.mid_hiact) for r, rung in enumerate(scenario.ladder)}


def baseline_hiact() -> dict[int, tuple[int, ...]]:
    from sim import load_scenario
    return ladder_hiact(load_scenario("baseline"))


def data_dir(data: str | os.PathLike | None = None) -> Path:
    """The MID folder: ``data``, else ``$ESCALATE_MID_DATA``, else ``../shared/data/mid`` beside the project."""
    from experiments.data import data_folder
    return data_folder("mid", (DISPUTES_FILE, PARTICIPANTS_FILE), DATA_ENV, data)


def _codes(side: int | Iterable[int], name: str) -> set[int]:
    codes = {side} if isinstance(side, int) else set(side)
    if not codes or not all(isinstance(c, int) and not isinstance(c, bool) for c in codes):
        raise ValueError(f"{name}: expected Correlates of War codes (integers), got {side!r}")
    return codes


def disputes(side_a, side_b, since: int | None = None, until: int | None = None, *,
             data: str | os.PathLike | None = None) -> pd.DataFrame:
    """One row per dispute in which a state of ``side_a`` stood on the other side from a state of ``side_b``.

    States are Correlates of War codes (2 USA, 200 UK, 220 France, 365 Russia/USSR);
    ``since`` and ``until`` bound the start year (inclusive). Columns: ``dispnum``,
    ``styear``, ``endyear``, ``hostlev``, ``hiact``, ``fatality`` (codes of the codebook),
    ``maxdur``, ``outcome``, ``recip``, and ``states_a``, ``states_b``: the codes of each
    group found in the dispute.
    """
    a, b = _codes(side_a, "side_a"), _codes(side_b, "side_b")
    folder = data_dir(data)
    people = pd.read_csv(folder / PARTICIPANTS_FILE, usecols=["dispnum", "ccode", "sidea"])
    # every (state of side_a, state of side_b) pair in one dispute, kept when they stood on opposite sides
    pairs = people[people["ccode"].isin(a)].merge(people[people["ccode"].isin(b)], on="dispnum", suffixes=("_a", "_b"))
    pairs = pairs[pairs["sidea_a"] != pairs["sidea_b"]]
    pairs = pairs.groupby("dispnum").agg(states_a=("ccode_a", lambda c: sorted(set(c))),
                                         states_b=("ccode_b", lambda c: sorted(set(c)))).reset_index()
    table = pd.read_csv(folder / DISPUTES_FILE).rename(columns={"dispnum3": "dispnum"})
    rows = table.merge(pairs, on="dispnum", how="inner")[[*COLUMNS, "states_a", "states_b"]]
    rows[COLUMNS] = rows[COLUMNS].astype("Int64")  # codes and years; -9 (missing) stays as in the codebook
    if since is not None:
        rows = rows[rows["styear"] >= since]
    if until is not None:
        rows = rows[rows["styear"] <= until]
    return rows.sort_values(["styear", "dispnum"]).reset_index(drop=True)


def rung_of_hiact(hiact: pd.Series, mapping: Mapping[int, Iterable[int]] | None = None) -> pd.Series:
    """The ladder rung each highest-action code stands for (-1 for a code the mapping leaves out; default: baseline)."""
    mapping = baseline_hiact() if mapping is None else mapping
    lookup = {code: rung for rung, codes in mapping.items() for code in codes}
    return hiact.map(lambda code: lookup.get(int(code), -1)).astype(int)


def rung_shares(rows: pd.DataFrame, mapping: Mapping[int, Iterable[int]] | None = None,
                names: Iterable[str] | None = None) -> pd.DataFrame:
    """How many disputes reached each rung or higher, and their share (columns ``rung``, ``name``, ``disputes``, ``share``)."""
    mapping = baseline_hiact() if mapping is None else mapping
    rungs = rung_of_hiact(rows["hiact"], mapping)
    if (rungs < 0).any():
        unmapped = sorted(rows.loc[rungs < 0, "hiact"].unique())
        raise ValueError(f"highest actions {unmapped} have no rung in the mapping")
    names = list(names) if names is not None else [str(r) for r in sorted(mapping)]
    out = [{"rung": r, "name": names[i] if i < len(names) else str(r), "disputes": int((rungs >= r).sum()),
            "share": float((rungs >= r).mean()) if len(rows) else float("nan")}
           for i, r in enumerate(sorted(mapping))]
    return pd.DataFrame(out)
