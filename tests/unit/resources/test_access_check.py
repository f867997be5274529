"""check-access's probes (resources.access_check): moto's in-process mock for what is held,
botocore's Stubber for refusals moto cannot give (a refused put, KMS, a missing table)."""

from __future__ import annotations

import io
from typing import Any

import boto3
import botocore.exceptions
import pytest
from botocore.response import StreamingBody
from botocore.stub import Stubber

from linkedin_assets.core.ingestion_events import is_profile_document
from linkedin_assets.core.profile_ids import validate_profile_id
from linkedin_assets.errors import LinkedInAssetsError
from linkedin_assets.resources.access_check import (
    PROBE_PREFIX,
    S3Target,
    _answer,
    probe_name,
    probe_s3,
    probe_table,
)
from tests.conftest import BUCKET, REGION, TABLE

AES = {"ServerSideEncryption": "AES256"}


def results(permissions: Any) -> list[tuple[str, str, str]]:
    return [(p.operation, p.action, p.result) for p in permissions]


def test_every_probe_is_held_and_nothing_is_left(aws: dict[str, Any]) -> None:
    s3, dynamodb = aws["s3"], aws["dynamodb"]
    found = list(probe_s3(S3Target(s3, BUCKET, "profiles/"), AES))
    assert results(found) == [
        ("put", "s3:PutObject", "held"),
        ("head", "s3:GetObject", "held"),
        ("get", "s3:GetObject", "held"),
        ("list", "s3:ListBucket", "held"),
        ("delete", "s3:DeleteObject", "held"),
    ]
    assert s3.list_objects_v2(Bucket=BUCKET).get("KeyCount") == 0
    table = list(probe_table(dynamodb, TABLE))
    assert {p.result for p in table} == {"held"}
    assert [p.action for p in table] == [
        "dynamodb:UpdateItem", "dynamodb:BatchGetItem", "dynamodb:Scan", "dynamodb:DeleteItem",
    ]  # fmt: skip
    assert dynamodb.scan(TableName=TABLE)["Count"] == 0


def test_a_probe_name_is_never_a_profile_nor_a_document() -> None:
    name = probe_name()
    assert name.startswith(PROBE_PREFIX) and name != probe_name()
    with pytest.raises(LinkedInAssetsError):
        validate_profile_id(name)
    assert not is_profile_document(f"profiles/{name}", "profiles/")


def test_a_refused_put_leaves_the_rest_unchecked_but_still_lists() -> None:
    s3 = boto3.client("s3", region_name=REGION)
    with Stubber(s3) as stubber:
        stubber.add_client_error("put_object", "AccessDenied", http_status_code=403)
        stubber.add_response("list_objects_v2", {"KeyCount": 0})
        found = list(probe_s3(S3Target(s3, "b", "reports/"), AES))
        stubber.assert_no_pending_responses()
    assert results(found) == [
        ("put", "s3:PutObject", "missing"),
        ("head", "s3:GetObject", "not checked"),
        ("get", "s3:GetObject", "not checked"),
        ("list", "s3:ListBucket", "held"),
        ("delete", "s3:DeleteObject", "not checked"),
    ]
    assert found[0].detail == "AccessDenied (HTTP 403)"


def test_with_sse_kms_the_key_actions_are_named_too() -> None:
    s3 = boto3.client("s3", region_name=REGION)
    with Stubber(s3) as stubber:
        stubber.add_client_error("put_object", "KMS.AccessDeniedException", http_status_code=403)
        stubber.add_response("list_objects_v2", {"KeyCount": 0})
        found = list(probe_s3(S3Target(s3, "b", "profiles/"), {"ServerSideEncryption": "aws:kms"}))
    assert (found[0].action, found[0].result) == ("s3:PutObject + kms:GenerateDataKey", "missing")
    assert found[1].action == "s3:GetObject + kms:Decrypt"


def test_an_error_that_is_not_a_refusal_is_an_error_not_a_missing_permission() -> None:
    dynamodb = boto3.client("dynamodb", region_name=REGION)
    with Stubber(dynamodb) as stubber:
        stubber.add_client_error("update_item", "ResourceNotFoundException", http_status_code=400)
        stubber.add_client_error("scan", "ResourceNotFoundException", http_status_code=400)
        found = list(probe_table(dynamodb, "nope"))
    assert results(found) == [
        ("put", "dynamodb:UpdateItem", "error"),
        ("get", "dynamodb:BatchGetItem", "not checked"),
        ("list", "dynamodb:Scan", "error"),
        ("delete", "dynamodb:DeleteItem", "not checked"),
    ]
    assert found[0].detail == "ResourceNotFoundException (HTTP 400)"


def test_a_refused_delete_names_the_probe_left_behind(aws: dict[str, Any]) -> None:
    s3 = aws["s3"]
    with Stubber(s3) as stubber:
        stubber.add_response("put_object", {})
        stubber.add_response("head_object", {})
        stubber.add_response("get_object", {"Body": StreamingBody(io.BytesIO(b"x"), 1)})
        stubber.add_response("list_objects_v2", {})
        stubber.add_client_error("delete_object", "403", http_status_code=403)
        found = list(probe_s3(S3Target(s3, BUCKET, "captures/"), AES))
    delete = found[-1]
    assert (delete.action, delete.result) == ("s3:DeleteObject", "missing")
    assert delete.left_behind.startswith(f"s3://{BUCKET}/captures/{PROBE_PREFIX}")


def _refused(error: dict[str, str], status: int | None) -> Any:
    response: dict[str, Any] = {"Error": error}
    if status is not None:
        response["ResponseMetadata"] = {"HTTPStatusCode": status}

    def call() -> None:
        raise botocore.exceptions.ClientError(response, "Probe")

    return call


@pytest.mark.parametrize(
    ("call", "answer"),
    [
        (lambda: None, ("held", "")),
        # A refusal is known by its code, or by a bare 403 (a HEAD has no body).
        (_refused({"Code": "AccessDenied"}, None), ("missing", "AccessDenied (HTTP None)")),
        (
            _refused({"Code": "KMS.AccessDeniedException"}, 400),
            ("missing", "KMS.AccessDeniedException (HTTP 400)"),
        ),
        (_refused({"Code": "Odd"}, 403), ("missing", "Odd (HTTP 403)")),
        (_refused({}, 403), ("missing", "Unknown (HTTP 403)")),
        (_refused({"Code": "NoSuchBucket"}, 404), ("error", "NoSuchBucket (HTTP 404)")),
        (_refused({"Code": "InternalError"}, 500), ("error", "InternalError (HTTP 500)")),
    ],  # fmt: skip
)
def test_each_answer_is_held_missing_or_an_error_with_its_code(call: Any, answer: Any) -> None:
    assert _answer(call) == answer


def test_a_connection_that_fails_is_an_error_naming_the_endpoint() -> None:
    def call() -> None:
        raise botocore.exceptions.EndpointConnectionError(endpoint_url="http://127.0.0.1:1")

    assert _answer(call) == (
        "error",
        'EndpointConnectionError: Could not connect to the endpoint URL: "http://127.0.0.1:1"',
    )
