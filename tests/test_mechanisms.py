"""Comparative statics: every mechanism moves outcomes the way its literature says, and a weight of 0 removes it.

Each comparison runs two ensembles with the same seed: the counter-based generator
gives replicate r the same draws in both (common random numbers), so the paired
difference has a small standard error and "removes it" means bit-identical summaries.
Claims are checked at a margin of several standard errors (docs/model.md, "Validity").
"""
import numpy as np
import pandas as pd
import pytest

import sim
import sim.scenario.load

N = 3000
SEED = 20250904
MARGIN = 4.0  # standard errors


def summary(name="baseline", overrides=(), n=N, seed=SEED) -> pd.DataFrame:
    return sim.run_ensemble(sim.load_scenario(name, list(overrides)), n, seed).summary


def paired(a: pd.Series, b: pd.Series) -> tuple[float, float]:
    """Mean of b - a over common replicates and its standard error."""
    d = b.to_numpy(float) - a.to_numpy(float)
    return float(d.mean()), float(d.std(ddof=1) / np.sqrt(len(d)))


def assert_higher(low: pd.Series, high: pd.Series):
    mean, se = paired(low, high)
    assert mean > MARGIN * se and mean > 0, (mean, se)


def assert_identical(a: pd.DataFrame, b: pd.DataFrame, *, apart_from=()):
    """Bit-identical outcomes (``apart_from``: columns that differ by construction, such as the input varied)."""
    pd.testing.assert_frame_equal(a.drop(columns=list(apart_from)), b.drop(columns=list(apart_from)))


def members(overrides_of):
    s = sim.load_scenario("baseline")
    return [f"states.{m}.coalition.{key}={value}" for m in s.members for key, value in overrides_of.items()]


# --- deterrence (Leeds 2003; Fuhrmann & Sechser 2014; Huth 1988) ---------------------

FROZEN = ["mechanisms.coalition=false", "mechanisms.domestic=false"]


def test_a_credible_guarantee_deters_the_adversary():
    weak = summary(overrides=FROZEN + ["domestic.guarantee0=0.2"])
    firm = summary(overrides=FROZEN + ["domestic.guarantee0=0.9"])
    assert_higher(firm["max_rung_RUS"], weak["max_rung_RUS"])
    assert_higher(firm["clash"], weak["clash"])


@pytest.mark.parametrize("off", [["deterrence.drift=0", "deterrence.action_cost=0"], ["mechanisms.deterrence=false"]])
def test_without_deterrence_the_guarantee_does_not_restrain(off):
    # coalition and domestic politics frozen: the guarantee can act only through deterrence
    weak = summary(overrides=FROZEN + off + ["domestic.guarantee0=0.2"], n=500)
    firm = summary(overrides=FROZEN + off + ["domestic.guarantee0=0.9"], n=500)
    assert_identical(weak, firm, apart_from=["us_guarantee_final"])


def test_backstop_shows_both_channels():
    """The backstop emboldens allies (more deploy) and restrains Russia (lower rungs at the same deployment)."""
    base, backstop = summary(), summary("us_backstop")
    assert_higher(base["deployed_peak"], backstop["deployed_peak"])
    no_deter = ["mechanisms.deterrence=false"]
    assert_higher(summary("us_backstop")["max_rung_RUS"], summary("us_backstop", no_deter)["max_rung_RUS"])


# --- the clash hazard -----------------------------------------------------------

def test_a_clash_needs_no_deployment():
    assert summary("no_us_guarantee")["clash"].mean() > 0.05
    no_coalition = summary(overrides=["mechanisms.coalition=false"])
    assert no_coalition["clash"].mean() > 0.05
    assert (no_coalition["clash_cause"] != "deliberate").all()  # nothing deployed to strike


def test_deployed_forces_raise_the_incident_hazard():
    scale = [f"ladder.{r}.deployed_risk=0" for r in range(9)]
    assert_higher(summary(overrides=scale)["clash"], summary()["clash"])


