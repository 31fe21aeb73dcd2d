"""The answer first: plain sentences generated from a run's headline or a sweep table's numbers.

Reports open with these sentences and the terminal prints them, so a reader learns
the result before the machinery. Every number in a sentence is also in a table or
card of the same report, formatted by the same function (``percent``).
"""
from __future__ import annotations

import math
from typing import TYPE_CHECKING, Mapping, Sequence

import pandas as pd

if TYPE_CHECKING:
    from .views.cast import Cast


def _cast(cast: Cast | None) -> Cast:
    # Imported on use: the terminal's headline line needs no names, and the views package loads Plotly.
    from .views.cast import Cast
    return cast or Cast()


def percent(p, digits: int | None = None) -> str:
    """A probability as a percentage: one decimal below 10% (where a point matters), none above."""
    try:
        p = float(p)
    except (TypeError, ValueError):
        return "–"
    if math.isnan(p):
        return "–"
    if digits is None:
        digits = 0 if p >= 0.1 or p == 0 else 1
    return f"{100 * p:.{digits}f}%"


def interval(lo, hi, digits: int | None = None) -> str:
    return f"95% CI {percent(lo, digits)}–{percent(hi, digits)}"


def run_answer(manifest: Mapping, rung_names: Sequence[str] = (), cast: Cast | None = None) -> str:
    """One or two sentences on a run: P(clash) with its interval and cause, highest rung, deployments.

    The ``cast`` (:func:`sim.report.views.cast.cast_of` of the stored scenario) names the adversary.
    """
    h = manifest.get("headline") or {}
    horizon = manifest.get("horizon", manifest.get("steps", "?"))
    if "p_clash" not in h:
        return "This run recorded no headline numbers."
    text = (f"{_cast(cast).clash_probability(horizon)} is {percent(h['p_clash'], 1)} "
            f"({interval(h.get('p_clash_lo'), h.get('p_clash_hi'), 1)})")
    if "p_clash_incident" in h and "p_clash_deliberate" in h:
        text += (f": {percent(h['p_clash_incident'], 1)} of replicates by incident and "
                 f"{percent(h['p_clash_deliberate'], 1)} by deliberate attack")
    text += "."
    rung = h.get("median_max_rung")
    if rung is not None and not math.isnan(float(rung)):
        name = rung_names[int(rung)] if 0 <= int(rung) < len(rung_names) else ""
        text += f" In the median replicate the highest rung reached is {int(rung)}" + (f" ({name})" if name else "")
        if h.get("median_deployed_peak") is not None:
            text += f" and {float(h['median_deployed_peak']):.0f} coalition members deploy at the peak"
        text += "."
    return text


def headline_line(manifest: Mapping) -> str:
    """The terminal's one line for a run, like a sweep job's: P(clash) [interval], median rung, deployed."""
    h = manifest.get("headline") or {}
    label = manifest.get("label") or manifest.get("scenario")
    return (f"{label}: P(clash) {h.get('p_clash', math.nan):.3f} [{h.get('p_clash_lo', math.nan):.3f}, "
            f"{h.get('p_clash_hi', math.nan):.3f}] (incident {h.get('p_clash_incident', math.nan):.3f}, "
            f"deliberate {h.get('p_clash_deliberate', math.nan):.3f}); median highest rung "
            f"{h.get('median_max_rung', math.nan):.0f}; median deployed at peak {h.get('median_deployed_peak', math.nan):.0f}"
            f"; {manifest.get('replicates', '?')} replicates, {manifest.get('horizon', '?')} weeks")


# --- sweeps ---------------------------------------------------------------------

