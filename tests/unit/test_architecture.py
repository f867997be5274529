"""The layers as checked: every part of the package has a place in the import contracts, and the
pure core loads without Dagster, the browser or moto. `lint-imports` (make lint, make test) checks
the contracts themselves; docs/architecture.md draws them."""

import subprocess
import sys
import tomllib
from pathlib import Path

import linkedin_assets

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = Path(linkedin_assets.__file__).parent
# Outside code imports these; nothing of ours may, and they import only what they re-export.
NOT_LAYERED = {"linkedin_assets", "linkedin_assets.profile_ids"}


def _contracts() -> list[dict]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    return config["tool"]["importlinter"]["contracts"]


def _top_level_parts() -> set[str]:
    parts = {f"linkedin_assets.{p.stem}" for p in PACKAGE.glob("*.py")}
    parts |= {f"linkedin_assets.{p.parent.name}" for p in PACKAGE.glob("*/__init__.py")}
    return parts - {"linkedin_assets.__init__"}


def test_every_part_of_the_package_has_a_layer() -> None:
    # A new folder or top-level module outside the layers would be free to import anything.
    layers = next(c for c in _contracts() if c["type"] == "layers")["layers"]
    named = {name.strip() for layer in layers for name in layer.split("|")}
    local = {
        m
        for c in _contracts()
        if c["type"] == "forbidden"
        for m in c["source_modules"]
        if m == "linkedin_assets.local"
    }
    testing = {
        m
        for c in _contracts()
        if c["type"] == "forbidden"
        for m in c["forbidden_modules"]
        if m == "linkedin_assets.testing"
    }
    assert _top_level_parts() - NOT_LAYERED - named - local - testing == set()


def test_nothing_of_ours_is_left_out_of_the_testing_fence() -> None:
    # Every part but the test tools themselves must be forbidden from importing them.
    fence = next(c for c in _contracts() if c["id"] == "testing-is-for-tests")
    sources = set(fence["source_modules"])
    assert _top_level_parts() - {"linkedin_assets.testing"} - sources == set()


def test_the_pure_core_loads_without_dagster_the_browser_or_moto() -> None:
    # What import-linter reads statically, checked at run time too: nothing core loads (an
    # __init__, a plugin) pulls them in.
    script = (
        "import importlib, pkgutil, sys\n"
        "import linkedin_assets.core as core\n"
        "for m in pkgutil.walk_packages(core.__path__, 'linkedin_assets.core.'):\n"
        "    importlib.import_module(m.name)\n"
        "print(sorted({n.split('.')[0] for n in sys.modules\n"
        "              if n.split('.')[0] in ('dagster', 'dagster_aws', 'playwright', 'moto')}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "[]"