def test_no_deliberate_strike_without_decisions():
    s = summary(overrides=["mechanisms.decisions=false"])
    assert (s["clash_cause"] != "deliberate").all()
    assert s["clash"].any()
    # rungs that take force are reached only by a leader's kinetic choice
    assert s["max_rung_RUS"].max() < sim.load_scenario("baseline").ladder.index(
        next(r for r in sim.load_scenario("baseline").ladder if r.kinetic))


def test_causes_add_up():
    s = summary()
    assert set(s["clash_cause"].unique()) <= {"none", "incident", "deliberate"}
    assert ((s["clash_cause"] != "none") == s["clash"]).all()
    assert ((s["clash_week"] >= 1) == s["clash"]).all()


# --- conditional commitments ---------------------------------------------------

LOW_G = ["mechanisms.domestic=false", "domestic.guarantee0=0.2"]


def test_with_a_low_guarantee_dependent_members_deploy_less():
    dependent = summary(overrides=LOW_G + members({"us_dependence": 0.9}))
    independent = summary(overrides=LOW_G + members({"us_dependence": 0.2}))
    assert_higher(dependent["deployed_peak"], independent["deployed_peak"])


def test_dependence_does_nothing_when_the_guarantee_suffices_or_weighs_nothing():
    enough = ["mechanisms.domestic=false", "domestic.guarantee0=1.0"]
    assert_identical(summary(overrides=enough + members({"us_dependence": 0.9}), n=500),
                     summary(overrides=enough + members({"us_dependence": 0.2}), n=500))
    unweighted = LOW_G + ["coalition.guarantee_weight=0"]
    assert_identical(summary(overrides=unweighted + members({"us_dependence": 0.9}), n=500),
                     summary(overrides=unweighted + members({"us_dependence": 0.2}), n=500))


# --- strategic autonomy (Melnik) ----------------------------------------------

def test_autonomy_makes_europe_act_without_the_guarantee():
    with_motive = summary("no_us_guarantee")
    without = summary("no_us_guarantee", ["coalition.autonomy_weight=0"])
    assert_higher(without["deployed_peak"], with_motive["deployed_peak"])


def test_autonomy_does_nothing_under_a_full_guarantee():
    full = ["mechanisms.domestic=false", "domestic.guarantee0=1.0"]
    assert_identical(summary(overrides=full, n=500), summary(overrides=full + ["coalition.autonomy_weight=0"], n=500))


# --- the guarantee from US domestic politics -------------------------------------

FACTIONS = ("nationalists", "establishment", "democrats")


def factions(support, **extra):
    return [f"factions.{f}.{key}={value}" for f in FACTIONS for key, value in {"support": support, **extra}.items()]


def test_an_isolationist_us_ends_with_a_weaker_guarantee():
    isolationist = summary(overrides=factions(0.0))
    assert_higher(isolationist["us_guarantee_final"], summary()["us_guarantee_final"])


def test_mean_support_moves_the_guarantee_only_through_its_weight():
    # every faction agrees and stays put in both runs, so cohesion is 1 in both: only mean support differs
    still = dict(noise=0.0, threat_response=0.0, resolution_response=0.0)
    assert_higher(summary(overrides=factions(0.1, **still))["us_guarantee_final"],
                  summary(overrides=factions(0.9, **still))["us_guarantee_final"])
    off = ["domestic.support_weight=0"]
    assert_identical(summary(overrides=off + factions(0.1, **still), n=500),
                     summary(overrides=off + factions(0.9, **still), n=500))


def test_bipartisan_resolutions_cut_both_ways():
    """Backing resolutions with Democrats splits the party: lower cohesion costs capital (the double-edged sword)."""
    always = ["leaders.trump.actions=[bipartisan_resolution]"]
    split = summary(overrides=always)
    no_response = summary(overrides=always + [f"factions.{f}.resolution_response=0" for f in FACTIONS])
    assert_higher(split["us_capital_final"], no_response["us_capital_final"])


# --- resolve and audience costs (Fearon 1994) ------------------------------------

