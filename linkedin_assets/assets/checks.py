"""What every asset check returns: pass or fail, a one-line explanation, and the observed and
expected values as metadata so a failure explains itself in the Dagster UI (pure)."""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from typing import Any

import dagster as dg

from linkedin_assets._compat import AssetCheckEvaluationTargetMaterializationData
from linkedin_assets.assets.partitions import profile_partitions
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

    def evaluation(
        self,
        spec: dg.AssetCheckSpec,
        partition: str,
        target: AssetCheckEvaluationTargetMaterializationData | None = None,
    ) -> dg.AssetCheckEvaluation:
        """One partition's result as Dagster records it; a batched run yields one per partition.

        ``target`` ties the result to the materialization it checked: without it Dagster treats
        the result as out of date and shows the partition's check as missing.
        """
        return dg.AssetCheckEvaluation(
            target_materialization_data=target,
            asset_key=spec.asset_key,
            check_name=spec.name,
            passed=self.passed,
            metadata=self.metadata,
            description=self.description,
            blocking=spec.blocking,
            partition=partition,
        )


def nothing_to_check(profile_id: str, why: str) -> CheckOutcome:
    """The result for a profile this run wrote nothing for, and no run ever did: no object can be
    wrong. Without a result, Dagster keeps the partition's check *planned*, and shows that (as
    skipped, or as failed when the run failed) as the check's latest execution."""
    return CheckOutcome(
        True,
        f"nothing stored for {profile_id}, so nothing to check: {why}",
        {"checked": False, "why": why},
    )


def check_spec(
    name: str, asset: dg.AssetSpec, description: str, blocking: bool = False
) -> dg.AssetCheckSpec:
    # partitions_def on a check spec is a Dagster preview feature, used knowingly and documented in
    # docs/checks.md; its warning would otherwise greet every command and test.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", dg.PreviewWarning)
        return dg.AssetCheckSpec(
            name, asset=asset.key, description=description, blocking=blocking,
            partitions_def=profile_partitions,
        )  # fmt: skip


def latest_materialization(
    instance: dg.DagsterInstance, asset_key: dg.AssetKey, partition: str
) -> AssetCheckEvaluationTargetMaterializationData | None:
    """The partition's latest materialization, as the target a check result refers to."""
    result = instance.fetch_materializations(
        dg.AssetRecordsFilter(asset_key=asset_key, asset_partitions=[partition]), limit=1
    )
    if not result.records:
        return None
    record = result.records[0]
    return AssetCheckEvaluationTargetMaterializationData(
        storage_id=record.storage_id, run_id=record.run_id, timestamp=record.timestamp
    )


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
