"""Address rules of the local stack (pure: no request is ever sent here)."""

import pytest

from linkedin_assets.errors import ConfigurationError
from linkedin_assets.local.local_stack import LocalStack, StackSettings, loopback_address


@pytest.mark.parametrize(
    ("url", "expected"),
    [("http://127.0.0.1:5757", ("127.0.0.1", 5757)), ("http://localhost:1", ("localhost", 1)),
     ("http://127.0.0.2:80", ("127.0.0.2", 80)), ("http://[::1]:9", ("::1", 9))],
)  # fmt: skip
def test_loopback_urls_are_accepted(url: str, expected: tuple[str, int]) -> None:
    assert loopback_address(url, "X") == expected


@pytest.mark.parametrize(
    "url",
    ["http://10.1.2.3:5757", "http://192.168.0.1:80", "http://example.test:80", "http://0.0.0.0:1",
     "http://127.0.0.1", "not a url"],
)  # fmt: skip
def test_anything_else_is_refused_by_name(url: str) -> None:
    with pytest.raises(ConfigurationError, match="AWS_ENDPOINT_URL"):
        loopback_address(url, "AWS_ENDPOINT_URL")


def test_start_refuses_before_sending_anything(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    sent: list[str] = []
    monkeypatch.setattr(
        "linkedin_assets.local.local_stack.is_listening", lambda url: sent.append(url) or False
    )
    settings = StackSettings(
        "http://10.9.9.9:5757", "http://127.0.0.1:8788", "b", "t", "us-west-2", tmp_path, "k", "s"
    )
    with pytest.raises(ConfigurationError, match="AWS_ENDPOINT_URL"):
        LocalStack(settings).start()
    assert sent == []


@pytest.mark.integration
def test_recording_survives_concurrent_uploads_and_replays(tmp_path) -> None:
    """moto's recorder wrote entries of concurrent large PUTs interleaved, and the next start's
    replay failed; linkedin_assets.local.moto_server keeps every entry whole."""
    import json
    import os
    from concurrent.futures import ThreadPoolExecutor

    import boto3

    from linkedin_assets.testing.fault_suite import stack_environment

    environ = stack_environment(tmp_path)
    settings = StackSettings.from_environ(environ)

    def client():
        return boto3.client(
            "s3", endpoint_url=settings.endpoint_url, region_name=settings.region,
            aws_access_key_id=settings.access_key, aws_secret_access_key=settings.secret_key,
        )  # fmt: skip

    bodies = {f"load/{n}.bin": os.urandom(300_000) for n in range(24)}
    with LocalStack(settings) as stack:
        s3 = client()
        with ThreadPoolExecutor(12) as pool:
            list(pool.map(lambda kv: s3.put_object(Bucket=settings.bucket, Key=kv[0], Body=kv[1]),
                          bodies.items()))  # fmt: skip
        recording = stack.recording_path
    lines = recording.read_text().splitlines()
    assert len(lines) >= len(bodies)
    for line in lines:
        json.loads(line)  # every entry whole
    with LocalStack(settings) as again:
        assert again.replayed
        s3 = client()
        for key, body in bodies.items():
            assert s3.get_object(Bucket=settings.bucket, Key=key)["Body"].read() == body


def test_without_moto_the_stack_names_the_extra_to_install(
    tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # `pip install linkedin-assets` (no extra) has no moto: say which extra brings it, instead of
    # a server that dies on an import error in its log.
    import importlib.util

    real_find_spec = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util,
        "find_spec",
        lambda name, *a: None if name == "moto" else real_find_spec(name, *a),
    )
    monkeypatch.setattr("linkedin_assets.local.local_stack.is_listening", lambda url: False)
    settings = StackSettings(
        "http://127.0.0.1:5757", "http://127.0.0.1:8788", "b", "t", "us-west-2", tmp_path, "k", "s"
    )
    with pytest.raises(ConfigurationError, match=r"linkedin-assets\[local\]"):
        LocalStack(settings).start()


def test_a_moto_server_that_does_not_answer_in_time_is_stopped(
    tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # start() raising means no __exit__: the server must not outlive the error and be taken for a
    # running stack by the next start.
    import socket
    import subprocess

    from linkedin_assets.local import local_stack

    started: list[subprocess.Popen[bytes]] = []

    class Recorded(subprocess.Popen):  # type: ignore[type-arg]
        def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
            super().__init__(*args, **kwargs)
            started.append(self)

    monkeypatch.setattr(local_stack.subprocess, "Popen", Recorded)
    monkeypatch.setattr(local_stack, "is_listening", lambda url: False)
    monkeypatch.setattr(local_stack, "START_TIMEOUT_S", 0.2)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings = StackSettings(
        f"http://127.0.0.1:{port}",
        "http://127.0.0.1:8788",
        "b",
        "t",
        "us-west-2",
        tmp_path,
        "k",
        "s",
    )
    with pytest.raises(ConfigurationError, match="did not start"):
        LocalStack(settings).start()
    assert len(started) == 1 and started[0].poll() is not None


def test_a_moto_server_that_ignores_terminate_is_killed_and_reaped(
    tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A server that outlasts STOP_TIMEOUT_S after terminate() is killed; stop() must also wait for
    # it, or it returns with the process still alive (kill() only sends the signal).
    import signal
    import subprocess

    from linkedin_assets.local import local_stack

    started: list[subprocess.Popen[bytes]] = []

    def ignore_terminate() -> None:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)  # inherited across exec

    class Stubborn(subprocess.Popen):  # type: ignore[type-arg]
        def __init__(self, args, **kwargs) -> None:  # type: ignore[no-untyped-def]
            super().__init__(["sleep", "60"], preexec_fn=ignore_terminate, **kwargs)
            started.append(self)

    monkeypatch.setattr(local_stack.subprocess, "Popen", Stubborn)
    monkeypatch.setattr(local_stack, "is_listening", lambda url: False)
    monkeypatch.setattr(local_stack, "START_TIMEOUT_S", 0.0)
    monkeypatch.setattr(local_stack, "STOP_TIMEOUT_S", 0.1)
    settings = StackSettings(
        "http://127.0.0.1:5757", "http://127.0.0.1:8788", "b", "t", "us-west-2", tmp_path, "k", "s"
    )
    with pytest.raises(ConfigurationError, match="did not start"):
        LocalStack(settings).start()
    # returncode is set only by a wait: None here means stop() returned before the process ended.
    assert len(started) == 1 and started[0].returncode == -signal.SIGKILL
