"""Tools for writing scenarios: a readable summary, a parameter diff and a variant scaffold.

Plain functions over validated :class:`~sim.scenario.Scenario` objects; the
``escalate-scenario`` command prints what they return.
"""
from __future__ import annotations

import dataclasses
import json
import os
import textwrap
from pathlib import Path
from typing import Any, Iterable, Sequence

import numpy as np

from sim.scenario.spec import Scenario
from sim.scenario.schema import SCHEMA_FILE, range_text

ABSENT = "—"
WIDTH = 100


def table(headers: Sequence[str], rows: Iterable[Sequence[Any]], max_cell: int = 60) -> str:
    """A plain-text table, columns padded to their widest cell (numbers right-aligned, long text cut)."""
    rows = [[textwrap.shorten(_cell(v), max_cell, placeholder=" …") for v in row] for row in rows]
    widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(headers)]
    numeric = [bool(rows) and all(_is_number(r[i]) for r in rows) for i in range(len(headers))]

    def line(cells):
        return "  ".join(c.rjust(w) if num else c.ljust(w) for c, w, num in zip(cells, widths, numeric)).rstrip()
    return "\n".join([line(headers), line(["-" * w for w in widths])] + [line(r) for r in rows])


def _cell(value: Any) -> str:
    if isinstance(value, bool):
        return "on" if value else "off"
    if isinstance(value, float):
        return f"{value:.6g}"
    if isinstance(value, (list, tuple)):
        return ", ".join(_cell(v) for v in value) if value else "[]"
    return ABSENT if value is None else str(value)


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return text in (ABSENT, ".")
    return True


def _numbers(record: Any) -> list[dataclasses.Field]:
    """The numeric fields of a record, in schema order (new model keys appear by themselves)."""
    return [f for f in dataclasses.fields(record) if f.type in ("float", "int", float, int)]


# --- reaction core --------------------------------------------------------------

@dataclasses.dataclass(frozen=True)
class ReactionCore:
    """The deterministic Richardson core ``dx/dt = (K - A) x + g`` of a scenario."""

    K: np.ndarray
    A: np.ndarray
    g: np.ndarray

    @property
    def eigenvalues(self) -> np.ndarray:
        return np.linalg.eigvals(self.K - self.A)

    @property
    def stable(self) -> bool:
        """Stable iff every eigenvalue of ``K - A`` has a negative real part (Richardson 1960)."""
        return bool(np.all(self.eigenvalues.real < 0))

    @property
    def equilibrium(self) -> np.ndarray | None:
        """``x* = -(K - A)^-1 g``; None when ``K - A`` is singular."""
        try:
            return -np.linalg.solve(self.K - self.A, self.g)
        except np.linalg.LinAlgError:
            return None


def reaction_core(s: Scenario) -> ReactionCore:
    """K, A and g of the deterministic core at week 0, with the adversary's terms of docs/model.md eq. 1.

    Deterrence at the week-0 guarantee enters g; the SCO alignment is linear in the partners'
    levels, so it enters K. Decisions, deployments and noise are left out.
    """
    from sim.engine.pack import compile_params  # loads no Numba
    p = compile_params(s)
    n = len(s.states)
    K = np.zeros((n, n))
    for r in s.reactions:
        K[s.index(r.actor), s.index(r.responds_to)] += r.k
    g = np.array([st.grievance for st in s.states])
    adversary = s.index(s.roles.adversary)
    if s.mechanisms.deterrence:
        g[adversary] -= s.deterrence.drift * s.domestic.guarantee0 * p.balance
    partners = np.flatnonzero(p.aligned)
    if s.mechanisms.alignment and len(partners):
        K[adversary, partners] += s.alignment.weight / len(partners) / p.threat_scale
    return ReactionCore(K, np.diag([st.fatigue for st in s.states]), g)


# --- show ---------------------------------------------------------------------------

