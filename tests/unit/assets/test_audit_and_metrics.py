import pytest

from linkedin_assets.assets.reports.profile_store_audit import (
    ObjectFacts,
    audit_findings,
    classify_profile_key,
    classify_screenshot_key,
    resolve_legacy_meta,
)
from linkedin_assets.assets.upload_metrics import (
    ProfileUpload,
    error_signature,
    percentile,
    run_metrics,
    window_report,
)


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
) -> ProfileUpload:
    return ProfileUpload(pid, outcome, attempts, 100 if outcome else 0, seconds, kind, error)


def test_run_metrics_count_outcomes_retries_and_errors() -> None:
    metrics = run_metrics(
        [
            upload("a", seconds=0.1), upload("b", attempts=3, seconds=0.3), upload("c", "unchanged"),
            upload("d", None, 0, "blocked", "profile 'd' at http://x/in/d/: redirected to /authwall"),
            upload("e", None, 0, "blocked", "profile 'e' at http://x/in/e/: redirected to /authwall"),
            upload("f", None, 0, "not_found", "profile 'f' at http://x/in/f/: HTTP 404 from the site"),
            upload("g", None, 5, "storage_failed", "upload of s3://b/profiles/g.json failed after 5 attempt(s): SlowDown (HTTP 503)"),
        ],
        run_seconds=3.5,
    )  # fmt: skip
    assert {k: metrics[k] for k in ("profiles", "uploaded", "unchanged", "failed", "blocked", "not_found")} == {
        "profiles": 7, "uploaded": 2, "unchanged": 1, "failed": 1, "blocked": 2, "not_found": 1,
    }  # fmt: skip
    assert metrics["retried"] == 2 and metrics["attempts"] == 1 + 3 + 1 + 5
    assert (
        metrics["bytes_uploaded"] == 200
        and metrics["p95_upload_s"] == 0.3
        and metrics["profiles_per_s"] == 2.0
    )
    assert metrics["errors"]["blocked: profile … at … redirected to /authwall"] == 2


def test_error_signature_groups_alike_errors() -> None:
    a = error_signature(
        "storage_failed", "upload of s3://b/profiles/a.json failed after 5 attempt(s)"
    )
    b = error_signature(
        "storage_failed", "upload of s3://b/profiles/zz.json failed after 3 attempt(s)"
    )
    assert a == b


def test_window_report_rates_and_top_errors() -> None:
    runs = [
        {"run_id": "r1", "profiles": 10, "uploaded": 8, "unchanged": 0, "failed": 2, "blocked": 0, "not_found": 0,
         "retried": 1, "bytes_uploaded": 800, "run_seconds": 5.0, "errors": {"x": 2}},
        {"run_id": "r2", "profiles": 10, "uploaded": 0, "unchanged": 10, "failed": 0, "blocked": 0, "not_found": 0,
         "retried": 0, "bytes_uploaded": 0, "run_seconds": 5.0, "errors": {"x": 1, "y": 1}},
    ]  # fmt: skip
    table, top, totals = window_report(runs)
    assert list(table["run_id"]) == ["r1", "r2"]
    assert totals == {"runs": 2, "profiles": 20, "success_rate": 0.9, "retry_rate": 0.05,
                      "throughput_profiles_per_s": 2.0, "bytes_uploaded": 800}  # fmt: skip
    assert top.to_dict("records") == [{"error": "x", "count": 3}, {"error": "y", "count": 1}]
    empty_table, empty_top, empty_totals = window_report([])
    assert empty_totals["runs"] == 0 and empty_totals["success_rate"] == 0.0 and len(empty_top) == 0


def test_percentile() -> None:
    assert percentile([], 0.5) == 0.0
    assert percentile([3.0, 1.0, 2.0], 0.5) == 2.0
    assert percentile([float(n) for n in range(1, 101)], 0.95) == 95.0