def test_resolve_raises_the_adversary_escalation():
    soft = summary(overrides=["leaders.putin.resolve=0.3"])
    hard = summary(overrides=["leaders.putin.resolve=1.5"])
    assert_higher(soft["max_rung_RUS"], hard["max_rung_RUS"])
    assert_higher(soft["clash"], hard["clash"])


def _utilities(overrides, level):
    """Putin's utilities with Russia's level set to ``level``."""
    model = sim.EscalationModel(sim.load_scenario("baseline", overrides), seed=1)
    model.workspace.x[model.scenario.index("RUS")] = level
    names = model.action_names
    return dict(zip(names, model.action_utilities(next(i for i, ld in enumerate(model.scenario.leaders)
                                                        if ld.id == "putin"))))


def test_resolve_never_pulls_toward_de_escalation():
    # far above its equilibrium, Russia is pulled down: resolve must not change that pull
    soft, hard = _utilities(["leaders.putin.resolve=0.3"], 9.0), _utilities(["leaders.putin.resolve=1.5"], 9.0)
    assert soft == hard
    # under pressure (below equilibrium), resolve raises escalation and the cost of backing down
    soft, hard = _utilities(["leaders.putin.resolve=0.3"], 0.0), _utilities(["leaders.putin.resolve=1.5"], 0.0)
    assert hard["limited_strike"] - hard["hold"] > soft["limited_strike"] - soft["hold"]
    assert hard["de_escalate"] - hard["hold"] < soft["de_escalate"] - soft["hold"]


def test_public_pledges_last_and_macron_pledges_at_week_0():
    model = sim.EscalationModel(sim.load_scenario("baseline"), seed=3)
    macron = next(a for a in model.leaders if a.leader_id == "macron")
    assert macron.pledged >= 1.0
    history = []
    for _ in range(model.scenario.horizon):
        model.step()
        history.append([leader.pledged for leader in model.leaders])
    assert (np.diff(np.array(history), axis=0) >= 0).all()  # never forgotten


def test_audience_costs_make_backing_down_costlier_after_a_pledge():
    plain = _utilities(["events=[]"], 3.4)
    pledged = _utilities(["events=[{week: 0, target: leaders.putin.pledged, value: 2.0}]"], 3.4)
    assert pledged["de_escalate"] < plain["de_escalate"]
    assert pledged["hold"] == plain["hold"]
    free = ["leaders.putin.audience_cost=0"]
    assert _utilities(free + ["events=[]"], 3.4) == _utilities(
        free + ["events=[{week: 0, target: leaders.putin.pledged, value: 2.0}]"], 3.4)


# --- China and the SCO ---------------------------------------------------------

# Decisions off and the US indifferent to China: a shock to China's hostility can reach
# Russia only through the SCO alignment channel.
ISOLATED = ["mechanisms.decisions=false", "reactions.8.k=0"]


def _russia_level(overrides, replicates=200):
    s = sim.load_scenario("baseline", overrides)
    rus = s.index("RUS")
    return np.array([sim.simulate(s, SEED, r)[-1, rus] for r in range(replicates)])


def test_sco_alignment_carries_chinas_hostility_to_russia():
    s = sim.load_scenario("baseline")
    assert s.reactions[8].actor == "USA" and s.reactions[8].responds_to == "CHN"
    shock = [f"states.CHN.grievance={s.states[s.index('CHN')].grievance + 1.0}"]
    calm, hostile = _russia_level(ISOLATED), _russia_level(ISOLATED + shock)
    d = hostile - calm
    assert d.mean() > MARGIN * d.std(ddof=1) / np.sqrt(len(d))
    off = ["alignment.weight=0"]
    np.testing.assert_array_equal(_russia_level(ISOLATED + off), _russia_level(ISOLATED + off + shock))


# --- ablations ------------------------------------------------------------------

@pytest.mark.parametrize("switch, weights", [
    ("mechanisms.alignment=false", ["alignment.weight=0"]),
    ("mechanisms.deterrence=false", ["deterrence.drift=0", "deterrence.action_cost=0"]),
])
def test_a_switch_is_its_weights_at_zero(switch, weights):
    assert_identical(summary(overrides=[switch], n=500), summary(overrides=weights, n=500))


