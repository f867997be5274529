"""How long extraction takes per sample page (prints figures; never a timed test).

python benchmarks/extraction_benchmark.py [--rounds 20]
"""

from __future__ import annotations

import argparse
import statistics
import time

from linkedin_assets.core.extraction import extract_profile
from linkedin_assets.local.sample_site import PAGES_DIR, load_sample_profiles


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    pages = [
        (
            (PAGES_DIR / p.profile_id / "profile.html").read_text(encoding="utf-8"),
            (PAGES_DIR / p.profile_id / "activity.html").read_text(encoding="utf-8")
            if p.has_activity_page
            else None,
        )
        for p in load_sample_profiles()
        if p.outcome == "ok"
    ]
    per_page_ms = []
    for _ in range(args.rounds):
        started = time.perf_counter()
        for page in pages:
            extract_profile(*page)
        per_page_ms.append((time.perf_counter() - started) * 1000 / len(pages))
    print(
        f"extraction of {len(pages)} sample pages, {args.rounds} rounds: "
        f"median {statistics.median(per_page_ms):.2f} ms/page, "
        f"best {min(per_page_ms):.2f}, worst {max(per_page_ms):.2f}"
    )


if __name__ == "__main__":
    main()