def show(s: Scenario) -> str:
    """A readable summary of a validated scenario."""
    out = [f"scenario {s.name}  ({s.source})", textwrap.fill(s.description, WIDTH),
           f"horizon: {s.steps} steps of {s.dt:g} week(s)", ""]
    blocs: dict[str, list[str]] = {}
    for st in s.states:
        blocs.setdefault(st.bloc, []).append(f"{st.id} {st.name}")
    out += ["Actors by bloc"] + [textwrap.fill(f"{bloc} ({len(ids)}): " + ", ".join(ids), WIDTH, initial_indent="  ",
                                               subsequent_indent="    ") for bloc, ids in blocs.items()]
    out += ["", f"Roles: adversary {s.roles.adversary}, guarantor {s.roles.guarantor}, "
                f"coalition lead {s.roles.coalition_lead}"]
    if s.leaders:
        fields = _numbers(s.leaders[0])
        out += ["", "Leaders", table(["id", "name", "state"] + [f.name for f in fields] + ["targets", "actions"],
                                     [[ld.id, ld.name, ld.state] + [getattr(ld, f.name) for f in fields]
                                      + [ld.targets, len(ld.actions) or "all"] for ld in s.leaders])]
    out += ["", "Reaction matrix k (row reacts to column; '.' = 0)", _reaction_table(s)]
    out += ["", "Ladder", table(["rung", "name", "threshold", "risk/week"],
                                [[i, r.name, r.threshold, r.risk] for i, r in enumerate(s.ladder)])]
    members = [st for st in s.states if st.coalition is not None]
    if members:
        fields = _numbers(members[0].coalition)
        out += ["", f"Coalition members ({len(members)})",
                table(["id", "name"] + [f.name for f in fields],
                      [[st.id, st.name] + [getattr(st.coalition, f.name) for f in fields] for st in members])]
    if s.events:
        out += ["", "Scheduled events", table(["week", "name", "target", "op", "value", "probability"],
                                              [[e.week, e.name, e.target, e.op, e.value, e.probability]
                                               for e in s.events])]
    out += ["", "Mechanisms: " + ", ".join(f"{f.name} {_cell(getattr(s.mechanisms, f.name))}"
                                            for f in dataclasses.fields(s.mechanisms))]
    out += ["", _core_text(s)]
    return "\n".join(out)


def _reaction_table(s: Scenario) -> str:
    core = reaction_core(s)
    rows = [i for i in range(len(s.states)) if core.K[i].any()]
    cols = [j for j in range(len(s.states)) if core.K[:, j].any()]
    if not rows:
        return "  (no reactions)"
    return table([""] + [s.states[j].id for j in cols],
                 [[s.states[i].id] + [f"{core.K[i, j]:g}" if core.K[i, j] else "." for j in cols] for i in rows])


def _core_text(s: Scenario) -> str:
    core = reaction_core(s)
    eig = core.eigenvalues
    head = (f"Reaction core dx/dt = (K - A) x + g: {'stable' if core.stable else 'UNSTABLE'} "
            f"(real parts of the eigenvalues of K - A from {eig.real.min():.4g} to {eig.real.max():.4g})")
    x = core.equilibrium
    if x is None:
        return head + "\n  K - A is singular: no unique equilibrium"
    return head + "\nEquilibrium x* = -(K - A)^-1 g (rung of x*)\n" + table(
        ["id", "x0", "x*", "rung"], [[st.id, st.x0, float(x[i]), _rung(s, x[i])] for i, st in enumerate(s.states)])


def _rung(s: Scenario, level: float) -> str:
    names = [r.name for r in s.ladder if level >= r.threshold]
    return names[-1] if names else "below the ladder"


# --- diff -----------------------------------------------------------------------------

def parameter_paths(value: Any, prefix: str = "") -> dict[str, Any]:
    """Every parameter of a scenario as dotted path -> value, records by id or name as in ``set:``."""
    if dataclasses.is_dataclass(value):
        out: dict[str, Any] = {}
        for f in dataclasses.fields(value):
            if f.name != "source":
                out.update(parameter_paths(getattr(value, f.name), f"{prefix}{f.name}."))
        return out
    if isinstance(value, tuple) and value and dataclasses.is_dataclass(value[0]):
        keys = [_record_key(r) for r in value]
        if len(set(keys)) < len(keys):  # duplicate names (events may share one): by position
            keys = [str(i) for i in range(len(value))]
        out = {}
        for key, record in zip(keys, value):
            out.update(parameter_paths(record, f"{prefix}{key}."))
        return out
    return {prefix.rstrip("."): list(value) if isinstance(value, tuple) else value}


