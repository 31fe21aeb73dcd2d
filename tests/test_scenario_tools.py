"""`escalate-scenario` and the library functions under it: validate, show, diff, new, sources."""
from __future__ import annotations

import numpy as np
import pytest
import yaml

import sim
from experiments.scenario_cli import main
from experiments.authoring import diff, parameter_paths, reaction_core, scaffold, show
from sim.scenario.sources import assumption_summary, number_sources, split_comment
from sim.scenario.load import SCENARIO_DIR
from sim.scenario.build import build_scenario

from tests.conftest import linear_system, toy_raw

SHIPPED = sim.available_scenarios()


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# --- validate -----------------------------------------------------------------------

def test_validate_accepts_every_shipped_scenario(capsys):
    code, out, err = run(capsys, "validate", *[str(SCENARIO_DIR / f"{n}.yaml") for n in SHIPPED])
    assert code == 0 and err == ""
    assert f"{len(SHIPPED)} of {len(SHIPPED)} scenario files are valid" in out


def test_validate_reports_every_problem_of_every_file_and_exits_1(tmp_path, capsys):
    raw = toy_raw()
    raw["ladder"][2]["risk"] = 1.7
    raw["states"][0]["fatigeu"] = 1.0
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump(raw))
    variant = tmp_path / "variant.yaml"
    variant.write_text("extends: baseline\nname: v\nset:\n  leaders.putin.resolv: 1\n  states.RUSS.x0: 2\n")
    code, out, err = run(capsys, "validate", str(bad), str(variant), str(tmp_path / "missing.yaml"), "baseline")
    assert code == 1
    lines = err.splitlines()
    assert all(line.startswith("escalate-scenario: error: ") for line in lines)
    assert [l for l in lines if str(bad) in l and "ladder[2].risk" in l] and [l for l in lines if "fatigeu" in l]
    assert [l for l in lines if "set.leaders.putin.resolv" in l] and [l for l in lines if "set.states.RUSS" in l]
    assert [l for l in lines if "missing.yaml: scenario file not found" in l]
    assert len(lines) == 5 and "baseline: ok" in out and "1 of 4 scenario files are valid" in out


# --- show and the reaction core ---------------------------------------------------------

@pytest.mark.parametrize("name", SHIPPED)
def test_show_names_every_actor_leader_rung_and_event(capsys, name):
    s = sim.load_scenario(name)
    code, out, _ = run(capsys, "show", name)
    assert code == 0
    for record in (*s.states, *s.leaders, *s.ladder, *s.events):
        assert (getattr(record, "id", None) or record.name) in out
    assert ("stable" if reaction_core(s).stable else "UNSTABLE") in out
    assert f"Coalition members ({len(s.members)})" in out


def test_reaction_core_matches_the_two_actor_closed_form():
    # Richardson (1960): x1* = (a2 g1 + k12 g2) / (a1 a2 - k12 k21), stable iff a1 a2 > k12 k21
    raw = toy_raw(2)
    s = build_scenario(raw)
    (a1, a2), (k12, k21) = [st.fatigue for st in s.states], [r.k for r in s.reactions]
    g1, g2 = [st.grievance for st in s.states]
    core = reaction_core(s)
    det = a1 * a2 - k12 * k21
    np.testing.assert_allclose(core.equilibrium, [(a2 * g1 + k12 * g2) / det, (a1 * g2 + k21 * g1) / det])
    assert core.stable == (det > 0) and core.stable
    raw["reactions"][0]["k"] = raw["reactions"][1]["k"] = 1.0  # k12 k21 = 1 > a1 a2
    assert not reaction_core(build_scenario(raw)).stable


def test_reaction_core_is_the_tests_linear_system(baseline):
    plain = sim.load_scenario("baseline", ["mechanisms.deterrence=false", "mechanisms.alignment=false"])
    K, A, g = linear_system(plain)
    core = reaction_core(plain)
    np.testing.assert_array_equal(core.K, K)
    np.testing.assert_array_equal(core.A, A)
    np.testing.assert_array_equal(core.g, g)
    np.testing.assert_allclose((core.K - core.A) @ core.equilibrium + core.g, 0, atol=1e-12)


def test_the_baseline_starts_at_rest_with_deterrence_and_alignment(baseline):
    """Grievances are calibrated net of week-0 deterrence and SCO support: x0 is the core's equilibrium."""
    core = reaction_core(baseline)
    np.testing.assert_allclose(core.equilibrium, [st.x0 for st in baseline.states], atol=1e-3)


def test_show_flags_an_unstable_core():
    raw = toy_raw(2)
    raw["reactions"][0]["k"] = raw["reactions"][1]["k"] = 1.0
    assert "UNSTABLE" in show(build_scenario(raw))


# --- diff ---------------------------------------------------------------------------------

@pytest.mark.parametrize("name", SHIPPED)
def test_diff_against_baseline_lists_what_the_variant_sets(capsys, baseline, name):
    variant = sim.load_scenario(name)
    rows = diff(baseline, variant)
    raw = yaml.safe_load((SCENARIO_DIR / f"{name}.yaml").read_text())
    for path in raw.get("set") or {}:
        assert path in [r[0] for r in rows] or parameter_paths(baseline)[path] == raw["set"][path]
    appended = sum(len(v) for v in (raw.get("append") or {}).values())
    assert len([r for r in rows if r[1] is None]) >= appended
    assert [(p, b, a) for p, a, b in diff(variant, baseline)] == rows  # symmetric
    code, out, _ = run(capsys, "diff", "baseline", name)
    assert code == 0 and (name == "baseline") == ("no parameter differs" in out)


