"""Headline of every shipped scenario and the steepness of P(clash) in the coalition weights.

    python -m experiments.headlines [REPLICATES] [SEED]

Prints two markdown tables (docs/model.md, "What changed in v2"): per scenario, P(clash) split by
cause, deployments, Russia's highest rung and de-escalation; then the one-at-a-time elasticity
(P(1.2 w) - P(0.8 w)) / (0.4 P(w)) of the baseline's P(clash) to each coalition weight.
"""
from __future__ import annotations

import sys

import sim

WEIGHTS = ("guarantee_weight", "lead_weight", "peer_weight", "threat_weight", "cost_weight", "autonomy_weight")


def headline(name: str, replicates: int, seed: int, overrides=()) -> dict[str, float]:
    s = sim.load_scenario(name, list(overrides))
    d = sim.run_ensemble(s, replicates, seed).summary
    return {
        "p_clash": d["clash"].mean(), "incident": (d["clash_cause"] == "incident").mean(),
        "deliberate": (d["clash_cause"] == "deliberate").mean(), "peak": d["deployed_peak"].mean(),
        "final": d["deployed_final"].median(), "rung": d[f"max_rung_{s.roles.adversary}"].mean(),
        "deescalated": d["deescalated"].mean(),
    }


def elasticity(weight: str, replicates: int, seed: int) -> float:
    value = getattr(sim.load_scenario("baseline").coalition, weight)
    p = {f: headline("baseline", replicates, seed, [f"coalition.{weight}={f * value}"])["p_clash"]
         for f in (0.8, 1.0, 1.2)}
    return (p[1.2] - p[0.8]) / (0.4 * p[1.0])


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    replicates = int(args[0]) if args else 4000
    seed = int(args[1]) if len(args) > 1 else 1
    print("| scenario | P(clash) (incident / deliberate) | mean peak deployed | median deployed at the horizon "
          "| mean highest rung of the adversary | P(de-escalated) |\n|---|---|---|---|---|---|")
    for name in sim.available_scenarios():
        h = headline(name, replicates, seed)
        print(f"| {name} | {h['p_clash']:.3f} ({h['incident']:.3f} / {h['deliberate']:.3f}) | {h['peak']:.1f} "
              f"| {h['final']:g} | {h['rung']:.2f} | {h['deescalated']:.3f} |")
    print("\n| weight | elasticity of P(clash) |\n|---|---|")
    for weight in WEIGHTS:
        print(f"| {weight} | {elasticity(weight, replicates, seed):.2f} |")


if __name__ == "__main__":
    main()
