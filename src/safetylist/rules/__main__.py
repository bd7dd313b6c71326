"""``python -m safetylist.rules``: the rules, one a line; ``--markdown``: ``docs/rules.md``."""

from __future__ import annotations

import sys

from . import markdown


def main(argv: list[str]) -> int:
    if argv == ["--markdown"]:
        sys.stdout.buffer.write(markdown().encode("utf-8"))  # UTF-8 whatever the console's
    elif not argv:
        from . import RULES as rules

        width = max(len(r.id) for r in rules)
        sys.stdout.write("".join(f"{r.id:<{width}}  {r.level:<7}  {r.summary}\n" for r in rules))
    else:
        sys.stderr.write("usage: python -m safetylist.rules [--markdown]\n")
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
