"""The model's step written as a Mesa model in plain Python: what the kernel is measured against.

This is the model as one would write it without the Numba kernel: agents with their
own methods and attributes, Python floats and lists, and the counter-based generator
of docs/model.md (7.10) re-implemented with Python integers. It reads the same
validated :class:`~sim.scenario.Scenario` and, for the same seed, gives the kernel's
trajectories and outcomes bit for bit (tests/test_reference.py): every sum runs in
the kernel's order and ``math`` calls the same C library.

A step is ``dt = 1/n`` weeks: leaders decide (and pledge) at the first step of each
week, events happen at week boundaries, every rate enters times ``dt``, and every
recorded week is the week a step ends in. Random draws are keyed by the step.

It is deliberately independent of ``sim/engine/``, so it also checks the kernel (it shares only the
scenario's parsing, :func:`sim.scenario.targets.resolve_target`). The benchmarks import it from here.
"""
from __future__ import annotations

import math

import mesa

from sim.scenario.spec import Scenario
from sim.scenario.targets import resolve_target

MASK = (1 << 64) - 1
GOLDEN, M1, M2 = 0x9E3779B97F4A7C15, 0xBF58476D1CE4E5B9, 0x94D049BB133111EB
NOISE, DECISION, COMMITMENT, FACTION, CAPITAL, CLASH, EVENT = range(7)


def _mix(z: int) -> int:
    z = ((z ^ (z >> 30)) * M1) & MASK
    z = ((z ^ (z >> 27)) * M2) & MASK
    return z ^ (z >> 31)


def _hash(seed: int, replicate: int, step: int, actor: int, stream: int) -> int:
    h = _mix((seed + GOLDEN) & MASK)
    for c in (replicate, step, actor, stream):
        h = _mix(h ^ ((c + GOLDEN) & MASK))
    return h


def uniform(seed: int, replicate: int, step: int, actor: int, stream: int) -> float:
    return ((_hash(seed, replicate, step, actor, stream) >> 11) + 1) * 2.0 ** -53


# The 256-layer ziggurat of docs/model.md (7.10): Marsaglia & Tsang's r and v, Doornik's wedge test.
ZIG_R, ZIG_V, ZIG_LAYERS = 3.6541528853610088, 4.92867323399e-3, 256


def _ziggurat_edges() -> list[float]:
    x = [0.0] * (ZIG_LAYERS + 1)
    f = math.exp(-0.5 * ZIG_R * ZIG_R)
    x[0], x[1] = ZIG_V / f, ZIG_R
    for i in range(2, ZIG_LAYERS):
        x[i] = math.sqrt(-2.0 * math.log(ZIG_V / x[i - 1] + f))
        f = math.exp(-0.5 * x[i] * x[i])
    return x


ZIG_EDGE = _ziggurat_edges()
ZIG_RATIO = [ZIG_EDGE[i + 1] / ZIG_EDGE[i] for i in range(ZIG_LAYERS)]


def normal(seed: int, replicate: int, step: int, actor: int, stream: int) -> float:
    """The j-th uniform of a normal comes from sub-stream ``stream + 2**32 (j + 1)``."""
    j = 0

    def draw() -> int:
        nonlocal j
        j += 1
        return _hash(seed, replicate, step, actor, stream + (j << 32))

    def unit() -> float:
        return ((draw() >> 11) + 1) * 2.0 ** -53

    while True:
        bits = draw()
        layer = bits & (ZIG_LAYERS - 1)
        u = 2.0 * float(bits >> 11) * 2.0 ** -53 - 1.0
        if abs(u) < ZIG_RATIO[layer]:
            return u * ZIG_EDGE[layer]
        if layer == 0:
            while True:
                x = math.log(unit()) / ZIG_R
                y = math.log(unit())
                if -2.0 * y >= x * x:
                    return x - ZIG_R if u < 0.0 else ZIG_R - x
        x = u * ZIG_EDGE[layer]
        f0 = math.exp(-0.5 * (ZIG_EDGE[layer] * ZIG_EDGE[layer] - x * x))
        f1 = math.exp(-0.5 * (ZIG_EDGE[layer + 1] * ZIG_EDGE[layer + 1] - x * x))
        if f1 + unit() * (f0 - f1) < 1.0:
            return x


