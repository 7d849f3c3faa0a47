"""``python -m encuentros.matching <command> ...``: the engine's command line, for scripts and
benchmarks. Commands: ``rotations`` (table rotations) and ``assign`` (optimal assignment)."""

import sys

USAGE = """usage: python -m encuentros.matching {rotations,assign} [options]

  rotations  --groups G --size P --rounds W [--sectors FILE] [--seconds S]
             table rotations with no repeated pair; prints JSON
  assign     --input FILE
             optimal capacity-constrained assignment; prints JSON
"""


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in ("-h", "--help"):
        print(USAGE)
        return 0 if argv else 2
    command, rest = argv[0], argv[1:]
    if command == "rotations":
        from .rotations import main_rotations

        return main_rotations(rest)
    if command == "assign":
        from .assignment import main_assign

        return main_assign(rest)
    print(f"error: unknown command {command!r}\n\n{USAGE}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
