"""Scenario schema: frozen dataclasses that a YAML file is validated into.

Every field carries its admissible range in ``metadata``; :mod:`sim.scenario.load`
reads those ranges, rejects unknown keys and names the file and key of any
error. Symbols in the docstrings are those of ``docs/model.md``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


def _f(default=..., *, lo=None, hi=None, doc=""):
    """A field with an admissible closed range ``[lo, hi]``."""
    meta = {"lo": lo, "hi": hi, "doc": doc}
    if default is ...:
        return field(metadata=meta)
    return field(default=default, metadata=meta)


PROBABILITY = {"lo": 0.0, "hi": 1.0}
MAX_HORIZON = 2_600  # weeks (50 years; week columns are int16): per-week histograms grow with the horizon (assumption: far beyond any crisis)
MAX_STEPS_PER_WEEK = 1_000
MAX_RUNGS = 127  # rung columns are int8
MAX_STATES = 32_767  # count columns are int16


@dataclass(frozen=True)
class Rung:
    """One rung of the escalation ladder: ``x >= threshold`` puts an actor on it."""

    name: str
    threshold: float = _f(lo=0.0)
    risk: float = _f(0.0, **PROBABILITY, doc="weekly chance of a direct clash while the adversary stands on this rung, "
                                              "deployed forces or not (Schelling)")
    deployed_risk: float = _f(0.0, **PROBABILITY, doc="further weekly chance of an incident with deployed forces, "
                                                       "at a full deployment (scaled by the deployed capability share)")
    kinetic: bool = False  # the rung takes force: a state reaches it only after its leader chose a kinetic action
    mid_hiact: tuple[int, ...] = ()  # GML MID highest-action codes (0-21) that count as reaching this rung


@dataclass(frozen=True)
class Membership:
    """Coalition-of-the-willing commitment parameters of one state."""

    commitment0: float = _f(**PROBABILITY)
    deploy_threshold: float = _f(**PROBABILITY, doc="theta_up")
    withdraw_threshold: float = _f(**PROBABILITY, doc="theta_down < theta_up")
    us_dependence: float = _f(1.0, **PROBABILITY, doc="dep_j: how much a shortfall of the US guarantee G holds it back")
    guarantee_required: float = _f(0.5, **PROBABILITY, doc="G_req_j: the guarantee it needs; below it, dep_j bites")
    autonomy: float = _f(0.0, **PROBABILITY, doc="a_j: strength of its strategic-autonomy motive (Melnik)")
    threat_exposure: float = _f(1.0, **PROBABILITY, doc="e_j: how much Russia's threat weighs on it")
    domestic_cost: float = _f(0.0, lo=0.0)
    bias: float = _f(0.0)


@dataclass(frozen=True)
class State:
    """A state: its escalation level x and Richardson coefficients."""

    id: str
    name: str
    bloc: str
    x0: float = _f(lo=0.0)
    fatigue: float = _f(lo=0.0, doc="a_i, Richardson's fatigue and expense")
    grievance: float = _f(doc="g_i, Richardson's grievance")
    noise: float = _f(lo=0.0, doc="sigma_i, per sqrt(week)")
    capability: float = _f(1.0, lo=0.0, doc="military weight; deployed capability provokes")
    exposure: float = _f(0.0, **PROBABILITY, doc="share of coercive pressure that bites")
    provocation: float = _f(0.0, doc="drift per unit capability-weighted share of the coalition deployed")
    groups: tuple[str, ...] = ()
    coalition: Membership | None = None


@dataclass(frozen=True)
class Leader:
    """A leader bound to a state; chooses an action each week by logit choice."""

    id: str
    name: str
    state: str
    rationality: float = _f(lo=0.0, doc="beta, logit precision")
    resolve: float = _f(lo=0.0, doc="rho")
    risk_aversion: float = _f(lo=0.0, doc="lambda")
    audience_cost: float = _f(lo=0.0, doc="alpha (Fearon)")
    political_capital: float = _f(**PROBABILITY, doc="P at week 0")
    targets: tuple[str, ...] = ()
    actions: tuple[str, ...] = ()


@dataclass(frozen=True)
class Faction:
    """A US domestic faction and its support for intervention abroad."""

    id: str
    name: str
    weight: float = _f(**PROBABILITY)
    support: float = _f(**PROBABILITY)
    threat_response: float = _f(0.0)
    noise: float = _f(0.0, lo=0.0)
    resolution_response: float = _f(0.0, lo=-1.0, hi=1.0,
                                    doc="how its support moves when the president backs a bipartisan resolution")


@dataclass(frozen=True)
class Reaction:
    """``k`` in ``dx_actor/dt = ... + k * x_responds_to``."""

    actor: str
    responds_to: str
    k: float = _f()


@dataclass(frozen=True)
class Action:
    """An entry of the action catalogue leaders choose from."""

    name: str
    delta: float = _f(doc="escalation push on the actor, level per week")
    goldstein: float = _f(lo=-10.0, hi=10.0)
    cost: float = _f(0.0, lo=0.0)
    pledge: float = _f(0.0, lo=0.0, doc="public commitment it adds")
    pressure: float = _f(0.0, doc="push shared among the leader's targets, times their exposure")
    support_shift: float = _f(0.0, doc="weekly shift of faction support (times each faction's resolution_response) "
                                       "when the guarantor's leader chooses it")
    backdown: bool = False
    kinetic: bool = False
    ceasefire: bool = False  # chosen by the adversary's leader, it agrees a ceasefire
    description: str = ""


@dataclass(frozen=True)
class Event:
    """A scheduled shock applied at the start of ``week``."""

    week: int = _f(lo=0)
    name: str = ""
    target: str = ""
    op: str = "set"
    value: float = _f(0.0)
    probability: float = _f(1.0, **PROBABILITY)


@dataclass(frozen=True)
class Roles:
    adversary: str
    guarantor: str
    coalition_lead: str


@dataclass(frozen=True)
class CoalitionParams:
    """Weights of the target commitment m*_j (a logistic of these terms)."""

    rate: float = _f(0.25, lo=0.0, doc="kappa, per week")
    noise: float = _f(0.03, lo=0.0)
    guarantee_weight: float = _f(3.0)
    lead_weight: float = _f(1.0)
    peer_weight: float = _f(1.5)
    threat_weight: float = _f(2.0)
    cost_weight: float = _f(1.0)
    deploy_push: float = _f(0.3, doc="drift on a deployed member's level")
    autonomy_weight: float = _f(0.0, lo=0.0, doc="w_A: strategic-autonomy motive, times a_j (1 - G)")
    requires_ceasefire: bool = False  # members deploy only after a ceasefire (the Paris pledge of 4 Sept 2025)


@dataclass(frozen=True)
class DomesticParams:
    """US political capital P and guarantee credibility G."""

    guarantee0: float = _f(0.6, **PROBABILITY)
    guarantee_base: float = _f(0.8, **PROBABILITY)
    guarantee_rate: float = _f(0.2, lo=0.0)
    capital_weight: float = _f(0.5, **PROBABILITY, doc="w_P: weight of political capital in G's target")
    support_weight: float = _f(0.0, **PROBABILITY, doc="w_S: weight of mean faction support; cohesion gets the rest")
    agenda_gain: float = _f(0.02, lo=0.0)
    fissure_cost: float = _f(0.05, lo=0.0)
    escalation_cost: float = _f(0.03, lo=0.0)
    action_cost_weight: float = _f(0.05, lo=0.0)
    capital_noise: float = _f(0.02, lo=0.0)


@dataclass(frozen=True)
class DeterrenceParams:
    """Extended deterrence: D = G * cap_guarantor / (cap_guarantor + cap_adversary)."""

    drift: float = _f(0.0, lo=0.0, doc="w_D: the adversary's drift falls by w_D * D, level per week")
    action_cost: float = _f(0.0, lo=0.0, doc="c_D: utility cost of escalating, c_D * D * max(delta, 0)")


@dataclass(frozen=True)
class AlignmentParams:
    """Support for the adversary from states sharing a group with it (the SCO)."""

    weight: float = _f(0.0, lo=0.0, doc="w_S: drift of the adversary per unit mean partner level / clash threshold")


@dataclass(frozen=True)
class DecisionParams:
    commitment_decay: float = _f(0.0, **PROBABILITY, doc="weekly decay of public pledges (0: audience costs last)")


@dataclass(frozen=True)
class Outcomes:
    clash_rung: int = _f(5, lo=0)
    ladder_actors: tuple[str, ...] = ()  # states whose rungs count for max_rung; () = all
    deescalation_rung: int = _f(1, lo=0)
    deescalation_actors: tuple[str, ...] = ()  # the crisis dyad; () = adversary and coalition lead
    divergence_level: float = _f(1.0e6, lo=0.0)


@dataclass(frozen=True)
class Mechanisms:
    reaction: bool = True
    decisions: bool = True
    coalition: bool = True
    domestic: bool = True
    events: bool = True
    deterrence: bool = True
    alignment: bool = True


@dataclass(frozen=True)
class Scenario:
    """A validated scenario. Build it with :func:`sim.load_scenario`."""

    name: str
    ladder: tuple[Rung, ...]
    states: tuple[State, ...]
    roles: Roles
    description: str = ""
    horizon: int = _f(52, lo=1, hi=MAX_HORIZON, doc="weeks")
    dt: float = _f(1.0, lo=1.0 / MAX_STEPS_PER_WEEK, hi=1.0, doc="weeks per step: 1/n for a whole n")
    leaders: tuple[Leader, ...] = ()
    factions: tuple[Faction, ...] = ()
    reactions: tuple[Reaction, ...] = ()
    actions: tuple[Action, ...] = ()
    events: tuple[Event, ...] = ()
    coalition: CoalitionParams = CoalitionParams()
    domestic: DomesticParams = DomesticParams()
    decisions: DecisionParams = DecisionParams()
    deterrence: DeterrenceParams = DeterrenceParams()
    alignment: AlignmentParams = AlignmentParams()
    outcomes: Outcomes = Outcomes()
    mechanisms: Mechanisms = Mechanisms()
    source: str = field(default="<memory>", compare=False)

    @property
    def steps_per_week(self) -> int:
        return round(1.0 / self.dt)

    @property
    def steps(self) -> int:
        """Time steps to the horizon: ``horizon / dt``."""
        return self.horizon * self.steps_per_week

    @property
    def actor_ids(self) -> tuple[str, ...]:
        """State ids in array order."""
        return tuple(s.id for s in self.states)

    @property
    def rung_names(self) -> tuple[str, ...]:
        return tuple(r.name for r in self.ladder)

    @property
    def members(self) -> tuple[str, ...]:
        """Ids of coalition members, in array order."""
        return tuple(s.id for s in self.states if s.coalition is not None)

    def index(self, actor_id: str) -> int:
        return self.actor_ids.index(actor_id)

    @property
    def path(self) -> Path | None:
        return None if self.source == "<memory>" else Path(self.source)


def check_scenario(value) -> Scenario:
    """``value`` if it is a validated :class:`Scenario`; else a one-line :class:`sim.checks.InputError`."""
    from sim import checks
    if not isinstance(value, Scenario):
        raise checks.InputError("scenario", type(value).__name__, "a Scenario (from sim.load_scenario)")
    return value