def effect_table(frame: pd.DataFrame, params: Sequence[str], labels: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Per swept parameter: P(clash) pooled at its lowest and highest value, and its range across all its values.

    ``effect`` (the range, max - min of the pooled marginal) is what the effect-size
    bar draws; rows are ordered largest effect first.
    """
    from sim.report.views.sweep import pool
    rows = []
    for param in params:
        marginal = pool(frame, [param]).sort_values(param)
        if len(marginal) < 2:
            continue
        first, last = marginal.iloc[0], marginal.iloc[-1]
        top, bottom = marginal.loc[marginal["p_clash"].idxmax()], marginal.loc[marginal["p_clash"].idxmin()]
        rows.append({"param": param, "label": (labels or {}).get(param, param),
                     "low_value": first[param], "high_value": last[param],
                     "p_low": first["p_clash"], "p_low_lo": first["p_clash_lo"], "p_low_hi": first["p_clash_hi"],
                     "p_high": last["p_clash"], "p_high_lo": last["p_clash_lo"], "p_high_hi": last["p_clash_hi"],
                     "p_min": bottom["p_clash"], "p_min_lo": bottom["p_clash_lo"], "p_min_hi": bottom["p_clash_hi"],
                     "p_max": top["p_clash"], "p_max_lo": top["p_clash_lo"], "p_max_hi": top["p_clash_hi"],
                     "at_min": bottom[param], "at_max": top[param],
                     "effect": top["p_clash"] - bottom["p_clash"]})
    columns = ["param", "label", "low_value", "high_value", "p_low", "p_low_lo", "p_low_hi", "p_high", "p_high_lo",
               "p_high_hi", "p_min", "p_min_lo", "p_min_hi", "p_max", "p_max_lo", "p_max_hi", "at_min", "at_max", "effect"]
    return pd.DataFrame(rows, columns=columns).sort_values("effect", ascending=False, kind="stable") \
        .reset_index(drop=True)


def value_text(value) -> str:
    try:
        return format(float(value), ".3g")  # binned values are bin midpoints: no false precision
    except (TypeError, ValueError):
        return str(value)


def points(p: float) -> str:
    """A difference of probabilities in percentage points."""
    return f"{100 * p:.0f}" if abs(p) >= 0.01 else f"{100 * p:.1f}"


def sweep_answer(frame: pd.DataFrame, params: Sequence[str], labels: Mapping[str, str] | None = None,
                 horizon=None, cast: Cast | None = None) -> str:
    """One or two sentences: how the largest effect moves P(clash), and how far the others move it at most."""
    from sim.report.views.sweep import pool
    outcome = _cast(cast).clash_probability(horizon if horizon is not None else "the horizon's")
    effects = effect_table(frame, params, labels)
    if effects.empty:
        by_scenario = pool(frame, ["scenario"]).sort_values("p_clash")
        if by_scenario.empty:
            return "No point of this sweep finished."
        low, high = by_scenario.iloc[0], by_scenario.iloc[-1]
        if len(by_scenario) == 1:
            return f"{outcome} is {percent(low.p_clash)} ({interval(low.p_clash_lo, low.p_clash_hi)}) in {low.scenario}."
        return (f"{outcome} ranges from {percent(low.p_clash)} ({interval(low.p_clash_lo, low.p_clash_hi)}) in "
                f"{low.scenario} to {percent(high.p_clash)} ({interval(high.p_clash_lo, high.p_clash_hi)}) in "
                f"{high.scenario}.")
    top = effects.iloc[0]
    if {top.at_min, top.at_max} == {top.low_value, top.high_value}:  # extremes at the ends of the range
        verb = "rises" if top.p_high > top.p_low else "falls" if top.p_high < top.p_low else "stays"
        text = (f"{outcome} {verb} from {percent(top.p_low)} ({interval(top.p_low_lo, top.p_low_hi)}) to "
                f"{percent(top.p_high)} ({interval(top.p_high_lo, top.p_high_hi)}) as {top.label} goes from "
                f"{value_text(top.low_value)} to {value_text(top.high_value)}")
    else:
        text = (f"{outcome} ranges from {percent(top.p_min)} ({interval(top.p_min_lo, top.p_min_hi)}) at "
                f"{top.label} = {value_text(top.at_min)} to {percent(top.p_max)} "
                f"({interval(top.p_max_lo, top.p_max_hi)}) at {value_text(top.at_max)}")
    others = effects.iloc[1:4]
    if len(others):
        text += "; " + ", ".join(f"{r.label} moves it by at most {points(r.effect)} points" for r in others.itertuples())
        if len(effects) > 4:
            text += f"; the {len(effects) - 4} other parameters move it less"
    return text + "."