def _record_key(record: Any) -> str:
    for attr in ("id", "name"):
        if hasattr(record, attr):
            return str(getattr(record, attr))
    return ""


def diff(a: Scenario, b: Scenario) -> list[tuple[str, Any, Any]]:
    """(path, value in a, value in b) for every parameter that differs; absent values are None."""
    pa, pb = parameter_paths(a), parameter_paths(b)
    # by section in schema order, then by path: the same order whichever scenario comes first
    sections = [f.name for f in dataclasses.fields(Scenario)]
    rank = {name: i for i, name in enumerate(sections)}
    order = sorted(set(pa) | set(pb), key=lambda k: (rank.get(k.split(".")[0], len(sections)), k))
    missing = object()
    rows = []
    for path in order:
        va, vb = pa.get(path, missing), pb.get(path, missing)
        if va != vb:
            rows.append((path, None if va is missing else va, None if vb is missing else vb))
    return rows


def diff_table(a: Scenario, b: Scenario) -> str:
    rows = diff(a, b)
    if not rows:
        return f"{a.name} and {b.name}: no parameter differs"
    return table(["path", f"A: {a.name}", f"B: {b.name}"], rows)


# --- scaffold ----------------------------------------------------------------------------

def _schema_ref(out: Path) -> str:
    try:
        return os.path.relpath(SCHEMA_FILE, Path(out).resolve().parent)
    except ValueError:  # another drive
        return str(SCHEMA_FILE)


def _commented(path: str, value: Any, field: dataclasses.Field) -> str:
    line = f"  # {path}: {json.dumps(value)}"
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return line
    rng = f"  (range {range_text(field)})" if range_text(field) else ""
    return line.ljust(58) + f"# direction: ...; size: ...{rng}"


def scaffold(base: Scenario, name: str, extends: str, out: Path) -> str:
    """The text of a variant of ``base`` named ``name``: it changes nothing until a line is uncommented."""
    lines = [f"# yaml-language-server: $schema={_schema_ref(out)}",
             f"# {name}: a variant of {base.name}. Uncomment and edit the lines you change; give every number a",
             "# source comment 'direction: <why it pushes this way>; size: <where the value comes from>'",
             "# ('assumption' when it is one). Check it with: escalate-scenario validate " + str(out),
             f"extends: {extends}",
             f"name: {name}",
             "description: >-",
             f"  What differs from {base.name}, in a sentence or two.",
             "",
             "# Dotted paths as on the command line; records by id (states, leaders) or name.",
             f"# Current values are those of {base.name}.",
             "set:"]
    for section in dataclasses.fields(base):
        value = getattr(base, section.name)
        if dataclasses.is_dataclass(value):
            lines += [_commented(f"{section.name}.{f.name}", getattr(value, f.name), f)
                      for f in dataclasses.fields(value)]
    for leader in base.leaders:
        lines += [_commented(f"leaders.{leader.id}.{f.name}", getattr(leader, f.name), f) for f in _numbers(leader)]
    for st in base.states:
        if st.coalition is not None:
            lines += [_commented(f"states.{st.id}.coalition.{f.name}", getattr(st.coalition, f.name), f)
                      for f in _numbers(st.coalition) if f.name in ("commitment0", "deploy_threshold")]
    week = max(1, base.steps // 4)
    lines += ["",
              "# Records added after the base's: events, states, leaders, reactions, actions, factions.",
              "append:",
              "  events: []",
              "  # events:                  # replace the line above with a list like this one",
              f"  #   - {{week: {week}, name: Talks open, target: states.{base.roles.adversary}.grievance, op: add, "
              f"value: -0.1}}   # direction: ...; size: assumption",
              ""]
    return "\n".join(lines)
