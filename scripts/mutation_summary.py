"""The share of mutants killed, per folder and per file, from mutmut's results in ``mutants/``
(`make mutation` prints it after `mutmut run`; docs/testing.md records the figures).

    python scripts/mutation_summary.py [--files] [--survivors PATTERN]

Killed: a test failed with the mutant in place, or the tests timed out (mutmut's limit is 15 times
the tests' own time: an endless loop, or a machine too busy; shown apart). Survived: every test
passed, or no test reached the mutated function ("no tests": a gap just the same).
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import sys
from collections import Counter
from pathlib import Path

from mutmut.stats import status_by_exit_code

KILLED = {"killed", "timeout", "caught by type check", "segfault"}
NOT_RUN = {"not checked", "skipped", "check was interrupted by user"}


def results(mutants: Path) -> dict[str, dict[str, str]]:
    """``{source file: {mutant: status}}`` for every file mutmut mutated."""
    found: dict[str, dict[str, str]] = {}
    for meta in sorted(mutants.rglob("*.py.meta")):
        source = str(meta.relative_to(mutants)).removesuffix(".meta")
        codes = json.loads(meta.read_text(encoding="utf-8")).get("exit_code_by_key", {})
        found[source] = {name: status_by_exit_code[code] for name, code in codes.items()}
    return found


def share(statuses: Counter[str]) -> tuple[int, int, float]:
    run = sum(n for status, n in statuses.items() if status not in NOT_RUN)
    killed = sum(n for status, n in statuses.items() if status in KILLED)
    return killed, run, 100.0 * killed / run if run else 0.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mutants", type=Path, default=Path("mutants"))
    parser.add_argument("--files", action="store_true", help="a line per source file too")
    parser.add_argument("--survivors", metavar="PATTERN", help="list surviving mutants")
    args = parser.parse_args()
    found = results(args.mutants)
    if not found:
        print(f"no mutmut results under {args.mutants}/: run `mutmut run` first")
        return 1
    by_folder: dict[str, Counter[str]] = {}
    for source, mutants in found.items():
        parts = Path(source).parts
        folder = "/".join(parts[:2]) if len(parts) > 2 else parts[0]
        counts = by_folder.setdefault(folder, Counter())
        counts.update(mutants.values())
        if args.files:
            killed, run, pct = share(Counter(mutants.values()))
            print(f"  {source:60} {killed:5}/{run:<5} {pct:5.1f} % killed")
    for folder, counts in sorted(by_folder.items()):
        killed, run, pct = share(counts)
        pending = sum(n for status, n in counts.items() if status in NOT_RUN)
        print(
            f"{folder:30} {killed:5} of {run:5} mutants killed: {pct:5.1f} %"
            f"  (timed out {counts['timeout']}, survived {counts['survived']}, "
            f"no tests {counts['no tests']}" + (f", not run yet {pending}" if pending else "") + ")"
        )
    if args.survivors:
        for mutants in found.values():
            for name, status in sorted(mutants.items()):
                if status in ("survived", "no tests") and fnmatch.fnmatch(name, args.survivors):
                    print(f"{status:9} {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