def test_diff_with_an_override_shows_exactly_that_parameter(capsys):
    code, out, _ = run(capsys, "diff", "baseline", "baseline", "--set-b", "leaders.putin.resolve=1.25")
    lines = out.splitlines()
    assert code == 0 and len(lines) == 3 and lines[2].split() == ["leaders.putin.resolve", "0.9", "1.25"]


def test_diff_of_a_bad_override_is_one_line_and_exit_2(capsys):
    code, out, err = run(capsys, "diff", "baseline", "baseline", "--set-b", "leaders.putin.resolv=1")
    assert code == 2 and len(err.splitlines()) == 1 and "did you mean 'resolve'" in err


# --- new ------------------------------------------------------------------------------------

def test_scaffold_validates_runs_and_changes_nothing_until_edited(tmp_path, capsys, baseline):
    out = tmp_path / "my_case.yaml"
    code, text, _ = run(capsys, "new", "my_case", "--from", "baseline", "--out", str(out))
    assert code == 0 and out.is_file()
    s = sim.load_scenario(out)
    assert s.name == "my_case"
    assert {r[0] for r in diff(baseline, s)} == {"name", "description"}
    result = sim.run_ensemble(s, replicates=8, seed=1)
    assert len(result.summary) == 8
    edited = out.read_text().replace("  # leaders.putin.resolve: 0.9", "  leaders.putin.resolve: 1.3", 1)
    assert edited != out.read_text()
    out.write_text(edited)
    assert [r[0] for r in diff(baseline, sim.load_scenario(out))] == ["name", "description", "leaders.putin.resolve"]
    assert run(capsys, "new", "my_case", "--out", str(out))[0] == 2  # never overwrites by accident


def test_scaffold_points_its_modeline_at_the_shipped_schema(tmp_path, baseline):
    from sim.scenario.schema import SCHEMA_FILE
    out = tmp_path / "deep" / "v.yaml"
    out.parent.mkdir()
    first = scaffold(baseline, "v", "baseline", out).splitlines()[0]
    assert first.startswith("# yaml-language-server: $schema=")
    assert (out.parent / first.split("$schema=")[1]).resolve() == SCHEMA_FILE.resolve()


# --- sources ------------------------------------------------------------------------------------

@pytest.mark.parametrize("comment, direction, size, assumed", [
    ("# direction: 'a provocation' (article); size: assumption", "'a provocation' (article)", "assumption", True),
    ("# direction: Fearon 1994; size: calibrated to x0", "Fearon 1994", "calibrated to x0", False),
    ("# 'measured but resolute' (article); size: assumption", "'measured but resolute' (article)", "assumption", True),
    ("# assumption: half-life ~1.7 weeks", "assumption: half-life ~1.7 weeks", "assumption: half-life ~1.7 weeks",
     True),
    ("# (article)", "(article)", "(article)", False),
])
def test_split_comment(comment, direction, size, assumed):
    from sim.scenario.sources import NumberSource
    assert split_comment(comment) == (direction, size)
    assert NumberSource("p", 1.0, "f", 1, comment.lstrip("# "), direction, size).assumed == assumed


def test_sources_of_a_small_file(tmp_path):
    path = tmp_path / "s.yaml"
    raw = toy_raw(2)
    text = yaml.safe_dump(raw, sort_keys=False)
    text = text.replace("horizon: 4", "horizon: 4  # direction: one season; size: assumption")
    text = text.replace("dt: 0.05", "dt: 0.05  # Euler step (calibrated against solve_ivp)")
    path.write_text(text)
    entries = {e.path: e for e in number_sources(path)}
    assert entries["horizon"].kind == "assumption" and entries["horizon"].direction == "one season"
    assert entries["dt"].kind == "calibrated"
    assert entries["states.S0.x0"].kind == "unsourced"
    summary = assumption_summary(entries.values())
    assert summary["numbers"] == len(entries) and summary["calibrated"] == 1
    assert summary["assumed"] == len(entries) - 1 and summary["assumed_share"] == pytest.approx(1 - 1 / len(entries))


@pytest.mark.parametrize("name", SHIPPED)
def test_sources_cover_the_numbers_of_the_resolved_scenario(capsys, name):
    s = sim.load_scenario(name)
    params = parameter_paths(s)
    entries = number_sources(name)
    assert entries and len({e.path for e in entries}) == len(entries)
    for e in entries:
        assert params[e.path] == pytest.approx(e.value), e.path  # the number the engine uses, not a stale one
        assert e.comment, f"{e.file}:{e.line} {e.path} has no source comment"
    code, out, _ = run(capsys, "sources", name)
    summary = assumption_summary(entries)
    assert code == 0 and f"{summary['numbers']} numbers" in out and f"assumed: {summary['assumed_share']:.0%}" in out


def test_a_variant_number_takes_the_variant_comment():
    entries = {e.path: e for e in number_sources("germany_joins")}
    assert entries["leaders.merz.resolve"].file.endswith("germany_joins.yaml")
    assert entries["leaders.merz.rationality"].file.endswith("baseline.yaml")
