"""The browser's host allow-list decision (issue 13, item 4): pure URL classification, no browser."""

from __future__ import annotations

import pytest

from linkedin_assets.core.host_policy import (
    DEFAULT_ALLOWED_HOSTS,
    HostEntry,
    HostPolicy,
    is_internal_host,
    parse_allowed_hosts,
    refusal,
    resolver_rules,
)
from linkedin_assets.errors import ConfigurationError

LINKEDIN = "https://www.linkedin.com"
DEPLOYED = HostPolicy(parse_allowed_hosts(DEFAULT_ALLOWED_HOSTS), internal_allowed=False)
LOCAL_SITE = "http://127.0.0.1:8788"
LOCAL = HostPolicy(parse_allowed_hosts(DEFAULT_ALLOWED_HOSTS), internal_allowed=True)


@pytest.mark.parametrize(
    "host",
    [
        "127.0.0.1", "127.0.0.2", "::1", "localhost", "LOCALHOST.", "api.localhost",
        "10.1.2.3", "172.16.0.1", "192.168.1.1", "100.64.0.1",  # private and shared
        "169.254.169.254", "fe80::1", "fe80::1%eth0",  # link-local: the metadata service
        "0.0.0.0", "::", "224.0.0.251", "240.0.0.1", "fd00::1",
        "::ffff:7f00:1", "::ffff:a9fe:a9fe", "2002:a9fe:a9fe::", "64:ff9b::a9fe:a9fe",
    ],
)  # fmt: skip
def test_internal_hosts(host: str) -> None:
    assert is_internal_host(host)


@pytest.mark.parametrize(
    "host", ["www.linkedin.com", "static.licdn.com", "8.8.8.8", "2606:4700::1", "localhost.com"]
)
def test_public_hosts(host: str) -> None:
    assert not is_internal_host(host)


@pytest.mark.parametrize(
    "url",
    [
        "https://www.linkedin.com/in/jane/",
        "https://www.linkedin.com:443/voyager/api/x",
        "https://static.licdn.com/sc/h/abc.css",
        "https://media.licdn.com/dms/image/x.jpg",
        "https://static-exp1.licdn.com/x.js",
        "https://platform.linkedin.com/in.js",
        "wss://www.linkedin.com/realtime/connect",
        "data:image/png;base64,AAAA",
        "blob:https://www.linkedin.com/1234",
        "about:blank",
    ],
)
def test_the_site_and_its_cdn_are_allowed(url: str) -> None:
    assert refusal(url, LINKEDIN, DEPLOYED) is None


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("http://169.254.169.254/latest/meta-data/", "internal address"),
        ("http://[fd00:ec2::254]/latest/meta-data/", "internal address"),
        ("http://10.0.0.5:8080/admin", "internal address"),
        ("http://localhost:5757/", "internal address"),
        ("http://[::ffff:7f00:1]/", "internal address"),
        ("https://evil.example/collect?c=1", "not the site nor on LINKEDIN_ALLOWED_HOSTS"),
        ("https://licdn.com/", "not the site nor on"),  # "*.licdn.com" is subdomains only
        ("https://static.licdn.com.evil.example/", "not the site nor on"),
        ("https://evilstatic.licdn.com.example/", "not the site nor on"),
        ("https://www.linkedin.com:8443/", "not the site nor on"),  # another port of the site
        ("https://px.ads.linkedin.com/collect", "not the site nor on"),
        ("ftp://www.linkedin.com/x", "scheme 'ftp' is not allowed"),
        ("file:///etc/passwd", "scheme 'file' is not allowed"),
        ("chrome://settings", "scheme 'chrome' is not allowed"),
        ("http://[::1/", "scheme 'http' is not allowed"),  # unreadable
    ],
)
def test_everything_else_is_refused_with_a_reason(url: str, words: str) -> None:
    reason = refusal(url, LINKEDIN, DEPLOYED)
    assert reason is not None and words in reason


def test_internal_addresses_are_refused_outside_local_even_when_listed() -> None:
    policy = HostPolicy(parse_allowed_hosts("169.254.169.254, 127.0.0.1:8788, localhost"))
    for url in ("http://169.254.169.254/", "http://127.0.0.1:8788/in/x/", "http://localhost/"):
        assert "internal address" in (refusal(url, LINKEDIN, policy) or ""), url
    # ... and a loopback site itself, outside local, is refused too.
    assert "internal address" in (refusal(f"{LOCAL_SITE}/in/x/", LOCAL_SITE, policy) or "")


def test_local_allows_its_loopback_site_and_no_other_loopback_address_or_port() -> None:
    assert refusal(f"{LOCAL_SITE}/in/jane/", LOCAL_SITE, LOCAL) is None
    assert refusal(f"{LOCAL_SITE}/favicon.ico", LOCAL_SITE, LOCAL) is None
    for url in (
        "http://127.0.0.2:8788/in/jane/",  # another loopback address, same port
        "http://127.0.0.1:5757/it-screenshots/",  # another port: the local S3
        "http://localhost:8788/in/jane/",  # the same machine by another name
        "http://169.254.169.254/latest/meta-data/",
    ):
        reason = refusal(url, LOCAL_SITE, LOCAL)
        assert reason is not None and "not the site nor on" in reason, url


