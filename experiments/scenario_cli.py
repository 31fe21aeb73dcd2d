"""``escalate-scenario``: check, read, compare, scaffold and source scenario files without running them.

    escalate-scenario validate my_case.yaml other.yaml
    escalate-scenario show baseline
    escalate-scenario diff baseline germany_joins
    escalate-scenario new my_case --from baseline
    escalate-scenario sources no_us_guarantee
    escalate-scenario schema
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

PROG = "escalate-scenario"


def _load(ref: str, overrides=()):
    from sim import load_scenario
    return load_scenario(ref, list(overrides))


def cmd_validate(args) -> int:
    from sim.scenario.load import scenario_problems
    failed = 0
    for ref in args.files:
        problems = scenario_problems(ref)
        failed += bool(problems)
        for err in problems:
            print(f"{PROG}: error: {err}", file=sys.stderr)
        if not problems:
            print(f"{ref}: ok")
    if len(args.files) > 1:
        print(f"{len(args.files) - failed} of {len(args.files)} scenario files are valid")
    return 1 if failed else 0


def cmd_show(args) -> int:
    from experiments.authoring import show
    print(show(_load(args.scenario)))
    return 0


def cmd_diff(args) -> int:
    from experiments.authoring import diff_table
    print(diff_table(_load(args.a, args.set_a), _load(args.b, args.set_b)))
    return 0


def cmd_new(args) -> int:
    from experiments.authoring import scaffold
    from sim.files import atomic_write_text
    from sim.scenario.load import SCENARIO_DIR, resolve_path

    out = Path(args.out) if args.out else Path(f"{args.name}.yaml")
    if out.exists() and not args.force:
        print(f"{PROG}: error: {out}: file exists (use --force to overwrite)", file=sys.stderr)
        return 2
    base_path = resolve_path(args.base)
    if base_path.resolve().parent in (SCENARIO_DIR.resolve(), out.resolve().parent):
        extends = base_path.stem
    else:
        extends = str(base_path.resolve())
    atomic_write_text(out, scaffold(_load(args.base), args.name, extends, out))
    _load(out)  # what was written must load: fail loudly here rather than at the first run
    print(f"wrote {out}; run it with: escalate scenario_file={out}")
    return 0


def cmd_sources(args) -> int:
    from experiments.authoring import table
    from sim.scenario.sources import assumption_summary, number_sources

    _load(args.scenario)  # a scenario that does not validate has no meaningful sources
    entries = number_sources(args.scenario)
    if args.assumed:
        entries = [e for e in entries if e.assumed]
    print(table(["path", "value", "direction from", "size from", "file:line"],
                [[e.path, e.value, e.direction or "—", e.size or "—", f"{Path(e.file).name}:{e.line}"]
                 for e in entries]))
    s = assumption_summary(number_sources(args.scenario))
    print(f"\n{s['numbers']} numbers: {s['cited']} cited, {s['calibrated']} calibrated, "
          f"{s['assumption']} assumptions, {s['unsourced']} without a source; "
          f"assumed: {s['assumed_share']:.0%}")
    return 0


def cmd_schema(args) -> int:
    from sim.scenario.schema import SCHEMA_FILE, schema_text, write_schema
    if args.out == "-":
        sys.stdout.write(schema_text())
        return 0
    docs = Path(args.docs) if args.docs else None
    if docs is None and not args.out:  # the shipped schema goes with the key table of the docs beside it
        shipped_docs = SCHEMA_FILE.parent.parent / "docs" / "scenarios.md"
        docs = shipped_docs if shipped_docs.is_file() else None
    for path in write_schema(Path(args.out) if args.out else SCHEMA_FILE, docs):
        print(f"wrote {path}")
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog=PROG, description="Check, read, compare, scaffold and source scenario files.")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")
    v = sub.add_parser("validate", help="validate scenario files without running them (every problem at once)")
    v.add_argument("files", nargs="+", metavar="FILE", help="scenario files or shipped names")
    s = sub.add_parser("show", help="a readable summary of a scenario")
    s.add_argument("scenario", metavar="NAME|FILE")
    d = sub.add_parser("diff", help="the parameters that differ between two scenarios")
    d.add_argument("a", metavar="A")
    d.add_argument("b", metavar="B")
    d.add_argument("--set-a", action="append", default=[], metavar="PATH=VALUE", help="override on A (repeatable)")
    d.add_argument("--set-b", action="append", default=[], metavar="PATH=VALUE", help="override on B (repeatable)")
    n = sub.add_parser("new", help="scaffold a variant file, ready to edit")
    n.add_argument("name", metavar="NAME")
    n.add_argument("--from", dest="base", default="baseline", metavar="NAME|FILE", help="the scenario it extends")
    n.add_argument("--out", metavar="PATH", help="where to write it (default: NAME.yaml)")
    n.add_argument("--force", action="store_true", help="overwrite an existing file")
    o = sub.add_parser("sources", help="every number with the source of its direction and size")
    o.add_argument("scenario", metavar="NAME|FILE")
    o.add_argument("--assumed", action="store_true", help="list only the assumed numbers (the summary counts all)")
    c = sub.add_parser("schema", help="write the JSON Schema of scenario files and the key table of the docs")
    c.add_argument("--out", metavar="PATH", help="schema file (default: the shipped configs/scenario.schema.json; "
                                                 "'-': standard output)")
    c.add_argument("--docs", metavar="PATH", help="markdown file whose key table to refresh "
                                                  "(default without --out: docs/scenarios.md when present)")
    return p


COMMANDS = {"validate": cmd_validate, "show": cmd_show, "diff": cmd_diff, "new": cmd_new,
            "sources": cmd_sources, "schema": cmd_schema}


def main(argv: list[str] | None = None) -> int:
    from sim import ScenarioError
    args = parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except BrokenPipeError:  # output piped into `head`: not an error
        sys.stderr.close()
        return 0
    except (ScenarioError, ValueError, OSError) as err:
        print(f"{PROG}: error: {err}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
