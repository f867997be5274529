"""The pure parts of linkedin_assets.testing.postgres: where the binaries are found, who runs the
server, and what it is told (loopback only, a password, no socket). Starting one is the postgres
tier's job (tests/integration/test_postgres_concurrency.py)."""

from __future__ import annotations

import pwd
from pathlib import Path

import pytest

from linkedin_assets.testing.postgres import (
    DAGSTER_PG_ENV,
    LocalPostgres,
    PostgresServer,
    PostgresUnavailable,
    address_in_use,
    find_bin_dir,
    hba_rules,
    server_settings,
    service_account,
)

BINARIES = ("initdb", "pg_ctl", "postgres")


def install(directory: Path, names: tuple[str, ...] = BINARIES) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    for name in names:
        (directory / name).write_text("#!/bin/sh\n")
        (directory / name).chmod(0o755)
    return directory


def test_the_newest_debian_version_is_found_when_the_path_has_none(tmp_path: Path) -> None:
    lib = tmp_path / "lib"
    for version in ("9.6", "10", "15", "13"):
        install(lib / version / "bin")
    assert find_bin_dir(path=str(tmp_path / "empty"), lib_root=lib) == lib / "15" / "bin"


def test_an_initdb_on_the_path_leads_to_the_directory_it_links_into(tmp_path: Path) -> None:
    real = install(tmp_path / "lib" / "14" / "bin")
    on_path = tmp_path / "local-bin"
    on_path.mkdir()
    (on_path / "initdb").symlink_to(real / "initdb")  # Debian's binaries are not on the PATH
    newer = install(tmp_path / "lib" / "16" / "bin")
    assert newer != real
    assert find_bin_dir(path=f"/nonexistent:{on_path}", lib_root=tmp_path / "lib") == real


def test_a_directory_missing_pg_ctl_is_passed_over(tmp_path: Path) -> None:
    partial = install(tmp_path / "partial", ("initdb", "postgres"))
    complete = install(tmp_path / "lib" / "15" / "bin")
    assert find_bin_dir(path=str(partial), lib_root=tmp_path / "lib") == complete


def test_nothing_installed_names_the_package_to_install(tmp_path: Path) -> None:
    install(tmp_path / "lib" / "15" / "bin", ("initdb",))
    with pytest.raises(PostgresUnavailable, match=r"apt-get install -y postgresql"):
        find_bin_dir(path=str(tmp_path), lib_root=tmp_path / "lib", venv_bin=tmp_path / "venv")


def test_binaries_linked_into_the_virtualenv_are_found(tmp_path: Path) -> None:
    # scripts/bootstrap.sh unpacks Debian's server package and links its binaries into .venv/bin.
    unpacked = tmp_path / "unpacked" / "15" / "bin"
    install(unpacked, ("initdb", "pg_ctl", "postgres"))
    venv_bin = tmp_path / "venv" / "bin"
    venv_bin.mkdir(parents=True)
    for name in ("initdb", "pg_ctl", "postgres"):
        (venv_bin / name).symlink_to(unpacked / name)
    found = find_bin_dir(path="/nonexistent", lib_root=tmp_path / "lib", venv_bin=venv_bin)
    assert found == unpacked


def account(uid: int, gid: int) -> pwd.struct_passwd:
    return pwd.struct_passwd(("postgres", "x", uid, gid, "", "/var/lib/postgresql", "/bin/sh"))


def test_a_non_root_user_runs_the_server_itself() -> None:
    def lookup(name: str) -> pwd.struct_passwd:
        raise AssertionError("no lookup needed")

    assert service_account(1000, lookup) is None


def test_root_hands_the_server_to_the_postgres_user() -> None:
    seen: list[str] = []

    def lookup(name: str) -> pwd.struct_passwd:
        seen.append(name)
        return account(101, 104)

    assert service_account(0, lookup) == (101, 104)
    assert seen == ["postgres"]


def test_root_without_a_postgres_user_runs_the_server_as_nobody() -> None:
    # Binaries unpacked by scripts/bootstrap.sh come without Debian's postgres user.
    def lookup(name: str) -> pwd.struct_passwd:
        if name == "nobody":
            return account(65534, 65534)
        raise KeyError(name)

    assert service_account(0, lookup) == (65534, 65534)


def test_root_without_a_postgres_or_nobody_user_says_so() -> None:
    def lookup(name: str) -> pwd.struct_passwd:
        raise KeyError(name)

    with pytest.raises(PostgresUnavailable, match="no 'postgres' or 'nobody' system user"):
        service_account(0, lookup)


def test_the_server_listens_on_loopback_tcp_only() -> None:
    settings = server_settings("127.0.0.1", 54321)
    assert "listen_addresses = '127.0.0.1'" in settings
    assert "port = 54321" in settings
    assert "unix_socket_directories = ''" in settings


@pytest.mark.parametrize(("host", "network"), [("127.0.0.1", "127.0.0.1/32"), ("::1", "::1/128")])
def test_only_a_password_from_the_one_loopback_address_is_accepted(host: str, network: str) -> None:
    rules = [line.split() for line in hba_rules(host).splitlines() if not line.startswith("#")]
    assert rules == [["host", "all", "all", network, "scram-sha-256"]]


@pytest.mark.parametrize(
    ("log", "retry"),
    [
        ('LOG:  could not bind IPv4 address "127.0.0.1": Address already in use', True),
        ("FATAL:  data directory has wrong ownership", False),
        ("", False),
    ],
)
def test_only_a_lost_port_race_is_worth_another_port(log: str, retry: bool) -> None:
    assert address_in_use(log) is retry


def test_the_server_maps_onto_the_variables_of_deploy_dagster_yaml() -> None:
    server = PostgresServer("127.0.0.1", 5433, "dagster", "s3cret-value", "dagster")
    assert server.dagster_yaml_env() == dict(
        zip(
            DAGSTER_PG_ENV, ["127.0.0.1", "5433", "dagster", "s3cret-value", "dagster"], strict=True
        )
    )
    assert "s3cret-value" not in repr(server)


@pytest.mark.parametrize("host", ["0.0.0.0", "10.0.0.5", "db.example.test"])
def test_anything_but_loopback_is_refused_before_anything_starts(host: str) -> None:
    with pytest.raises(ValueError, match="not a loopback address"):
        LocalPostgres(host=host)
