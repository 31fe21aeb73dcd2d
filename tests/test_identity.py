"""What a run is called: the scenario's own name plus a stable tag of its overrides."""
import pytest

from experiments.naming import run_name, scenario_overrides
from sim.scenario.identity import MAX_TAG, file_scenario_name, override_items, override_tag, run_label


def test_a_run_without_overrides_is_named_by_its_scenario():
    assert run_label("baseline") == "baseline" and run_label("baseline", {}) == "baseline"


def test_overrides_tag_the_name_with_short_paths():
    assert run_label("baseline", {"leaders.putin.resolve": 1.2}) == "baseline+putin.resolve=1.2"
    assert run_label("baseline", {"mechanisms.coalition": False}) == "baseline+mechanisms.coalition=false"


def test_the_tag_does_not_depend_on_the_order_of_overrides():
    a = {"leaders.putin.resolve": 1.2, "states.DEU.coalition.deploy_threshold": 0.6, "horizon": 26}
    b = dict(reversed(list(a.items())))
    assert override_tag(a) == override_tag(b)
    assert override_items(a) == override_items(b) == sorted(override_items(a))


def test_a_long_tag_becomes_a_short_stable_hash():
    many = {f"states.S{i}.coalition.deploy_threshold": 0.5 + i / 100 for i in range(8)}
    tag = override_tag(many)
    assert len(tag) <= MAX_TAG and tag.startswith("8changes-") and tag == override_tag(dict(many))
    assert tag != override_tag({**many, "states.S0.coalition.deploy_threshold": 0.9})


@pytest.mark.parametrize("value", ["a/b", "x y", "../up"])
def test_tags_are_safe_in_a_directory_name(value):
    assert "/" not in override_tag({"name": value}) and " " not in override_tag({"name": value})


def test_the_hydra_resolver_and_the_manifest_agree(tmp_path):
    """The directory name (resolver) and the report's label come from the same overrides."""
    params = {"leaders": {"putin": {"resolve": 1.2}}}
    assert run_name("baseline", None, params, 26, None) == run_label("baseline", scenario_overrides(params, 26))
    assert run_name("baseline", None, {}, None, None) == "baseline"
    variant = tmp_path / "mine.yaml"
    variant.write_text("extends: baseline\nname: what_now\n")
    assert run_name("baseline", str(variant), {}, None, None) == "what_now"
    assert file_scenario_name(tmp_path / "missing.yaml") == "missing"
