"""``profile_store_audit``: the whole store reconciled against the index and the partitions.

Lists ``profiles/`` and ``screenshots/`` page by page (never stopping at 1,000 keys), HEADs every
object with bounded concurrency, scans the index once, and reports each inconsistency as a row:

    object_without_index_item    profiles/<id>.json with no index item pointing at it
    index_object_missing         an index item whose text_s3_key is not in S3
    index_checksum_mismatch      an index item whose text_sha256 is not the object's
    materialized_without_object  a partition Dagster calls materialized, without profiles/<id>.json
    orphaned_meta                profiles/<id>.meta.json without profiles/<id>.json
    unencrypted_object           any object under the two prefixes without server-side encryption
    unexpected_object            a key under the prefixes that fits no layout rule

Partitions never materialized are counted (``never_materialized``) but are not inconsistencies;
nor are upload records still under the name earlier versions wrote (``profiles/<id>-meta.json``,
told from the document of a profile ``<id>-meta`` by its ``profile-id`` metadata): they are
listed as ``legacy_meta`` rows and counted as ``legacy_meta_records``.
Memory holds one small record per object (key facts, no bodies), so 100,000 objects fit easily.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import dagster as dg
import pandas as pd

from linkedin_assets.assets.checks import ENCRYPTIONS
from linkedin_assets.assets.partitions import profile_partitions
from linkedin_assets.assets.pipeline import JSON, SCREENSHOTS
from linkedin_assets.core.storage_layout import LEGACY_META_SUFFIX, META_SUFFIX, normalise_prefix
from linkedin_assets.resources.configured import (
    ProfileIndexResource,
    ProfileStorage,
    ProfileStorageResource,
)
from linkedin_assets.resources.object_store import SHA256_KEY

FAILING_KINDS = (
    "object_without_index_item",
    "index_object_missing",
    "index_checksum_mismatch",
    "materialized_without_object",
    "orphaned_meta",
    "unencrypted_object",
    "unexpected_object",
)
HEAD_CONCURRENCY = 32
PROFILE_ID_METADATA = "profile-id"
MARKDOWN_ROWS = 50


@dataclass(frozen=True)
class ObjectFacts:
    key: str
    encrypted: bool
    sha256: str | None


@dataclass(frozen=True)
class Finding:
    kind: str
    profile_id: str | None
    key: str | None
    detail: str


def classify_profile_key(name: str) -> tuple[str, str] | None:
    """``("document", id)`` / ``("meta", id)`` for a name under profiles/, else ``None``.

    IDs hold no ``.``, so ``<id>.meta.json`` is never a document. ``<id>-meta.json`` is classed
    as a document here; ``resolve_legacy_meta`` tells an earlier version's record by its object.
    """
    if "/" in name:
        return None
    if name.endswith(META_SUFFIX):
        stem = name[: -len(META_SUFFIX)]
        return ("meta", stem) if stem and "." not in stem else None
    if not name.endswith(".json"):
        return None
    stem = name[: -len(".json")]
    return ("document", stem) if stem and "." not in stem else None


def resolve_legacy_meta(kind: str, pid: str, owner: str | None) -> tuple[str, str]:
    """``("legacy_meta", id)`` for ``<id>-meta.json`` whose ``profile-id`` metadata (``owner``)
    names ``id``: an upload record written by an earlier version. Else ``(kind, pid)`` unchanged:
    the document of a profile whose ID ends in ``-meta``."""
    stem = LEGACY_META_SUFFIX[: -len(".json")]
    if kind == "document" and pid.endswith(stem) and owner == pid[: -len(stem)]:
        return "legacy_meta", owner
    return kind, pid


def classify_screenshot_key(name: str) -> str | None:
    for page in ("profile", "activity"):
        suffix = f"-{page}.png"
        if name.endswith(suffix) and "/" not in name:
            return name[: -len(suffix)]
    return None


def audit_findings(
    *,
    documents: Mapping[str, ObjectFacts],
    metas: Mapping[str, ObjectFacts],
    screenshots: Iterable[ObjectFacts],
    legacy_metas: Mapping[str, ObjectFacts] | None = None,
    unexpected: Iterable[str],
    index_items: Mapping[str, Mapping[str, Any]],
    materialized: set[str],
    profile_key: Any,
) -> list[Finding]:
    """Every inconsistency between the objects, the index and the partitions (pure)."""
    findings: list[Finding] = []
    for pid, facts in documents.items():
        item = index_items.get(pid)
        if item is None or item.get("text_s3_key") != facts.key:
            findings.append(
                Finding("object_without_index_item", pid, facts.key, "no index item points at it")
            )
        elif item.get("text_sha256") != facts.sha256:
            indexed, stored = str(item.get("text_sha256"))[:12], str(facts.sha256)[:12]
            detail = f"index text_sha256 {indexed}…, object {stored}…"
            findings.append(Finding("index_checksum_mismatch", pid, facts.key, detail))
    for pid, item in index_items.items():
        key = item.get("text_s3_key")
        if key and pid not in documents:
            findings.append(
                Finding(
                    "index_object_missing",
                    pid,
                    key,
                    "the index points at it; S3 has no such object",
                )
            )
    for pid in sorted(materialized - set(documents)):
        findings.append(
            Finding(
                "materialized_without_object", pid, profile_key(pid), "Dagster says materialized"
            )
        )
    legacy_metas = legacy_metas or {}
    for pid, facts in [*metas.items(), *legacy_metas.items()]:
        if pid not in documents:
            findings.append(Finding("orphaned_meta", pid, facts.key, "no document beside it"))
    for pid, facts in legacy_metas.items():
        detail = "upload record under its earlier name; the next publish writes `<id>.meta.json`"
        findings.append(Finding("legacy_meta", pid, facts.key, detail))
    for facts in [*documents.values(), *metas.values(), *legacy_metas.values(), *screenshots]:
        if not facts.encrypted:
            findings.append(
                Finding("unencrypted_object", None, facts.key, "no server-side encryption")
            )
    findings += [
        Finding("unexpected_object", None, key, "fits no layout rule") for key in unexpected
    ]
    return findings


def findings_table(findings: list[Finding]) -> pd.DataFrame:
    return pd.DataFrame(
        [(f.kind, f.profile_id, f.key, f.detail) for f in findings],
        columns=["kind", "profile_id", "key", "detail"],
    )


def findings_markdown(table: pd.DataFrame) -> str:
    """The findings as the UI shows them: a Markdown table, IDs and keys in code spans.

    The UI renders it as Markdown, where a bare ``<id>`` is taken for an HTML tag and an ID such
    as ``_ada_`` for emphasis; inside a code span both read as written.
    """
    if table.empty:
        return "No inconsistencies."
    shown = table.head(MARKDOWN_ROWS).copy()
    for column in ("profile_id", "key"):
        shown[column] = shown[column].map(lambda value: f"`{value}`" if value else "")
    return str(shown.to_markdown(index=False))


def collect(storage: ProfileStorage, known: set[str] | None = None) -> dict[str, Any]:
    """List and HEAD everything under the two prefixes (the I/O half of the audit).

    ``known`` (the partitions) is no longer needed to tell a record from a document, and is
    ignored; it stays so callers written before the ``.meta.json`` keys keep working."""
    text_bucket, shot_bucket = storage.profile_text_bucket, storage.screenshot_bucket
    text_prefix = normalise_prefix(storage.layout.profile_text_prefix)
    shot_prefix = normalise_prefix(storage.layout.screenshot_prefix)
    where: dict[str, tuple[str, str]] = {}
    unexpected: list[str] = []
    for listed in storage.objects.list_objects(text_bucket, text_prefix):
        classified = classify_profile_key(listed.key[len(text_prefix) :])
        if classified is None:
            unexpected.append(listed.key)
        else:
            where[listed.key] = classified
    shot_keys = []
    for listed in storage.objects.list_objects(shot_bucket, shot_prefix):
        if classify_screenshot_key(listed.key[len(shot_prefix) :]) is None:
            unexpected.append(listed.key)
        else:
            shot_keys.append(listed.key)
    documents: dict[str, ObjectFacts] = {}
    metas: dict[str, ObjectFacts] = {}
    legacy_metas: dict[str, ObjectFacts] = {}
    by_kind = {"document": documents, "meta": metas, "legacy_meta": legacy_metas}
    for key, info in storage.objects.head_many(text_bucket, list(where), HEAD_CONCURRENCY):
        if info is None:
            continue  # deleted since it was listed
        kind, pid = resolve_legacy_meta(*where[key], info.metadata.get(PROFILE_ID_METADATA))
        facts = ObjectFacts(
            key, info.server_side_encryption in ENCRYPTIONS, info.metadata.get(SHA256_KEY)
        )
        by_kind[kind][pid] = facts
    screenshots = [
        ObjectFacts(key, info.server_side_encryption in ENCRYPTIONS, None)
        for key, info in storage.objects.head_many(shot_bucket, shot_keys, HEAD_CONCURRENCY)
        if info is not None
    ]
    return {
        "documents": documents,
        "metas": metas,
        "legacy_metas": legacy_metas,
        "screenshots": screenshots,
        "unexpected": unexpected,
    }


CONSISTENT_CHECK = dg.AssetCheckSpec(
    "store_consistent",
    asset="profile_store_audit",
    description="Fails when the audit found any inconsistency; the counts say which kinds.",
)


@dg.asset(
    name="profile_store_audit",
    group_name="reports",
    deps=[SCREENSHOTS, JSON],
    check_specs=[CONSISTENT_CHECK],
    kinds={"s3", "dynamodb", "pandas"},
)
def profile_store_audit(
    context: dg.AssetExecutionContext,
    profile_storage: ProfileStorageResource,
    profile_index_store: ProfileIndexResource,
) -> dg.MaterializeResult:
    """Reconciles every object under profiles/ and screenshots/ with the index and partitions."""
    storage = profile_storage.open()
    index = profile_index_store.open()
    partitions = set(context.instance.get_dynamic_partitions(profile_partitions.name))
    materialized = set(context.instance.get_materialized_partitions(JSON)) & partitions
    objects = collect(storage)
    items = {i["profile_id"]: i for i in index.scan(["text_s3_key", "text_sha256"])}
    findings = audit_findings(
        **objects,
        index_items=items,
        materialized=materialized,
        profile_key=storage.layout.profile_key,
    )
    table = findings_table(findings)
    counts = {kind: int((table["kind"] == kind).sum()) for kind in FAILING_KINDS}
    failing = sum(counts.values())
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    report = storage.objects.put(
        storage.profile_text_bucket,
        f"reports/audit/{stamp}.csv",
        table.to_csv(index=False).encode(),
        content_type="text/csv; charset=utf-8",
        metadata={"report": "profile_store_audit"},
    )
    context.log.info(f"audit: {failing} inconsistencies {counts}; report at {report.url}")
    summary = {
        "objects_profiles": sum(len(objects[k]) for k in ("documents", "metas", "legacy_metas")),
        "legacy_meta_records": len(objects["legacy_metas"]),
        "objects_screenshots": len(objects["screenshots"]),
        "index_items": len(items),
        "partitions": len(partitions),
        "never_materialized": len(partitions - materialized),
    }
    return dg.MaterializeResult(
        metadata={
            **summary,
            **counts,
            "inconsistencies": failing,
            "findings": dg.MetadataValue.md(findings_markdown(table)),
            "report_s3_url": report.url,
        },
        check_results=[
            dg.AssetCheckResult(
                passed=failing == 0,
                metadata={"observed": counts, "expected": {kind: 0 for kind in FAILING_KINDS}},
                description="store consistent"
                if failing == 0
                else ", ".join(f"{n} {kind}" for kind, n in counts.items() if n),
            )  # fmt: skip
        ],
    )
