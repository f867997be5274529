"""``upload_metrics``: the upload success and retry rates (over the uploads tried), attempts,
bytes, throughput and the most frequent errors of the pipeline runs in a time window, with the
profiles that ended before their upload (auth wall, not found, rate limited…) counted beside them;
from the per-run observations of ``profile_json``."""

import time
from datetime import UTC, datetime
from typing import Any

import dagster as dg
from pydantic import Field

from linkedin_assets.assets.pipeline import JSON
from linkedin_assets.assets.upload_metrics import window_report
from linkedin_assets.resources.configured import ProfileStorageResource

PAGE = 500


class UploadMetricsConfig(dg.Config):
    window_hours: float = Field(default=24 * 7, description="How far back to look.")


def observed_runs(instance: dg.DagsterInstance, after_timestamp: float) -> list[dict[str, Any]]:
    """The per-run figures recorded since ``after_timestamp``, oldest first (paginated)."""
    runs: list[dict[str, Any]] = []
    cursor = None
    while True:
        result = instance.fetch_observations(
            dg.AssetRecordsFilter(asset_key=JSON, after_timestamp=after_timestamp),
            limit=PAGE,
            cursor=cursor,
            ascending=True,
        )
        for record in result.records:
            observation = record.asset_observation
            if observation is None or observation.partition is not None:
                continue
            figures = {key: value.value for key, value in observation.metadata.items()}
            stamp = datetime.fromtimestamp(record.timestamp, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
            runs.append({**figures, "run_id": record.run_id, "timestamp": stamp})
        if not result.has_more:
            return runs
        cursor = result.cursor


@dg.asset(name="upload_metrics", group_name="reports", deps=[JSON], kinds={"pandas", "s3"})
def upload_metrics(
    context: dg.AssetExecutionContext,
    config: UploadMetricsConfig,
    profile_storage: ProfileStorageResource,
) -> dg.MaterializeResult:
    """Upload success and retry rates over the uploads tried, and capture outcomes, in a window."""
    runs = observed_runs(context.instance, time.time() - config.window_hours * 3600)
    table, top_errors, totals = window_report(runs)
    storage = profile_storage.open()
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    urls = {}
    for name, frame in (("runs", table), ("errors", top_errors)):
        put = storage.objects.put(
            storage.profile_text_bucket,
            f"reports/upload_metrics/{stamp}-{name}.csv",
            frame.to_csv(index=False).encode(),
            content_type="text/csv; charset=utf-8",
            metadata={"report": "upload_metrics", "window-hours": str(config.window_hours)},
        )
        urls[f"{name}_csv"] = put.url
    context.log.info(f"upload metrics over {config.window_hours} h: {totals}")
    return dg.MaterializeResult(
        metadata={
            **totals,
            "window_hours": config.window_hours,
            "per_run": dg.MetadataValue.md(
                table.to_markdown(index=False) if len(table) else "No runs in the window."
            ),
            "top_errors": dg.MetadataValue.md(
                top_errors.to_markdown(index=False) if len(top_errors) else "No errors."
            ),
            **urls,
        }
    )
