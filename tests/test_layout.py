"""The kernel's array layout: blocks with named rows, CSR groups in scenario order."""
from dataclasses import replace

import numpy as np
import pytest

import sim
from sim.engine.pack import compile_params, expanded_events
from sim.engine.kernel import init_workspace, new_workspace
from sim.engine.layout import E_ID, FATIGUE, LEVEL


def test_reactions_grouped_by_reacting_state_in_scenario_order(baseline):
    p = compile_params(baseline)
    for i, actor in enumerate(baseline.actor_ids):
        listed = [(baseline.index(r.responds_to), r.k) for r in baseline.reactions if r.actor == actor]
        group = slice(p.react_ptr[i], p.react_ptr[i + 1])
        assert list(zip(p.react_src[group].tolist(), p.react_k[group].tolist())) == listed


def test_events_grouped_by_week_keep_list_order_and_index():
    s = sim.load_scenario("baseline")
    events = (replace(s.events[0], week=4), *s.events[1:], replace(s.events[0], week=1, value=0.2))
    s = replace(s, events=events)
    p = compile_params(s)
    expanded = expanded_events(s)  # a wildcard event becomes one per member, each with its own id
    assert len(expanded) == len(events) - 1 + len(s.members)
    for week in range(s.horizon + 1):
        ids = p.event_code[E_ID, p.event_ptr[week]:p.event_ptr[week + 1]].tolist()
        assert ids == [e for e, ev, *_ in expanded if ev.week == week]


def test_named_rows_are_views(baseline):
    p = compile_params(baseline)
    np.testing.assert_array_equal(p.fatigue, [st.fatigue for st in baseline.states])
    assert np.shares_memory(p.fatigue, p.state) and np.array_equal(p.fatigue, p.state[FATIGUE])
    assert p.adversary == baseline.index("RUS") and isinstance(p.adversary, int)
    ws = new_workspace(p)
    init_workspace(p, ws, 1, 0)
    ws.x[3] = 9.5  # writes through to the block the kernel reads
    assert ws.state[LEVEL, 3] == 9.5
    ws.guarantee[0] = 0.25
    assert ws.us[0] == 0.25
    with pytest.raises(AttributeError, match="no field"):
        p.no_such_parameter
