"""Stored resolvable designs: schedules that no formula here produces but that are known to
exist, kept in ``designs.json`` as {"g-p": {"rounds": [...], "source": "..."}}.

Every stored schedule is checked (a partition each round, tables of p, no pair twice) by
``rotations.constructions`` before it is used, so a wrong entry is ignored, never trusted.
"""

import json
from functools import lru_cache
from pathlib import Path

DESIGNS_FILE = Path(__file__).with_name("designs.json")


@lru_cache(maxsize=1)
def _designs() -> dict:
    if not DESIGNS_FILE.exists():
        return {}
    with DESIGNS_FILE.open(encoding="utf-8") as fh:
        return json.load(fh)


def stored_design(g: int, p: int):
    """(method name, rounds) for g tables of p people, or None."""
    entry = _designs().get(f"{g}-{p}")
    if entry is None:
        return None
    return f"stored resolvable design ({entry['source']})", entry["rounds"]


def main(argv=None) -> int:
    """``python -m encuentros.matching.designs G P W [--seconds S] [--seeds K]``: search for a
    zero-repeat schedule with the engine and store it in designs.json when found (maintenance
    tool for the stored designs; every entry is re-checked when used)."""
    import argparse

    from .rotations import _valid, plan_rotations

    parser = argparse.ArgumentParser(prog="python -m encuentros.matching.designs")
    parser.add_argument("g", type=int)
    parser.add_argument("p", type=int)
    parser.add_argument("w", type=int)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--seeds", type=int, default=5)
    args = parser.parse_args(argv)
    n = args.g * args.p
    for seed in range(args.seeds):
        result = plan_rotations(n, None, args.p, args.w, seconds=args.seconds, seed=seed)
        print(f"seed {seed}: {result.repeated_pairs} repeated pairs ({result.method})",
              flush=True)
        if result.repeated_pairs == 0 and _valid(result.rounds, n, args.p):
            designs = dict(_designs())
            key = f"{args.g}-{args.p}"
            if len(designs.get(key, {}).get("rounds", [])) >= args.w:
                print("a design with as many rounds is already stored")
                return 0
            designs[key] = {"rounds": result.rounds,
                            "source": f"{args.g}-{args.p}-{args.w} found by this engine's "
                                      "tabu search, verified"}
            DESIGNS_FILE.write_text(json.dumps(designs, separators=(",", ":")) + "\n",
                                    encoding="utf-8")
            _designs.cache_clear()
            print(f"stored {key} with {args.w} rounds")
            return 0
    return 1


if __name__ == "__main__":
    import sys

    sys.exit(main())