def test_local_stand_ins_can_be_allowed_by_host_and_port() -> None:
    policy = HostPolicy(parse_allowed_hosts("127.0.0.3:9000 127.0.0.4"), internal_allowed=True)
    assert refusal("http://127.0.0.3:9000/a.css", LOCAL_SITE, policy) is None
    assert refusal("http://127.0.0.3:9001/a.css", LOCAL_SITE, policy) is not None
    assert refusal("http://127.0.0.4:1/a.css", LOCAL_SITE, policy) is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (DEFAULT_ALLOWED_HOSTS, (HostEntry("*.licdn.com"), HostEntry("platform.linkedin.com"))),
        (" A.Example.COM. ,b.example:8080 ", (HostEntry("a.example.com"), HostEntry("b.example", 8080))),
        ("[::1]:80 127.0.0.3", (HostEntry("::1", 80), HostEntry("127.0.0.3"))),
        ("bücher.example", (HostEntry("xn--bcher-kva.example"),)),
        ("none", ()),
        ("", ()),
    ],
)  # fmt: skip
def test_parse_allowed_hosts(raw: str, expected: tuple[HostEntry, ...]) -> None:
    assert parse_allowed_hosts(raw) == expected


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        ("https://static.licdn.com", "not a URL"),
        ("static.licdn.com/path", "not a URL"),
        ("user@static.licdn.com", "not a URL"),
        ("static.licdn.com:http", "port"),
        ("static.licdn.com:70000", "port"),
        ("*", "may only start with '*.'"),
        ("*.com", "whole top-level domain"),
        ("static.*.com", "may only start with '*.'"),
        (":8080", "has no host"),
    ],
)
def test_bad_entries_are_refused_naming_the_variable_and_entry(raw: str, words: str) -> None:
    with pytest.raises(ConfigurationError) as caught:
        parse_allowed_hosts(f"ok.example {raw}")
    message = str(caught.value)
    assert message.startswith("LINKEDIN_ALLOWED_HOSTS: entry ") and repr(raw) in message
    assert words in message and "\n" not in message


def test_resolver_rules_let_only_the_site_and_the_list_resolve() -> None:
    assert resolver_rules(LINKEDIN, DEPLOYED) == (
        "MAP * ~NOTFOUND, EXCLUDE www.linkedin.com, EXCLUDE *.licdn.com, "
        "EXCLUDE platform.linkedin.com"
    )
    listed = HostPolicy(parse_allowed_hosts("127.0.0.3:9000 static.licdn.com"))
    # Outside local an internal entry never resolves; in local it does.
    assert resolver_rules(LINKEDIN, listed) == (
        "MAP * ~NOTFOUND, EXCLUDE www.linkedin.com, EXCLUDE static.licdn.com"
    )
    local = HostPolicy(listed.allowed, internal_allowed=True)
    assert resolver_rules(LOCAL_SITE, local) == (
        "MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE 127.0.0.3, EXCLUDE static.licdn.com"
    )


def test_resolver_rules_without_a_readable_site_let_only_the_list_resolve() -> None:
    # A site URL origin_of cannot read adds no host (and is no crash).
    assert resolver_rules("not a url", DEPLOYED) == (
        "MAP * ~NOTFOUND, EXCLUDE *.licdn.com, EXCLUDE platform.linkedin.com"
    )


@pytest.mark.parametrize(
    ("raw", "why"),
    [
        ("a.example#top", "must be a host or host:port, not a URL"),
        ("a.example?x=1", "must be a host or host:port, not a URL"),
        ("a.example:99999", "has a port that is not a number within 0..65535"),
        (":443", "has no host"),
        ("a*.example", "may only start with '*.'"),
        ("*.example", "would allow a whole top-level domain"),
        ("a..example", "is not a valid host name"),  # an empty label
        ("x" * 64 + ".example", "is not a valid host name"),  # a label over 63 characters
    ],
)
def test_each_bad_entry_gets_its_whole_one_line_reason(raw: str, why: str) -> None:
    with pytest.raises(ConfigurationError) as caught:
        parse_allowed_hosts(f"ok.example {raw}", "MY_HOSTS")
    assert str(caught.value) == f"MY_HOSTS: entry {raw!r} {why}"


def test_ip_entries_are_kept_as_written() -> None:
    assert parse_allowed_hosts("10.0.0.1:80 [2001:db8::1]") == (
        HostEntry("10.0.0.1", 80),
        HostEntry("2001:db8::1"),
    )


@pytest.mark.parametrize(
    ("host", "internal"),
    [
        ("[::1]", True),  # as written in a URL, brackets and all
        ("[2606:4700::1]", False),
        ("64:ff9b::808:808", False),  # NAT64 of 8.8.8.8: public
        ("LOCALHOSTX", False),  # only starts like localhost
        ("xlocalhost", False),
    ],
)
def test_hosts_as_written(host: str, internal: bool) -> None:
    assert is_internal_host(host) is internal


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://8.8.8.8/x", "8.8.8.8:80 is not the site nor on LINKEDIN_ALLOWED_HOSTS"),
        (
            "http://[2606:4700::1]:8080/x",
            "[2606:4700::1]:8080 is not the site nor on LINKEDIN_ALLOWED_HOSTS",
        ),
        ("https://evil.example/", "evil.example:443 is not the site nor on LINKEDIN_ALLOWED_HOSTS"),
        ("ftp://static.licdn.com/a", "scheme 'ftp' is not allowed"),
        ("http://10.0.0.1/", "10.0.0.1 is an internal address"),
    ],
)
def test_the_whole_refusal_names_the_origin_with_its_port(url: str, reason: str) -> None:
    assert refusal(url, LINKEDIN, DEPLOYED) == reason
