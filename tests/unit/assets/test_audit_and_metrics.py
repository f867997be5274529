import boto3
import pytest
from botocore.stub import Stubber

from linkedin_assets.assets.reports.profile_store_audit import (
    ObjectFacts,
    audit_findings,
    classify_profile_key,
    classify_screenshot_key,
    resolve_legacy_meta,
)
from linkedin_assets.assets.upload_metrics import (
    ProfileUpload,
    cloudwatch_data,
    error_signature,
    percentile,
    run_metrics,
    window_report,
)
from linkedin_assets.assets.work import ProfileOutcome
from linkedin_assets.errors import StorageError
from linkedin_assets.resources.object_store import PutResult, S3ObjectStore


def facts(key: str, sha: str | None = "s", encrypted: bool = True) -> ObjectFacts:
    return ObjectFacts(key, encrypted, sha)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("ada.json", ("document", "ada")),
        ("ada.meta.json", ("meta", "ada")),
        # An ID may end in -meta: the name alone says document; the object's metadata decides.
        ("john-meta.json", ("document", "john-meta")),
        ("john-meta.meta.json", ("meta", "john-meta")),
        ("notes.txt", None),
        ("sub/ada.json", None),
        ("a.b.json", None),
        (".meta.json", None),
    ],
)
def test_profile_keys(name: str, expected: tuple[str, str] | None) -> None:
    assert classify_profile_key(name) == expected


@pytest.mark.parametrize(
    ("kind", "pid", "owner", "expected"),
    [
        # profiles/jane-meta.json written by an earlier version as jane's upload record
        ("document", "jane-meta", "jane", ("legacy_meta", "jane")),
        # the same name as the document of the profile jane-meta
        ("document", "jane-meta", "jane-meta", ("document", "jane-meta")),
        ("document", "jane-meta", None, ("document", "jane-meta")),
        ("document", "jane", "jane", ("document", "jane")),
        ("meta", "jane", "jane", ("meta", "jane")),
    ],
)
def test_earlier_upload_records_are_told_by_their_owner(
    kind: str, pid: str, owner: str | None, expected: tuple[str, str]
) -> None:
    assert resolve_legacy_meta(kind, pid, owner) == expected


def test_an_earlier_record_is_listed_but_not_an_inconsistency() -> None:
    findings = audit_findings(
        documents={"jane": facts("profiles/jane.json"), "jane-meta": facts("profiles/jane-meta.json")},
        metas={"jane-meta": facts("profiles/jane-meta.meta.json")},
        legacy_metas={"jane": facts("profiles/jane-meta.json"), "gone": facts("profiles/gone-meta.json")},
        screenshots=[], unexpected=[],
        index_items={
            "jane": {"text_s3_key": "profiles/jane.json", "text_sha256": "s"},
            "jane-meta": {"text_s3_key": "profiles/jane-meta.json", "text_sha256": "s"},
        },
        materialized={"jane", "jane-meta"}, profile_key=lambda pid: f"profiles/{pid}.json",
    )  # fmt: skip
    assert sorted((f.kind, f.profile_id) for f in findings) == [
        ("legacy_meta", "gone"),
        ("legacy_meta", "jane"),
        ("orphaned_meta", "gone"),
    ]


def test_screenshot_keys() -> None:
    assert classify_screenshot_key("ada-profile.png") == "ada"
    assert classify_screenshot_key("ada-activity.png") == "ada"
    assert classify_screenshot_key("ada.png") is None


def test_every_kind_of_inconsistency_is_found() -> None:
    findings = audit_findings(
        documents={"ok": facts("profiles/ok.json"), "lonely": facts("profiles/lonely.json"),
                   "drift": facts("profiles/drift.json", sha="new"), "bare": facts("profiles/bare.json", encrypted=False)},
        metas={"ok": facts("profiles/ok.meta.json"), "orphan": facts("profiles/orphan.meta.json")},
        screenshots=[facts("screenshots/ok-profile.png"), facts("screenshots/x-profile.png", encrypted=False)],
        unexpected=["profiles/notes.txt"],
        index_items={
            "ok": {"text_s3_key": "profiles/ok.json", "text_sha256": "s"},
            "drift": {"text_s3_key": "profiles/drift.json", "text_sha256": "old"},
            "bare": {"text_s3_key": "profiles/bare.json", "text_sha256": "s"},
            "gone": {"text_s3_key": "profiles/gone.json", "text_sha256": "s"},
        },
        materialized={"ok", "gone", "never-stored"},
        profile_key=lambda pid: f"profiles/{pid}.json",
    )  # fmt: skip
    found = sorted((f.kind, f.profile_id or f.key) for f in findings)
    assert found == [
        ("index_checksum_mismatch", "drift"),
        ("index_object_missing", "gone"),
        ("materialized_without_object", "gone"),
        ("materialized_without_object", "never-stored"),
        ("object_without_index_item", "lonely"),
        ("orphaned_meta", "orphan"),
        ("unencrypted_object", "profiles/bare.json"),
        ("unencrypted_object", "screenshots/x-profile.png"),
        ("unexpected_object", "profiles/notes.txt"),
    ]