# --- de-escalation -----------------------------------------------------------------

def test_some_baseline_replicates_de_escalate():
    assert summary()["deescalated"].mean() > 0.01


def test_a_ceasefire_condition_holds_deployments_back():
    s = summary("ceasefire")
    base = summary()
    assert_higher(s["deployed_peak"], base["deployed_peak"])
    waited = s[s["ceasefire_week"] < 0]
    assert (waited["deployed_peak"] == 0).all() and len(waited) > 0


# --- time: rates per week whatever dt is ----------------------------------------------

def test_dt_alone_keeps_the_horizon_and_the_answer():
    """Weeks stay weeks: dt = 0.5 and 0.25 keep 52 weeks, and P(clash) converges (sampling + discretisation)."""
    n = 4000
    p = {}
    for dt in (1.0, 0.5, 0.25):
        s = sim.load_scenario("baseline", [f"dt={dt}"])
        assert s.horizon == 52 and s.steps == round(52 / dt)
        out = sim.run_ensemble(s, n, SEED).summary
        assert out["clash_week"].max() <= 52 and out[[c for c in out if c.startswith("first_week")]].max().max() <= 52
        p[dt] = out["clash"].mean()
    se = np.sqrt(2 * 0.25 / n)  # two independent estimates, p(1 - p) <= 1/4
    for dt in (0.5, 0.25):
        assert abs(p[dt] - p[1.0]) < 3 * se + 0.03, p


# --- rungs mean what actors did ------------------------------------------------------

def test_a_kinetic_rung_follows_a_kinetic_choice():
    s = sim.load_scenario("russia_resolute")
    kinetic_rung = next(r for r, rung in enumerate(s.ladder) if rung.kinetic)
    kinetic = {a.name for a in s.actions if a.kinetic}
    reached = 0
    for replicate in range(12):
        model = sim.EscalationModel(s, seed=SEED, replicate=replicate).run()
        ev = model.events
        struck = ev[(ev["actor"] == "RUS") & (ev["kind"] == "action")
                    & ev["detail"].str.split(": ").str[1].isin(kinetic)]["week"]
        frame = model.datacollector.get_agenttype_vars_dataframe(sim.model.StateAgent).reset_index()
        high = frame[(frame["actor"] == "RUS") & (frame["rung"] >= kinetic_rung)]["Step"]
        if len(high):
            reached += 1
            assert len(struck) and struck.min() <= high.min()
    assert reached > 0


# --- a headline not on a knife edge ------------------------------------------------

@pytest.mark.parametrize("weight", ["threat_weight", "lead_weight", "guarantee_weight"])
def test_the_headline_is_not_a_knife_edge(weight):
    """A 20% change of a coalition weight moves P(clash) by well under 20% of itself (elasticity < 1)."""
    value = getattr(sim.load_scenario("baseline").coalition, weight)
    base = summary()["clash"].mean()
    low = summary(overrides=[f"coalition.{weight}={0.8 * value}"])["clash"].mean()
    high = summary(overrides=[f"coalition.{weight}={1.2 * value}"])["clash"].mean()
    assert abs(high - low) / (0.4 * base) < 1.0


# --- provenance ------------------------------------------------------------------------

def test_sizes_the_article_never_gives_are_not_tagged_as_the_article():
    text = (sim.scenario.load.SCENARIO_DIR / "baseline.yaml").read_text(encoding="utf-8")
    dependence = [line for line in text.splitlines() if line.strip().startswith("us_dependence:")]
    assert len(dependence) == len(sim.load_scenario("baseline").members)
    assert all("size: assumption" in line for line in dependence)
    # the article names no member that reconsiders: no event singles one out
    events = sim.load_scenario("baseline").events
    assert not any(ev.target.startswith("states.") and ".coalition." in ev.target and "*" not in ev.target
                   for ev in events)
