"""The weekly step written as a Mesa model in plain Python: what the kernel is measured against.

This is the model as one would write it without the Numba kernel: agents with their
own methods and attributes, Python floats and lists, and the counter-based generator
of docs/model.md (7.9) re-implemented with Python integers. It reads the same
validated :class:`~sim.scenario.Scenario` and, for the same seed, gives the kernel's
trajectories and outcomes bit for bit (tests/test_reference.py): every sum runs in
the kernel's order and ``math`` calls the same C library.

It is deliberately independent of ``sim/kernel.py``, so it also checks the kernel.
"""
from __future__ import annotations

import math

import mesa

from sim.scenario import Scenario

MASK = (1 << 64) - 1
GOLDEN, M1, M2 = 0x9E3779B97F4A7C15, 0xBF58476D1CE4E5B9, 0x94D049BB133111EB
NOISE, DECISION, COMMITMENT, FACTION, CAPITAL, CLASH, EVENT = range(7)


def _mix(z: int) -> int:
    z = ((z ^ (z >> 30)) * M1) & MASK
    z = ((z ^ (z >> 27)) * M2) & MASK
    return z ^ (z >> 31)


def uniform(seed: int, replicate: int, step: int, actor: int, stream: int) -> float:
    h = _mix((seed + GOLDEN) & MASK)
    for c in (replicate, step, actor, stream):
        h = _mix(h ^ ((c + GOLDEN) & MASK))
    return ((h >> 11) + 1) * 2.0 ** -53


def normal(seed: int, replicate: int, step: int, actor: int, stream: int) -> float:
    u1 = uniform(seed, replicate, step, actor, stream + (1 << 32))
    u2 = uniform(seed, replicate, step, actor, stream + (1 << 33))
    return math.sqrt(-2.0 * math.log(u1)) * math.cos(2.0 * math.pi * u2)


def clip01(v: float) -> float:
    return min(1.0, max(0.0, v))


class Country(mesa.Agent):
    """A state: escalation level, Richardson coefficients, coalition membership."""

    def __init__(self, model: "ReferenceModel", index: int, spec):
        super().__init__(model)
        self.index, self.spec = index, spec
        self.reactions: list[tuple[Country, float]] = []  # (state reacted to, k), in scenario order
        m = spec.coalition
        self.member = m is not None
        self.commitment0 = m.commitment0 if m else 0.0
        self.deploy_threshold0 = m.deploy_threshold if m else 1.0
        self.withdraw_threshold = m.withdraw_threshold if m else 0.0
        self.ladder_actor = not model.scenario.outcomes.ladder_actors or spec.id in model.scenario.outcomes.ladder_actors

    def reset(self) -> None:
        self.level, self.grievance = self.spec.x0, self.spec.grievance
        self.commitment, self.deploy_threshold = self.commitment0, self.deploy_threshold0
        self.deployed, self.push, self.rung, self.max_rung = 0, 0.0, 0, 0

    def richardson(self) -> float:
        s = self.grievance - self.spec.fatigue * self.level
        for other, k in self.reactions:
            s += k * other.level
        return s

    def compute_drift(self) -> None:
        m = self.model
        d = self.push
        if m.mechanisms.coalition:
            d += self.spec.provocation * m.provoking + m.scenario.coalition.deploy_push * self.deployed
        if m.mechanisms.reaction:
            d += self.grievance - self.spec.fatigue * self.level
            for other, k in self.reactions:
                d += k * other.level
        self.drift = d

    def move(self) -> None:
        m = self.model
        level = self.level + self.drift * m.dt
        if m.mechanisms.reaction and self.spec.noise > 0.0:
            level += self.spec.noise * m.sqrt_dt * normal(m.seed_value, m.replicate, m.week, self.index, NOISE)
        if not (level <= m.scenario.outcomes.divergence_level):
            m.diverged = True
        self.level = max(0.0, level)

    def update_commitment(self) -> None:
        m, c, s = self.model, self.model.scenario.coalition, self.spec.coalition
        a = (s.bias + c.guarantee_weight * s.us_dependence * m.guarantee + c.lead_weight * m.lead_commitment
             + c.peer_weight * m.deployed_share - c.threat_weight * m.threat - c.cost_weight * s.domestic_cost)
        target = 1.0 / (1.0 + math.exp(-a))
        value = self.commitment + c.rate * (target - self.commitment) * m.dt
        if c.noise > 0.0:
            value += c.noise * m.sqrt_dt * normal(m.seed_value, m.replicate, m.week, self.index, COMMITMENT)
        self.commitment = clip01(value)

    def update_deployment(self) -> None:
        if not self.model.mechanisms.coalition:
            self.deployed = 0
        elif not self.deployed and self.commitment >= self.deploy_threshold:
            self.deployed = 1
        elif self.deployed and self.commitment < self.withdraw_threshold:
            self.deployed = 0


