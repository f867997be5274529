"""scripts/coverage_floor.py: each package's share of branches, and the floor that fails the build."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]


def floor_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "coverage_floor", ROOT / "scripts/coverage_floor.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("coverage_floor", module)
    spec.loader.exec_module(module)
    return module


def report(covered: int, branches: int) -> dict[str, dict[str, int]]:
    return {"summary": {"covered_branches": covered, "num_branches": branches}}


def test_branches_are_summed_per_package_and_other_files_left_out() -> None:
    files = {
        "linkedin_assets/core/a.py": report(9, 10),
        "linkedin_assets/core/extraction/b.py": report(1, 10),
        "linkedin_assets/resources/c.py": report(5, 5),
        "linkedin_assets/assets/d.py": report(0, 100),
    }
    assert floor_script().branch_shares(files) == {
        "linkedin_assets/core/": (10, 20),
        "linkedin_assets/resources/": (5, 5),
    }


def test_a_package_under_the_floor_is_named_and_one_at_it_passes() -> None:
    lines, under = floor_script().verdict(
        {"linkedin_assets/core/": (899, 1000), "linkedin_assets/resources/": (90, 100)}, 90.0
    )
    assert under == ["linkedin_assets/core/"]
    assert lines == [
        "branch coverage of linkedin_assets/core/: 89.9 % (899 of 1000 branches; floor 90 %)",
        "branch coverage of linkedin_assets/resources/: 90.0 % (90 of 100 branches; floor 90 %)",
    ]


def test_a_package_without_branches_is_under_any_floor() -> None:
    assert floor_script().verdict({"linkedin_assets/core/": (0, 0)}, 90.0)[1] == [
        "linkedin_assets/core/"
    ]


def test_no_data_says_what_to_run(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert floor_script().main(["--data", str(tmp_path / "none")]) == 2
    assert "run `pytest --cov` first" in capsys.readouterr().err
