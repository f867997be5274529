"""What a run did to each profile, read back from the Dagster instance's event log."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import dagster as dg


@dataclass
class ProfileRow:
    profile_id: str
    materialized: dict[str, dict[str, Any]] = field(default_factory=dict)
    failure: dict[str, Any] | None = None
    deferred: str | None = None  # why the profile was left for a later run
    # The site's answer recorded instead of a capture: {"unavailable": kind, "reason": ...}.
    unavailable: dict[str, Any] | None = None
    checks: dict[str, tuple[bool, str]] = field(default_factory=dict)  # name -> (passed, why)

    @property
    def failed_checks(self) -> list[str]:
        return [f"{name}: {why}" for name, (passed, why) in self.checks.items() if not passed]


def run_rows(instance: dg.DagsterInstance, run_id: str, profile_ids: list[str]) -> list[ProfileRow]:
    """One row per profile: which assets it materialized (with metadata) and how it failed."""
    rows = {pid: ProfileRow(pid) for pid in profile_ids}
    kinds = {
        dg.DagsterEventType.ASSET_MATERIALIZATION,
        dg.DagsterEventType.ASSET_CHECK_EVALUATION,
        dg.DagsterEventType.ASSET_OBSERVATION,
        dg.DagsterEventType.STEP_FAILURE,
    }
    for record in instance.all_logs(run_id, of_type=kinds):
        event = record.dagster_event
        if event is None:
            continue
        if event.event_type == dg.DagsterEventType.ASSET_MATERIALIZATION:
            mat = event.step_materialization_data.materialization
            if mat.partition in rows:
                rows[mat.partition].materialized[mat.asset_key.to_user_string()] = {
                    k: v.value for k, v in mat.metadata.items()
                }
        elif event.event_type == dg.DagsterEventType.ASSET_OBSERVATION:
            observation = event.asset_observation_data.asset_observation
            if observation.partition not in rows:
                continue
            meta = observation.metadata
            if "deferred" in meta:
                rows[observation.partition].deferred = str(meta["deferred"].value)
            elif "unavailable" in meta:
                rows[observation.partition].unavailable = {k: v.value for k, v in meta.items()}
        elif event.event_type == dg.DagsterEventType.ASSET_CHECK_EVALUATION:
            evaluation = event.event_specific_data
            if evaluation.partition in rows:
                rows[evaluation.partition].checks[evaluation.check_name] = (
                    evaluation.passed,
                    evaluation.description or "",
                )
        else:
            user = event.step_failure_data.user_failure_data
            failures = user.metadata.get("failures") if user else None
            for pid, failure in (failures.value if failures else {}).items():
                if pid in rows:
                    rows[pid].failure = failure
    return list(rows.values())