class Head(mesa.Agent):
    """A leader: quantal-response choice over the action catalogue."""

    def __init__(self, model: "ReferenceModel", index: int, spec):
        super().__init__(model)
        self.index, self.spec = index, spec
        self.country = model.countries[model.scenario.index(spec.state)]
        self.targets = [model.countries[model.scenario.index(t)] for t in spec.targets]
        allowed = spec.actions or tuple(a.name for a in model.scenario.actions)
        self.available = [a.name in allowed for a in model.scenario.actions]

    def reset(self) -> None:
        self.resolve, self.capital, self.pledged, self.choice = self.spec.resolve, self.spec.political_capital, 0.0, None

    def decide(self) -> None:
        m, c = self.model, self.country
        s = c.richardson()
        if m.mechanisms.coalition:
            s += c.spec.provocation * m.provoking
        tension = math.tanh(s)
        height = c.rung / (len(m.scenario.ladder) - 1.0)
        utility = []
        for action, ok in zip(m.scenario.actions, self.available):
            if not ok:
                utility.append(-math.inf)
                continue
            d = action.delta
            u = self.resolve * tension * d
            u -= self.spec.risk_aversion * height * max(d, 0.0)
            u -= action.cost * (1.0 - self.capital)
            u -= self.spec.audience_cost * self.pledged * action.backdown
            utility.append(u)
        draw = uniform(m.seed_value, m.replicate, m.week, self.index, DECISION)
        self.choice = m.scenario.actions[logit_choice(utility, self.spec.rationality, draw)]

    def act(self) -> None:
        """Push on the own state and the targets; the pledge decays and grows."""
        m, action = self.model, self.choice
        self.country.push += action.delta
        for target in self.targets:
            target.push += action.pressure * target.spec.exposure / len(self.targets)
        self.pledged = self.pledged * max(0.0, 1.0 - m.scenario.decisions.commitment_decay * m.dt) + action.pledge


def logit_choice(utility: list[float], beta: float, draw: float) -> int:
    best = max(utility)
    weights = [math.exp(beta * (u - best)) if u > -math.inf else 0.0 for u in utility]
    target, acc, last = draw * sum(w for w, u in zip(weights, utility) if u > -math.inf), 0.0, -1
    for k, (w, u) in enumerate(zip(weights, utility)):
        if u > -math.inf:
            acc += w
            last = k
            if target <= acc:
                return k
    return last


class Faction(mesa.Agent):
    """A US domestic faction: support for intervention."""

    def __init__(self, model: "ReferenceModel", index: int, spec):
        super().__init__(model)
        self.index, self.spec = index, spec

    def step(self) -> None:
        m = self.model
        s = self.support + self.spec.threat_response * m.threat * m.dt
        if self.spec.noise > 0.0:
            s += self.spec.noise * m.sqrt_dt * normal(m.seed_value, m.replicate, m.week, self.index, FACTION)
        self.support = clip01(s)


