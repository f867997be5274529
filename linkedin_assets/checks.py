"""What every asset check returns: pass or fail, a one-line explanation, and the observed and
expected values as metadata so a failure explains itself in the Dagster UI (pure)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import dagster as dg

from linkedin_assets.partitions import profile_partitions
from linkedin_assets.resources.object_store import ObjectInfo

ENCRYPTIONS = ("AES256", "aws:kms")


@dataclass(frozen=True)
class CheckOutcome:
    passed: bool
    description: str
    metadata: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_problems(cls, problems: list[str], ok: str, metadata: dict[str, Any]) -> CheckOutcome:
        if problems:
            return cls(False, "; ".join(problems), {**metadata, "problems": problems})
        return cls(True, ok, metadata)

    def evaluation(self, spec: dg.AssetCheckSpec, partition: str) -> dg.AssetCheckEvaluation:
        """One partition's result as Dagster records it; a batched run yields one per partition."""
        return dg.AssetCheckEvaluation(
            asset_key=spec.asset_key,
            check_name=spec.name,
            passed=self.passed,
            metadata=self.metadata,
            description=self.description,
            blocking=spec.blocking,
            partition=partition,
        )


def check_spec(
    name: str, asset: dg.AssetSpec, description: str, blocking: bool = False
) -> dg.AssetCheckSpec:
    # partitions_def on a check spec is a Dagster preview feature (docs/checks.md).
    return dg.AssetCheckSpec(
        name, asset=asset.key, description=description, blocking=blocking,
        partitions_def=profile_partitions,
    )  # fmt: skip


def object_problems(
    info: ObjectInfo | None, key: str, content_type: str
) -> tuple[list[str], dict[str, Any]]:
    """Exists, non-empty, encrypted, of the right type: the problems and what was observed."""
    if info is None:
        return [f"{key} is missing"], {"exists": False}
    observed = {
        "exists": True,
        "size": info.size,
        "server_side_encryption": info.server_side_encryption,
        "content_type": info.content_type,
    }
    problems = []
    if info.size == 0:
        problems.append(f"{key} is empty")
    if info.server_side_encryption not in ENCRYPTIONS:
        problems.append(f"{key} is not encrypted (SSE {info.server_side_encryption!r})")
    if not (info.content_type or "").startswith(content_type):
        problems.append(f"{key} has content type {info.content_type!r}, expected {content_type!r}")
    return problems, observed