def test_a_consistent_store_has_no_findings() -> None:
    assert audit_findings(
        documents={"a": facts("profiles/a.json")}, metas={"a": facts("profiles/a.meta.json")},
        screenshots=[facts("screenshots/a-profile.png")], unexpected=[],
        index_items={"a": {"text_s3_key": "profiles/a.json", "text_sha256": "s"}},
        materialized={"a"}, profile_key=lambda pid: f"profiles/{pid}.json",
    ) == []  # fmt: skip


def upload(
    pid: str,
    outcome: str | None = "uploaded",
    attempts: int = 1,
    kind: str | None = None,
    error: str | None = None,
    seconds: float = 0.1,
    deferred: bool = False,
) -> ProfileUpload:
    size = 100 if outcome == "uploaded" else 0
    failed = kind is not None and not deferred
    return ProfileUpload(pid, outcome, attempts, size, seconds, kind, error, deferred, failed)


def failed_put(attempts: int) -> StorageError:
    """The error a real put raises when S3 refused it after ``attempts`` attempts."""
    client = boto3.client("s3", region_name="us-west-2")
    with Stubber(client) as stub:
        stub.add_client_error("head_object", "404", http_status_code=404)
        stub.add_client_error(
            "put_object", "SlowDown", http_status_code=503,
            response_meta={"RetryAttempts": attempts - 1},
        )  # fmt: skip
        with pytest.raises(StorageError) as raised:
            S3ObjectStore(client).put("b", "profiles/g.json", b"{}", content_type="x", metadata={})
    return raised.value


def test_a_failed_upload_counts_what_its_storage_error_says_it_cost() -> None:
    error = failed_put(attempts=4)
    assert error.attempts == 4 and error.transient and error.duration_s > 0
    outcome = ProfileOutcome("g")
    outcome.upload_failed(error)  # round 1 fails after 4 attempts
    outcome.failed_stage, outcome.error_kind, outcome.error = "profile_json", "x", str(error)
    failed = outcome.upload()
    assert (failed.json_outcome, failed.attempts, failed.duration_s) == (
        "failed", 4, error.duration_s,
    )  # fmt: skip
    # Round 2 succeeds at its second attempt: the upload took 6 attempts in all.
    retried = ProfileOutcome("h")
    retried.upload_failed(error)
    retried.document_put(PutResult("b", "profiles/h.json", 10, "s", "e", "uploaded", 2, 0.5))
    retried.completed.append("profile_json")
    assert (retried.upload().json_outcome, retried.upload().attempts) == ("uploaded", 6)
    assert retried.upload().duration_s == pytest.approx(0.5 + error.duration_s)
    assert ProfileOutcome("never-tried").upload().json_outcome is None


def test_a_document_uploaded_before_its_record_failed_stays_uploaded() -> None:
    uploaded = PutResult("b", "profiles/h.json", 10, "s", "e", "uploaded", 1, 0.1)
    unchanged = PutResult("b", "profiles/h.json", 10, "s", "e", "unchanged", 1, 0.1)
    outcome = ProfileOutcome("h")
    outcome.document_put(uploaded)  # round 1: the document went through…
    outcome.upload_failed(failed_put(attempts=2))  # …its record did not
    assert outcome.upload().json_outcome == "failed"  # as long as the stage has not completed
    outcome.document_put(unchanged)  # round 2 finds the document there, and writes the record
    outcome.completed.append("profile_json")
    upload = outcome.upload()
    assert (upload.json_outcome, upload.attempts, upload.bytes) == ("uploaded", 3, 10)


def test_rates_are_over_uploads_tried_and_capture_outcomes_are_beside() -> None:
    metrics = run_metrics(
        [
            upload("a", seconds=0.1), upload("b", attempts=3, seconds=0.3), upload("c", "unchanged"),
            upload("d", None, 0, "blocked", "profile 'd' at http://x/in/d/: redirected to /authwall"),
            upload("e", None, 0, "blocked", "profile 'e' at http://x/in/e/: redirected to /authwall"),
            upload("f", None, 0, "not_found", "profile 'f' at http://x/in/f/: HTTP 404 from the site"),
            upload("g", "failed", 1, "storage_failed", "upload of s3://b/profiles/g.json failed after 1 attempt(s): AccessDenied (HTTP 403)"),
            upload("h", "failed", 12, "storage_unavailable", "storage still failing", deferred=True),
            upload("i", None, 0, "rate_limited", "HTTP 999", deferred=True),
            upload("j", None, 0, "extraction_failed", "no name found"),
        ],
        run_seconds=5.0,
    )  # fmt: skip
    assert {k: metrics[k] for k in (
        "profiles", "uploads_tried", "uploaded", "unchanged", "upload_failed", "upload_deferred",
        "blocked", "not_found", "rate_limited", "not_reached", "profiles_failed", "profiles_deferred",
    )} == {
        "profiles": 10, "uploads_tried": 5, "uploaded": 2, "unchanged": 1, "upload_failed": 1,
        "upload_deferred": 1, "blocked": 2, "not_found": 1, "rate_limited": 1, "not_reached": 1,
        "profiles_failed": 5, "profiles_deferred": 2,
    }  # fmt: skip
    # 3 of the 5 uploads tried succeeded; the auth walls and the 404 are not in the denominator.
    assert metrics["upload_success_rate"] == 0.6
    assert metrics["retried"] == 2 and metrics["upload_retry_rate"] == 0.4
    assert metrics["attempts"] == 1 + 3 + 1 + 1 + 12
    assert metrics["bytes_uploaded"] == 200 and metrics["p95_upload_s"] == 0.3
    assert metrics["profiles_per_s"] == 2.0
    assert metrics["errors"]["blocked: profile … at … redirected to /authwall"] == 2
    assert not any(key.startswith("rate_limited") for key in metrics["errors"])  # deferred