class ReferenceModel(mesa.Model):
    """One replicate of ``scenario``; :meth:`run` returns the levels of weeks 0..steps.

    After a run, :meth:`outcomes` gives the replicate's row of the ensemble summary.
    """

    def __init__(self, scenario: Scenario, seed: int, replicate: int = 0):
        super().__init__(seed=seed)
        self.scenario, self.mechanisms = scenario, scenario.mechanisms
        self.seed_value, self.replicate = seed, replicate
        self.dt, self.sqrt_dt = scenario.dt, math.sqrt(scenario.dt)
        self.countries = [Country(self, i, s) for i, s in enumerate(scenario.states)]
        for r in scenario.reactions:
            self.countries[scenario.index(r.actor)].reactions.append((self.countries[scenario.index(r.responds_to)], r.k))
        self.heads = [Head(self, i, s) for i, s in enumerate(scenario.leaders)]
        self.factions = [Faction(self, i, s) for i, s in enumerate(scenario.factions)]
        self.members = [c for c in self.countries if c.member]
        self.decisions_on = self.mechanisms.decisions and bool(self.heads)
        self.adversary = self.countries[scenario.index(scenario.roles.adversary)]
        self.lead = self.countries[scenario.index(scenario.roles.coalition_lead)]
        self.guarantor = self.countries[scenario.index(scenario.roles.guarantor)]
        self.adversary_head = next((h for h in self.heads if h.country is self.adversary), None)
        self.guarantor_head = next((h for h in self.heads if h.country is self.guarantor), None)
        self.member_capability = sum(c.spec.capability for c in self.members)
        clash = scenario.ladder[scenario.outcomes.clash_rung].threshold
        self.threat_scale = float(clash or 1.0)
        self._reset()

    # --- week 0 --------------------------------------------------------------

    def _reset(self) -> None:
        self.week, self.diverged, self.deescalated = 0, False, False
        for agent in self.countries + self.heads:
            agent.reset()
        for f in self.factions:
            f.support = f.spec.support
        d = self.scenario.domestic
        self.guarantee, self.guarantee_base = d.guarantee0, d.guarantee_base
        self.cohesion = self.party_cohesion()
        self.first_week = [-1] * len(self.scenario.ladder)
        self.clash_week, self.deployed, self.deployed_peak, self.max_rung = -1, 0, 0, 0
        self.apply_events(0)
        self.update_deployments()
        for c in self.countries:
            c.max_rung = 0
        self.record_outcomes(0, check_clash=False)
        self.trajectory = [[c.level for c in self.countries]]

    # --- one week ------------------------------------------------------------

    def step(self) -> None:
        if not self.diverged:
            self.provoking = self.deployed_weight() if self.mechanisms.coalition else 0.0
            if self.decisions_on:
                self.agents_by_type[Head].do("decide")
            self.reaction()
            if not self.diverged:
                if self.mechanisms.coalition:
                    self.coalition()
                if self.mechanisms.domestic:
                    self.domestic()
                self.apply_events(self.week + 1)
                self.record_outcomes(self.week + 1, check_clash=True)
        self.week += 1
        self.trajectory.append([c.level for c in self.countries])

    def run(self) -> list[list[float]]:
        for _ in range(self.scenario.steps):
            self.step()
        return self.trajectory

    def reaction(self) -> None:
        for c in self.countries:
            c.push = 0.0
        if self.decisions_on:
            self.agents_by_type[Head].do("act")
        self.provoking = self.deployed_weight() if self.mechanisms.coalition else 0.0
        # every drift from start-of-week levels before any level moves
        self.agents_by_type[Country].do("compute_drift")
        self.agents_by_type[Country].do("move")

    def coalition(self) -> None:
        self.threat = self.adversary.level / self.threat_scale
        self.lead_commitment = self.lead.commitment
        self.deployed_share = self.deployed / max(len(self.members), 1)
        for c in self.members:
            c.update_commitment()
        self.update_deployments()

    def update_deployments(self) -> None:
        for c in self.members:
            c.update_deployment()
        self.deployed = sum(c.deployed for c in self.members)
        self.deployed_peak = max(self.deployed_peak, self.deployed)

    def deployed_weight(self) -> float:
        if self.member_capability <= 0.0:
            return 0.0
        w = 0.0
        for c in self.members:
            if c.deployed:
                w += c.spec.capability
        return w / self.member_capability

    def party_cohesion(self) -> float:
        if not self.factions:
            return 1.0
        mean = 0.0
        for f in self.factions:
            mean += f.spec.weight * f.support
        spread = 0.0
        for f in self.factions:
            spread += f.spec.weight * abs(f.support - mean)
        return clip01(1.0 - 2.0 * spread)

    def domestic(self) -> None:
        d = self.scenario.domestic
        cohesion = self.party_cohesion()
        self.threat = self.adversary.level / self.threat_scale
        if self.factions:
            self.agents_by_type[Faction].do("step")
        capital = 1.0
        head = self.guarantor_head
        if head is not None:
            capital = head.capital
            height = self.guarantor.rung / (len(self.scenario.ladder) - 1.0)
            dP = (d.agenda_gain * (1.0 - capital) - d.fissure_cost * (1.0 - cohesion) * self.guarantee
                  - d.escalation_cost * height)
            if self.decisions_on:
                dP -= d.action_cost_weight * head.choice.cost
            capital += dP * self.dt
            if d.capital_noise > 0.0:
                capital += d.capital_noise * self.sqrt_dt * normal(self.seed_value, self.replicate, self.week, 0, CAPITAL)
            capital = clip01(capital)
            head.capital = capital
        target = self.guarantee_base * (d.capital_weight * capital + (1.0 - d.capital_weight) * cohesion)
        self.guarantee = clip01(self.guarantee + d.guarantee_rate * (target - self.guarantee) * self.dt)
        self.cohesion = self.party_cohesion()

    def apply_events(self, week: int) -> None:
        if not self.mechanisms.events:
            return
        for e, ev in enumerate(self.scenario.events):
            if ev.week != week:
                continue
            if ev.probability < 1.0 and uniform(self.seed_value, self.replicate, 0, e, EVENT) > ev.probability:
                continue
            holder, attr = self._event_slot(ev.target)
            old = getattr(holder, attr)
            value = ev.value if ev.op == "set" else (old + ev.value if ev.op == "add" else old * ev.value)
            if attr in ("level", "resolve"):
                value = max(0.0, value)
            elif attr != "grievance":
                value = clip01(value)
            setattr(holder, attr, value)

    def _event_slot(self, target: str):
        parts = target.split(".")
        if parts[0] == "domestic":
            return self, parts[1]
        if parts[0] == "states":
            attr = {"x": "level"}.get(parts[-1], parts[-1])
            return self.countries[self.scenario.index(parts[1])], attr
        if parts[0] == "leaders":
            head = next(h for h in self.heads if h.spec.id == parts[1])
            return head, {"political_capital": "capital"}.get(parts[-1], parts[-1])
        return next(f for f in self.factions if f.spec.id == parts[1]), parts[-1]

    def record_outcomes(self, week: int, check_clash: bool) -> None:
        thresholds = [r.threshold for r in self.scenario.ladder]
        top = 0
        for c in self.countries:
            c.rung = max([0] + [k for k in range(1, len(thresholds)) if c.level >= thresholds[k]])
            c.max_rung = max(c.max_rung, c.rung)
            if c.rung > top and c.ladder_actor:
                top = c.rung
        self.max_rung = max(self.max_rung, top)
        for r in range(top + 1):
            if self.first_week[r] < 0:
                self.first_week[r] = week
        if self.max_rung > self.scenario.outcomes.deescalation_rung >= top:
            self.deescalated = True
        if not check_clash or self.clash_week >= 0 or self.deployed == 0:
            return
        ra = self.adversary.rung
        deliberate = ra >= self.scenario.outcomes.clash_rung
        if deliberate and self.decisions_on and self.adversary_head is not None:
            deliberate = self.adversary_head.choice.kinetic
        risk = self.scenario.ladder[ra].risk
        inadvertent = risk > 0.0 and uniform(self.seed_value, self.replicate, week, 0, CLASH) <= risk
        if deliberate or inadvertent:
            self.clash_week = week

    def outcomes(self) -> dict:
        """This replicate's summary row, in the columns of ``EnsembleResult.summary``."""
        head = self.guarantor_head
        row = {"max_rung": self.max_rung, f"max_rung_{self.scenario.roles.adversary}": self.adversary.max_rung,
               "clash": self.clash_week >= 0, "clash_week": self.clash_week, "deployed_peak": self.deployed_peak,
               "deployed_final": self.deployed, "us_guarantee_final": self.guarantee,
               "us_capital_final": head.capital if head is not None else 1.0,
               "deescalated": self.deescalated, "diverged": self.diverged}
        row.update({f"first_week_rung_{r}": w for r, w in enumerate(self.first_week)})
        return row