def tanh(s: float) -> float:
    """The kernel's tanh: one ``exp`` (the C library's tanh goes through the slower expm1)."""
    e = math.exp(-2.0 * abs(s))
    t = (1.0 - e) / (1.0 + e)
    return t if s >= 0.0 else -t


def clip01(v: float) -> float:
    return min(1.0, max(0.0, v))


def week_of(step: int, steps_per_week: int) -> int:
    """The week a step ends in: ``ceil(step / n)``; every output is in weeks whatever ``dt`` is."""
    return -(-step // steps_per_week)


def rung_of(thresholds: list[float], level: float) -> int:
    """The highest rung whose threshold ``level`` reaches (rung 0 starts at 0)."""
    r = 0
    for k in range(1, len(thresholds)):
        if level >= thresholds[k]:
            r = k
    return r


def logit_choice(utility: list[float], beta: float, draw: float) -> int:
    """Inverse CDF of P(k) = exp(beta u_k) / sum_j exp(beta u_j); unavailable actions (-inf) weigh nothing."""
    best = max(utility)
    weights = []
    for u in utility:
        if u > -math.inf:
            gap = beta * (u - best)
            # as the kernel: no exp call for the best action (exp(0) is exactly 1 either way)
            weights.append(1.0 if gap == 0.0 else math.exp(gap))
        else:
            weights.append(0.0)
    total = 0.0
    for w, u in zip(weights, utility):
        if u > -math.inf:
            total += w
    target, acc, last = draw * total, 0.0, -1
    for k, (w, u) in enumerate(zip(weights, utility)):
        if u > -math.inf:
            acc += w
            last = k
            if target <= acc:
                return k
    return last  # rounding left target a hair above the sum


class Country(mesa.Agent):
    """A state: escalation level, Richardson coefficients, coalition membership, its rung."""

    def __init__(self, model: "ReferenceModel", index: int, spec):
        super().__init__(model)
        s = model.scenario
        self.index, self.spec = index, spec
        self.reactions: list[tuple[Country, float]] = []  # (state reacted to, k), in scenario order
        m = spec.coalition
        self.member = m is not None
        self.commitment0 = m.commitment0 if m else 0.0
        self.deploy_threshold0 = m.deploy_threshold if m else 1.0
        self.withdraw_threshold = m.withdraw_threshold if m else 0.0
        self.ladder_actor = not s.outcomes.ladder_actors or spec.id in s.outcomes.ladder_actors
        self.dyad = spec.id in (s.outcomes.deescalation_actors or (s.roles.adversary, s.roles.coalition_lead))
        # a partner of the adversary: shares one of its groups (the SCO channel)
        adversary_groups = set(s.states[s.index(s.roles.adversary)].groups)
        self.aligned = spec.id != s.roles.adversary and bool(adversary_groups & set(spec.groups))

    def reset(self) -> None:
        m = self.model
        self.level, self.grievance = self.spec.x0, self.spec.grievance
        self.commitment, self.deploy_threshold = self.commitment0, self.deploy_threshold0
        self.deployed, self.push, self.drift, self.rung, self.max_rung = 0, 0.0, 0.0, 0, 0
        # a state that starts on a rung that takes force (at war) has already used force
        self.struck = rung_of(m.thresholds, self.spec.x0) >= m.kinetic_rung

    # --- drift -----------------------------------------------------------------

    def pressure(self, provoking: float, deterrence: float, partners: float) -> float:
        """s_i, the drift the state does not choose: Richardson (if on), provocation and, for the
        adversary, deterrence and alignment. Decisions read it as tension; the reaction adds it to the pushes."""
        m = self.model
        s = 0.0
        if m.mechanisms.reaction:
            s = self.grievance - self.spec.fatigue * self.level
            for other, k in self.reactions:
                s += k * other.level
        s += self.spec.provocation * provoking
        if self is m.adversary:
            s -= m.scenario.deterrence.drift * deterrence
            s += m.scenario.alignment.weight * partners
        return s

    def compute_drift(self, provoking: float, deterrence: float, partners: float) -> None:
        m = self.model
        d = self.push
        if m.mechanisms.coalition:
            d += m.scenario.coalition.deploy_push * self.deployed
        self.drift = d + self.pressure(provoking, deterrence, partners)

    def move(self, t: int) -> None:
        """Euler-Maruyama over one step of dt weeks, reflected at 0; the noise is keyed by the step."""
        m = self.model
        level = self.level + self.drift * m.dt
        if m.mechanisms.reaction and self.spec.noise > 0.0:
            level += self.spec.noise * m.sqrt_dt * normal(m.seed_value, m.replicate, t, self.index, NOISE)
        if not (level <= m.scenario.outcomes.divergence_level):  # also catches NaN
            m.diverged = True
            m.diverged_week = week_of(t + 1, m.n)
        self.level = max(0.0, level)

    # --- coalition -------------------------------------------------------------

    def commitment_target(self, threat: float, lead: float, share: float, guarantee: float) -> float:
        """m*_j = logistic(bias - w_G dep max(0, G_req - G) + w_A aut (1 - G) + w_L lead + w_P share
        - w_T e threat - w_C cost)."""
        c, s = self.model.scenario.coalition, self.spec.coalition
        shortfall = max(0.0, s.guarantee_required - guarantee)
        a = (s.bias - c.guarantee_weight * s.us_dependence * shortfall
             + c.autonomy_weight * s.autonomy * (1.0 - guarantee)
             + c.lead_weight * lead + c.peer_weight * share
             - c.threat_weight * s.threat_exposure * threat
             - c.cost_weight * s.domestic_cost)
        return 1.0 / (1.0 + math.exp(-a))

    def update_commitment(self, target: float, t: int) -> None:
        m, c = self.model, self.model.scenario.coalition
        value = self.commitment + c.rate * (target - self.commitment) * m.dt
        if c.noise > 0.0:
            value += c.noise * m.sqrt_dt * normal(m.seed_value, m.replicate, t, self.index, COMMITMENT)
        self.commitment = clip01(value)

    def update_deployment(self, waiting: bool) -> None:
        """Hysteresis; ``waiting`` (no ceasefire yet under requires_ceasefire) blocks new deployments only."""
        if not self.model.mechanisms.coalition:
            self.deployed = 0
        elif not self.deployed and not waiting and self.commitment >= self.deploy_threshold:
            self.deployed = 1
        elif self.deployed and self.commitment < self.withdraw_threshold:
            self.deployed = 0

    # --- outcomes --------------------------------------------------------------

    def update_rung(self) -> None:
        """The rung of the level, held below the first kinetic rung until the state's leader used force."""
        m = self.model
        r = rung_of(m.thresholds, self.level)
        if r >= m.kinetic_rung and not self.struck:
            r = m.kinetic_rung - 1
        self.rung = r
        self.max_rung = max(self.max_rung, r)


class Head(mesa.Agent):
    """A leader: quantal-response choice over the action catalogue, once a week."""

    def __init__(self, model: "ReferenceModel", index: int, spec):
        super().__init__(model)
        self.index, self.spec = index, spec
        self.country = model.countries[model.scenario.index(spec.state)]
        self.targets = [model.countries[model.scenario.index(t)] for t in spec.targets]
        allowed = spec.actions or tuple(a.name for a in model.scenario.actions)
        self.available = [a.name in allowed for a in model.scenario.actions]

    def reset(self) -> None:
        self.resolve, self.capital = self.spec.resolve, self.spec.political_capital
        self.pledged, self.choice = 0.0, None

    def utilities(self, provoking: float, deterrence: float, partners: float) -> list[float]:
        """u_k = tanh(s) d + rho max(tanh s, 0) (max(d, 0) - b) - lambda (r/R) max(d, 0) - c (1 - P)
        - alpha C b - c_D D max(d, 0) (the last for the adversary's leader only)."""
        m, c = self.model, self.country
        tension = tanh(c.pressure(provoking, deterrence, partners))
        # resolve acts only under pressure: it never adds to a pull toward de-escalation
        firm = self.resolve * max(tension, 0.0)
        height = c.rung / (len(m.scenario.ladder) - 1.0)
        deterred = m.scenario.deterrence.action_cost * deterrence if self is m.adversary_head else 0.0
        utility = []
        for action, ok in zip(m.scenario.actions, self.available):
            if not ok:
                utility.append(-math.inf)
                continue
            d = action.delta
            up = max(d, 0.0)
            backdown = float(action.backdown)
            u = tension * d + firm * (up - backdown)
            u -= self.spec.risk_aversion * height * up
            u -= action.cost * (1.0 - self.capital)
            u -= self.spec.audience_cost * self.pledged * backdown
            u -= deterred * up
            utility.append(u)
        return utility

    def decide(self, t: int, provoking: float, deterrence: float, partners: float) -> None:
        m = self.model
        utility = self.utilities(provoking, deterrence, partners)
        draw = uniform(m.seed_value, m.replicate, t, self.index, DECISION)
        self.choice = m.scenario.actions[logit_choice(utility, self.spec.rationality, draw)]

    def act(self, t: int) -> None:
        """Pushes every step; pledges, force used and a ceasefire once a week (at the decision step)."""
        m, action = self.model, self.choice
        self.country.push += action.delta
        for target in self.targets:
            # coercion bites in proportion to the target's economic exposure
            target.push += action.pressure * target.spec.exposure / len(self.targets)
        if t % m.n != 0:
            return
        # the decay is weekly, not per step: pledges are made once a week
        self.pledged = self.pledged * max(0.0, 1.0 - m.scenario.decisions.commitment_decay) + action.pledge
        if action.kinetic:
            self.country.struck = True
        if action.ceasefire and self is m.adversary_head and m.ceasefire_week < 0:
            m.ceasefire_week = t // m.n


class Faction(mesa.Agent):
    """A US domestic faction: support for intervention."""

    def __init__(self, model: "ReferenceModel", index: int, spec):
        super().__init__(model)
        self.index, self.spec = index, spec

    def step_support(self, t: int, threat: float, shift: float) -> None:
        m = self.model
        s = self.support + (self.spec.threat_response * threat + shift * self.spec.resolution_response) * m.dt
        if self.spec.noise > 0.0:
            s += self.spec.noise * m.sqrt_dt * normal(m.seed_value, m.replicate, t, self.index, FACTION)
        self.support = clip01(s)


class ReferenceModel(mesa.Model):
    """One replicate of ``scenario``; :meth:`run` returns the levels of steps 0..steps (``dt`` weeks each).

    After a run, :meth:`outcomes` gives the replicate's row of the ensemble summary and
    ``fired`` the events that fired (by expanded event id).
    """

    def __init__(self, scenario: Scenario, seed: int, replicate: int = 0):
        super().__init__(seed=seed)
        s = scenario
        self.scenario, self.mechanisms = s, s.mechanisms
        self.seed_value, self.replicate = seed, replicate
        self.dt, self.sqrt_dt, self.n = s.dt, math.sqrt(s.dt), s.steps_per_week
        self.thresholds = [r.threshold for r in s.ladder]
        kinetic = [r for r, rung in enumerate(s.ladder) if rung.kinetic]
        self.kinetic_rung = kinetic[0] if kinetic else len(s.ladder)  # no kinetic rung: nothing is held back
        self.countries = [Country(self, i, st) for i, st in enumerate(s.states)]
        for r in s.reactions:
            self.countries[s.index(r.actor)].reactions.append((self.countries[s.index(r.responds_to)], r.k))
        self.heads = [Head(self, i, ld) for i, ld in enumerate(s.leaders)]
        self.factions = [Faction(self, i, f) for i, f in enumerate(s.factions)]
        self.members = [c for c in self.countries if c.member]
        self.aligned = [c for c in self.countries if c.aligned]
        self.decisions_on = self.mechanisms.decisions and bool(self.heads)
        self.adversary = self.countries[s.index(s.roles.adversary)]
        self.lead = self.countries[s.index(s.roles.coalition_lead)]
        self.guarantor = self.countries[s.index(s.roles.guarantor)]
        self.adversary_head = next((h for h in self.heads if h.country is self.adversary), None)
        self.guarantor_head = next((h for h in self.heads if h.country is self.guarantor), None)
        self.member_capability = sum(c.spec.capability for c in self.members)
        cap_g, cap_a = self.guarantor.spec.capability, self.adversary.spec.capability
        self.balance = cap_g / (cap_g + cap_a) if cap_g + cap_a > 0 else 0.0
        clash = s.ladder[s.outcomes.clash_rung].threshold
        self.threat_scale = float(clash or 1.0)
        self.events = self._expand_events()
        self._reset()

    # --- week 0 --------------------------------------------------------------

    def _reset(self) -> None:
        self.t, self.diverged, self.diverged_week = 0, False, -1
        self.deescalated, self.dyad_above = False, False
        for agent in self.countries + self.heads:
            agent.reset()
        for f in self.factions:
            f.support = f.spec.support
        d = self.scenario.domestic
        self.guarantee, self.guarantee_base = d.guarantee0, d.guarantee_base
        self.cohesion = self.party_cohesion()
        self.first_week = [-1] * len(self.scenario.ladder)
        self.clash_week, self.clash_cause, self.ceasefire_week = -1, "none", -1
        self.deployed, self.deployed_peak, self.max_rung = 0, 0, 0
        self.fired = [0] * len(self.events)
        self.apply_events(0)
        self.update_deployments()
        self.record_outcomes(0, decision_step=False)
        self.trajectory = [[c.level for c in self.countries]]

    # --- one step of dt weeks --------------------------------------------------

    def step(self) -> None:
        t = self.t
        if not self.diverged:  # a diverged replicate stays frozen
            decision_step = t % self.n == 0
            # leaders decide weekly whatever dt is: at the first step of each week
            if decision_step and self.decisions_on:
                context = self.crisis()
                for head in self.heads:
                    head.decide(t, *context)
            self.reaction(t)
            if not self.diverged:
                if self.mechanisms.coalition:
                    self.coalition(t)
                if self.mechanisms.domestic:
                    self.domestic(t)
                if (t + 1) % self.n == 0:  # events happen at week boundaries
                    self.apply_events((t + 1) // self.n)
                self.record_outcomes(t + 1, decision_step)
        self.t = t + 1
        self.trajectory.append([c.level for c in self.countries])

    def run(self) -> list[list[float]]:
        for _ in range(self.scenario.steps):
            self.step()
        return self.trajectory

    def crisis(self) -> tuple[float, float, float]:
        """(W, D, partners): what the pressures read besides the levels, from the state at the phase's start."""
        return self.deployed_weight(), self.deterrence(), self.partner_level()

    def reaction(self, t: int) -> None:
        for c in self.countries:
            c.push = 0.0
        if self.decisions_on:
            # in leader order: pushes from several leaders on one target add up in this order
            for head in self.heads:
                head.act(t)
        context = self.crisis()
        # every drift from start-of-step levels before any level moves
        self.agents_by_type[Country].do("compute_drift", *context)
        self.agents_by_type[Country].do("move", t)

    def coalition(self, t: int) -> None:
        threat = self.adversary.level / self.threat_scale
        lead = self.lead.commitment
        share = self.deployed / max(len(self.members), 1)
        # every target from start-of-phase commitments (the lead's included) before any moves
        targets = [c.commitment_target(threat, lead, share, self.guarantee) for c in self.members]
        for c, target in zip(self.members, targets):
            c.update_commitment(target, t)
        self.update_deployments()

    def update_deployments(self) -> None:
        waiting = self.scenario.coalition.requires_ceasefire and self.ceasefire_week < 0
        for c in self.members:
            c.update_deployment(waiting)
        self.deployed = sum(c.deployed for c in self.members)
        self.deployed_peak = max(self.deployed_peak, self.deployed)

    def deployed_weight(self) -> float:
        """W: capability-weighted share of the coalition deployed."""
        if self.member_capability <= 0.0 or not self.mechanisms.coalition:
            return 0.0
        w = 0.0
        for c in self.members:
            if c.deployed:
                w += c.spec.capability
        return w / self.member_capability

    def deterrence(self) -> float:
        """D = G cap_g / (cap_g + cap_a)."""
        return self.guarantee * self.balance if self.mechanisms.deterrence else 0.0

    def partner_level(self) -> float:
        """Mean level of the adversary's partners over the clash threshold."""
        if not self.mechanisms.alignment or not self.aligned:
            return 0.0
        total = 0.0
        for c in self.aligned:
            total += c.level
        return total / float(len(self.aligned)) / self.threat_scale

    def mean_support(self) -> float:
        if not self.factions:
            return 1.0  # no domestic opposition
        mean = 0.0
        for f in self.factions:
            mean += f.spec.weight * f.support
        return mean

    def party_cohesion(self) -> float:
        if not self.factions:
            return 1.0
        mean = self.mean_support()
        spread = 0.0
        for f in self.factions:
            spread += f.spec.weight * abs(f.support - mean)
        return clip01(1.0 - 2.0 * spread)

    def domestic(self, t: int) -> None:
        d = self.scenario.domestic
        # cohesion and mean support as they stood before the factions move
        cohesion = self.party_cohesion()
        mean_support = self.mean_support()
        threat = self.adversary.level / self.threat_scale
        head = self.guarantor_head
        shift = head.choice.support_shift if head is not None and self.decisions_on else 0.0
        for f in self.factions:
            f.step_support(t, threat, shift)
        capital = 1.0
        if head is not None:
            capital = head.capital
            height = self.guarantor.rung / (len(self.scenario.ladder) - 1.0)
            dP = (d.agenda_gain * (1.0 - capital) - d.fissure_cost * (1.0 - cohesion) * self.guarantee
                  - d.escalation_cost * height)
            if self.decisions_on:
                dP -= d.action_cost_weight * head.choice.cost
            capital += dP * self.dt
            if d.capital_noise > 0.0:
                capital += d.capital_noise * self.sqrt_dt * normal(self.seed_value, self.replicate, t, 0, CAPITAL)
            capital = clip01(capital)
            head.capital = capital
        w_cohesion = 1.0 - d.capital_weight - d.support_weight
        target = self.guarantee_base * (d.capital_weight * capital + d.support_weight * mean_support
                                        + w_cohesion * cohesion)
        self.guarantee = clip01(self.guarantee + d.guarantee_rate * (target - self.guarantee) * self.dt)
        self.cohesion = self.party_cohesion()

    # --- events --------------------------------------------------------------

    def _expand_events(self) -> list[tuple[int, object, object, str]]:
        """``(id, event, holder, attribute)`` per value an event changes, in scenario order.

        ``states.*.coalition.commitment`` changes every member, each with its own id (its own draw).
        """
        groups = {"states": self.countries, "leaders": self.heads, "factions": self.factions}
        rows = []
        for ev in self.scenario.events:
            target = resolve_target(self.scenario, ev.target)
            attr = {"x": "level", "political_capital": "capital"}.get(target.quantity, target.quantity)
            for index in target.indices:
                holder = groups[target.group][index] if target.group in groups else self
                rows.append((len(rows), ev, holder, attr))
        return rows

    def apply_events(self, week: int) -> None:
        if not self.mechanisms.events:
            return
        for e, ev, holder, attr in self.events:
            if ev.week != week:
                continue
            # one draw per event and replicate, at step 0, keyed by the event's id
            if ev.probability < 1.0 and uniform(self.seed_value, self.replicate, 0, e, EVENT) > ev.probability:
                continue
            self.fired[e] = 1
            if attr == "ceasefire":
                old = 1.0 if self.ceasefire_week >= 0 else 0.0
            else:
                old = getattr(holder, attr)
            value = ev.value if ev.op == "set" else (old + ev.value if ev.op == "add" else old * ev.value)
            if attr in ("level", "resolve", "pledged"):
                value = max(0.0, value)
            elif attr != "grievance":
                value = clip01(value)
            if attr == "ceasefire":
                # a ceasefire agreed keeps its first week; a value below 1/2 calls it off
                if value < 0.5:
                    self.ceasefire_week = -1
                elif self.ceasefire_week < 0:
                    self.ceasefire_week = week
            else:
                setattr(holder, attr, value)

    # --- outcomes --------------------------------------------------------------

    def record_outcomes(self, step: int, decision_step: bool) -> None:
        week = week_of(step, self.n)
        top = dyad = 0
        for c in self.countries:
            c.update_rung()
            if c.rung > top and c.ladder_actor:
                top = c.rung
            if c.rung > dyad and c.dyad:
                dyad = c.rung
        self.max_rung = max(self.max_rung, top)
        for r in range(top + 1):
            if self.first_week[r] < 0:
                self.first_week[r] = week
        # de-escalation: the dyad was above the rung and came back to it or below
        if dyad > self.scenario.outcomes.deescalation_rung:
            self.dyad_above = True
        elif self.dyad_above:
            self.deescalated = True
        if step == 0 or self.clash_week >= 0:
            return
        cause = "none"
        head = self.adversary_head
        if (decision_step and self.decisions_on and head is not None and self.deployed > 0
                and head.choice.kinetic):
            cause = "deliberate"  # the adversary's leader chose force while coalition forces are deployed
        rung = self.scenario.ladder[self.adversary.rung]
        safe = (1.0 - rung.risk) * (1.0 - rung.deployed_risk * self.deployed_weight())
        if self.n != 1:
            safe = safe ** self.dt  # a weekly hazard spread over the week's steps
        hazard = 1.0 - safe
        if (cause == "none" and hazard > 0.0
                and uniform(self.seed_value, self.replicate, step, 0, CLASH) <= hazard):
            cause = "incident"
        if cause != "none":
            self.clash_week, self.clash_cause = week, cause

    def outcomes(self) -> dict:
        """This replicate's summary row, in the columns of ``EnsembleResult.summary`` (less ``replicate``)."""
        head = self.guarantor_head
        row = {"max_rung": self.max_rung, f"max_rung_{self.scenario.roles.adversary}": self.adversary.max_rung,
               "clash": self.clash_week >= 0, "clash_week": self.clash_week, "clash_cause": self.clash_cause,
               "deployed_peak": self.deployed_peak, "deployed_final": self.deployed,
               "us_guarantee_final": self.guarantee, "us_capital_final": head.capital if head is not None else 1.0,
               "deescalated": self.deescalated, "ceasefire_week": self.ceasefire_week,
               "diverged": self.diverged, "diverged_week": self.diverged_week}
        row.update({f"first_week_rung_{r}": w for r, w in enumerate(self.first_week)})
        return row
