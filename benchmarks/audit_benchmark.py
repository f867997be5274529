"""The reconciliation at scale: 25,000 profiles = 100,000 objects (document, meta, two screenshots)
in moto's in-process S3, with their index items, audited by `profile_store_audit`'s own code.
Prints the time of each phase and peak memory; asserts nothing.

    .venv/bin/python benchmarks/audit_benchmark.py [--profiles 25000]
"""

from __future__ import annotations

import os
import resource
import time
import tracemalloc

import boto3
import click
from moto import mock_aws

from linkedin_assets.assets.reports.profile_store_audit import (
    audit_findings,
    collect,
    findings_table,
)
from linkedin_assets.core.index_items import ItemUpdate
from linkedin_assets.core.storage_layout import StorageLayout
from linkedin_assets.resources.configured import ProfileStorage
from linkedin_assets.resources.object_store import S3ObjectStore
from linkedin_assets.resources.profile_index import DynamoDBIndexStore
from linkedin_assets.resources.provisioning import ensure_bucket, ensure_table

BUCKET, TABLE, REGION = "bench-bucket", "bench-table", "us-west-2"


@click.command()
@click.option("--profiles", default=25_000, show_default=True)
def main(profiles: int) -> None:
    os.environ.update(
        AWS_ACCESS_KEY_ID="bench", AWS_SECRET_ACCESS_KEY="bench", AWS_DEFAULT_REGION=REGION
    )
    with mock_aws():
        s3, dynamodb = (
            boto3.client("s3", region_name=REGION),
            boto3.client("dynamodb", region_name=REGION),
        )
        ensure_bucket(s3, BUCKET, REGION)
        ensure_table(dynamodb, TABLE)
        started = time.perf_counter()
        ids = [f"member-{n:06d}" for n in range(profiles)]
        for pid in ids:
            meta = {"sha256": pid}
            s3.put_object(Bucket=BUCKET, Key=f"profiles/{pid}.json", Body=b"{}", Metadata=meta)
            s3.put_object(Bucket=BUCKET, Key=f"profiles/{pid}.meta.json", Body=b"{}")
            s3.put_object(Bucket=BUCKET, Key=f"screenshots/{pid}-profile.png", Body=b"png")
            s3.put_object(Bucket=BUCKET, Key=f"screenshots/{pid}-activity.png", Body=b"png")
        index = DynamoDBIndexStore(dynamodb, TABLE)
        for pid in ids[:-100]:  # the last hundred documents have no index item
            index.update(
                pid, ItemUpdate(set={"text_s3_key": f"profiles/{pid}.json", "text_sha256": pid})
            )
        print(
            f"setup: {4 * profiles:,} objects and {profiles - 100:,} index items in {time.perf_counter() - started:.0f} s"
        )

        storage = ProfileStorage(S3ObjectStore(s3), StorageLayout(), BUCKET, BUCKET)
        tracemalloc.start()
        started = time.perf_counter()
        objects = collect(storage)
        listed = time.perf_counter() - started
        started = time.perf_counter()
        items = {i["profile_id"]: i for i in index.scan(["text_s3_key", "text_sha256"])}
        scanned = time.perf_counter() - started
        started = time.perf_counter()
        findings = audit_findings(
            **objects,
            index_items=items,
            materialized=set(ids),
            profile_key=storage.layout.profile_key,
        )
        table = findings_table(findings)
        compared = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
        print(f"list + HEAD {4 * profiles:,} objects: {listed:.1f} s; index scan: {scanned:.1f} s; "
              f"findings: {compared:.2f} s -> {len(table):,} rows {dict(table['kind'].value_counts())}")  # fmt: skip
        print(f"audit peak Python heap {peak / 1e6:.0f} MB; process peak RSS "
              f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3:.0f} MB (moto's in-memory S3 included)")  # fmt: skip


if __name__ == "__main__":
    main()
