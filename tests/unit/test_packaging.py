"""What `pip install .` brings, what each extra adds, and that uv.lock was made from this
pyproject.toml (`uv sync --frozen` installs the lock without checking it)."""

import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
LOCK = tomllib.loads((ROOT / "uv.lock").read_text())
# Never in a deployed code location (issue 15: the production image carried ~90 MB of these).
NOT_AT_RUNTIME = {
    "moto", "pytest", "pytest-timeout", "hypothesis", "ruff", "mypy", "import-linter", "psutil",
    "markdown-it-py", "dagster-webserver", "dagster-k8s", "dagster-docker",
}  # fmt: skip

Row = tuple[str, str, tuple[str, ...], str | None]


def names(requirements: list[str]) -> set[str]:
    return {canonicalize_name(Requirement(r).name) for r in requirements}


def test_the_runtime_dependencies_are_what_a_deployed_code_location_needs() -> None:
    runtime = names(PROJECT["dependencies"])
    assert runtime & NOT_AT_RUNTIME == set()
    assert {"dagster", "dagster-aws", "dagster-postgres", "boto3", "playwright"} <= runtime


def test_each_extra_adds_its_part() -> None:
    extras = PROJECT["optional-dependencies"]
    assert {"moto", "dagster-webserver"} <= names(extras["local"])
    assert {"pytest", "ruff", "mypy", "import-linter"} <= names(extras["dev"])
    # The tests run on the local stack, and check the launcher configs of deploy/ (k8s, docker).
    (self_extra,) = [Requirement(r) for r in extras["dev"] if r.startswith("linkedin-assets")]
    assert self_extra.extras == {"local", "k8s", "docker"}
    assert names(extras["k8s"]) == {"dagster-k8s"}
    assert names(extras["docker"]) == {"dagster-docker"}
    moto = next(Requirement(r) for r in extras["local"] if r.startswith("moto"))
    assert {"server", "s3", "dynamodb"} <= moto.extras


def test_boto3_stays_pinned_to_the_minor_release_the_tests_ran_on() -> None:
    pins = {Requirement(r).name: Requirement(r).specifier for r in PROJECT["dependencies"]}
    assert pins["boto3"] == pins["botocore"] == SpecifierSet(">=1.44,<1.45")


def _pyproject_rows() -> set[Row]:
    rows: set[Row] = set()
    groups = [(None, PROJECT["dependencies"])] + list(PROJECT["optional-dependencies"].items())
    for extra, requirements in groups:
        for text in requirements:
            r = Requirement(text)
            rows.add((canonicalize_name(r.name), str(r.specifier), tuple(sorted(r.extras)), extra))
    return rows


def _lock_rows() -> set[Row]:
    package = next(p for p in LOCK["package"] if p["name"] == PROJECT["name"])
    rows: set[Row] = set()
    for entry in package["metadata"]["requires-dist"]:
        marker = entry.get("marker")
        extra = marker.split("==")[1].strip().strip("'\"") if marker else None
        specifier = str(SpecifierSet(entry.get("specifier", "")))
        rows.add((canonicalize_name(entry["name"]), specifier, tuple(sorted(entry.get("extras", []))), extra))  # fmt: skip
    return rows


def test_the_lock_was_made_from_this_pyproject() -> None:
    pyproject, lock = _pyproject_rows(), _lock_rows()
    assert pyproject == lock, (
        f"uv.lock is stale: run `uv lock` and commit it\n"
        f"only in pyproject.toml: {sorted(pyproject - lock)}\nonly in uv.lock: {sorted(lock - pyproject)}"
    )


def test_the_lock_pins_every_extra() -> None:
    package = next(p for p in LOCK["package"] if p["name"] == PROJECT["name"])
    assert set(package["metadata"]["provides-extras"]) == set(PROJECT["optional-dependencies"])
    locked = {p["name"] for p in LOCK["package"]}
    assert {"moto", "pytest", "dagster-k8s", "dagster-docker", "dagster-webserver"} <= locked


BLOCK_EXTRAS = """
import sys

class NotInstalled:
    # As if only `pip install .` had run: the local extra's packages cannot be imported.
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("moto", "dagster_webserver", "pytest"):
            raise ModuleNotFoundError(f"No module named {name!r}")
        return None

sys.meta_path.insert(0, NotInstalled())
import linkedin_assets.definitions
import linkedin_assets.commands.cli
print(sorted(linkedin_assets.definitions.defs.resources))
"""


def test_the_code_location_loads_in_prod_without_the_extras() -> None:
    import os
    import subprocess
    import sys

    environ = {
        **os.environ,
        "LINKEDIN_ASSETS_ENV": "prod",
        "S3_SCREENSHOT_BUCKET_NAME": "b",
        "DYNAMODB_PROFILE_TABLE": "t",
    }
    for name in ("AWS_ENDPOINT_URL", "LINKEDIN_BASE_URL", "DAGSTER_HOME"):
        environ.pop(name, None)
    result = subprocess.run(
        [sys.executable, "-c", BLOCK_EXTRAS],
        env=environ, cwd=ROOT, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    assert "profile_storage" in result.stdout