def test_cloudwatch_data_are_the_run_figures() -> None:
    uploads = [
        upload("a", seconds=0.25), upload("b", attempts=3, seconds=0.75),
        upload("g", "failed", 2, "storage_failed", "refused", seconds=0.5),
        upload("d", None, 0, "blocked", "auth wall"),
    ]  # fmt: skip
    data = {d.name: d for d in cloudwatch_data(uploads, run_metrics(uploads, 1.0))}
    assert {name: d.value for name, d in data.items() if d.value is not None} == {
        "UploadsTried": 3, "UploadsSucceeded": 2, "UploadsFailed": 1, "UploadRetries": 3,
        "UploadedBytes": 200, "ProfilesBeforeUpload": 1,
    }  # fmt: skip
    assert data["UploadDuration"].statistics == (3, 1.5, 0.25, 0.75)
    assert data["UploadedBytes"].unit == "Bytes" and data["UploadDuration"].unit == "Seconds"
    none_tried = cloudwatch_data(uploads[3:], run_metrics(uploads[3:], 1.0))
    assert "UploadDuration" not in {d.name for d in none_tried}


def test_error_signature_groups_alike_errors() -> None:
    a = error_signature(
        "storage_failed", "upload of s3://b/profiles/a.json failed after 5 attempt(s)"
    )
    b = error_signature(
        "storage_failed", "upload of s3://b/profiles/zz.json failed after 3 attempt(s)"
    )
    assert a == b


def run_figures(run_id: str, *outcomes: ProfileUpload) -> dict:
    return {"run_id": run_id, **run_metrics(outcomes, 5.0)}


def test_window_report_rates_are_over_the_uploads_of_every_run() -> None:
    runs = [
        run_figures("r1", upload("a"), upload("b", attempts=2), upload("c", "failed", 1, "storage_failed", "x"),
                    upload("d", None, 0, "not_found", "gone"), upload("e", None, 0, "blocked", "wall")),
        run_figures("r2", upload("a", "unchanged"), upload("b", "unchanged"),
                    upload("d", None, 0, "not_found", "gone")),
        # Recorded by an earlier version: listed, not counted (its "failed" mixed both kinds).
        {"run_id": "r0", "profiles": 9, "uploaded": 1, "failed": 8, "uploads_tried": 1, "retried": 0},
    ]  # fmt: skip
    table, top, totals = window_report(runs)
    assert list(table["run_id"]) == ["r1", "r2", "r0"]
    assert {k: totals[k] for k in (
        "runs", "runs_counted", "profiles", "uploads_tried", "uploaded", "unchanged",
        "upload_failed", "upload_success_rate", "retried", "upload_retry_rate", "attempts",
        "attempts_per_upload", "not_found", "blocked", "throughput_profiles_per_s",
    )} == {
        "runs": 3, "runs_counted": 2, "profiles": 8, "uploads_tried": 5, "uploaded": 2,
        "unchanged": 2, "upload_failed": 1, "upload_success_rate": 0.8, "retried": 1,
        "upload_retry_rate": 0.2, "attempts": 6, "attempts_per_upload": 1.2, "not_found": 2,
        "blocked": 1, "throughput_profiles_per_s": 0.8,
    }  # fmt: skip
    assert top.to_dict("records")[0] == {"error": "not_found: gone", "count": 2}
    empty_table, empty_top, empty_totals = window_report([])
    assert empty_totals["runs"] == 0 and empty_totals["upload_success_rate"] == 0.0
    assert len(empty_top) == 0 and len(empty_table) == 0


def test_percentile() -> None:
    assert percentile([], 0.5) == 0.0
    assert percentile([3.0, 1.0, 2.0], 0.5) == 2.0
    assert percentile([float(n) for n in range(1, 101)], 0.95) == 95.0
