"""A throwaway PostgreSQL on 127.0.0.1, to test the production instance config for real.

``LocalPostgres`` runs the server binaries Debian's ``postgresql`` package installs, in a fresh
temporary directory, on a free loopback port, with password authentication from 127.0.0.1 only
(no Unix socket, no other address), creates one database, and always stops the server and deletes
its files::

    with LocalPostgres() as server:
        os.environ.update(server.dagster_yaml_env())  # what deploy/dagster.yaml reads
        instance = dg.DagsterInstance.from_config(home)

PostgreSQL refuses to run as root; under root its commands run as the ``postgres`` system user
the Debian package creates, and the temporary directory belongs to that user. Every command has a
deadline. What is missing is said by name: ``PostgresUnavailable("PostgreSQL not installed:
apt-get install -y postgresql ...")``. The server is for tests only: durability is switched off.
"""

from __future__ import annotations

import os
import pwd
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

from linkedin_assets.testing._http import require_loopback
from linkedin_assets.testing.net import free_port

__all__ = [
    "DAGSTER_PG_ENV",
    "LocalPostgres",
    "PostgresServer",
    "PostgresUnavailable",
    "find_bin_dir",
]

INSTALL_HINT = "apt-get install -y postgresql"
LIB_ROOT = Path("/usr/lib/postgresql")  # Debian keeps each major version's binaries here
SERVER_BINARIES = ("initdb", "pg_ctl", "postgres")
SERVICE_USER = "postgres"
# Under root without Debian's package (scripts/bootstrap.sh unpacks the binaries instead of
# installing them), the account every Linux has that owns nothing.
FALLBACK_USER = "nobody"
# The variables deploy/dagster.yaml reads its storage settings from, in field order.
DAGSTER_PG_ENV = (
    "DAGSTER_PG_HOST",
    "DAGSTER_PG_PORT",
    "DAGSTER_PG_USER",
    "DAGSTER_PG_PASSWORD",
    "DAGSTER_PG_DB",
)
INITDB_TIMEOUT_S = 120.0
START_TIMEOUT_S = 60.0
STOP_TIMEOUT_S = 30.0
CONNECT_TIMEOUT_S = 10
PORT_ATTEMPTS = 3
LOG_TAIL_LINES = 20


class PostgresUnavailable(RuntimeError):
    """No usable PostgreSQL here: not installed, nobody to run it as, or it would not start.

    A test helper's error, kept out of ``errors.py``: the pipeline never raises it.
    """


@dataclass(frozen=True)
class PostgresServer:
    """Where a running ``LocalPostgres`` listens, and the one database made for the caller."""

    host: str
    port: int
    user: str
    password: str = field(repr=False)  # throwaway, but still never printed
    db_name: str

    def dagster_yaml_env(self) -> dict[str, str]:
        """The environment deploy/dagster.yaml's ``postgres_db`` settings read."""
        values = (self.host, str(self.port), self.user, self.password, self.db_name)
        return dict(zip(DAGSTER_PG_ENV, values, strict=True))


def find_bin_dir(
    path: str | None = None, lib_root: Path = LIB_ROOT, venv_bin: Path | None = None
) -> Path:
    """The directory holding ``initdb``, ``pg_ctl`` and ``postgres`` together.

    The ``PATH`` first (an ``initdb`` there may be a symlink into Debian's versioned directory,
    whose siblings are what matter), then this virtualenv's ``bin`` (where scripts/bootstrap.sh
    links the binaries it unpacks), then the newest ``<lib_root>/<version>/bin``: Debian does not
    put the server binaries on the ``PATH``.
    """
    path = os.environ.get("PATH", "") if path is None else path
    venv_bin = Path(sys.executable).parent if venv_bin is None else venv_bin
    path = os.pathsep.join([path, str(venv_bin)])
    candidates: list[Path] = []
    for entry in filter(None, path.split(os.pathsep)):
        initdb = Path(entry) / "initdb"
        if _is_executable(initdb):
            candidates += [initdb.resolve().parent, Path(entry)]
    versions = sorted(lib_root.glob("*/bin"), key=lambda d: _version_key(d.parent.name))
    candidates += reversed(versions)
    for directory in candidates:
        if all(_is_executable(directory / name) for name in SERVER_BINARIES):
            return directory
    raise PostgresUnavailable(
        f"PostgreSQL not installed: {INSTALL_HINT} (looked for {', '.join(SERVER_BINARIES)} "
        f"on the PATH, in {venv_bin} and in {lib_root}/<version>/bin; `make setup-test` "
        "unpacks Debian's)"
    )


def service_account(
    euid: int, lookup: Callable[[str], pwd.struct_passwd] = pwd.getpwnam
) -> tuple[int, int] | None:
    """The (uid, gid) to run the server as: ``None`` (ourselves) unless we are root."""
    if euid != 0:
        return None
    for name in (SERVICE_USER, FALLBACK_USER):
        try:
            account = lookup(name)
        except KeyError:
            continue
        return account.pw_uid, account.pw_gid
    raise PostgresUnavailable(
        f"running as root, which PostgreSQL refuses, and there is no {SERVICE_USER!r} or "
        f"{FALLBACK_USER!r} system user to run it as ({INSTALL_HINT} creates one)"
    )


def server_settings(host: str, port: int) -> str:
    """Lines appended to ``postgresql.conf``: loopback TCP only, no durability (a test server)."""
    return "\n".join(
        [
            "",
            "# linkedin_assets.testing.postgres: a throwaway test server",
            f"listen_addresses = '{host}'",
            f"port = {port}",
            # No Unix socket: nothing to collide with a system cluster's /var/run/postgresql.
            "unix_socket_directories = ''",
            # Its data is deleted when the test ends; waiting for the disk buys nothing.
            "fsync = off",
            "synchronous_commit = off",
            "full_page_writes = off",
            # No LLVM: scripts/bootstrap.sh does not install it, and a test server gains nothing.
            "jit = off",
            "",
        ]
    )


def hba_rules(host: str) -> str:
    """``pg_hba.conf``: a password (SCRAM), from this one loopback address, and nothing else."""
    network = f"{host}/128" if ":" in host else f"{host}/32"
    return f"# TYPE DATABASE USER ADDRESS METHOD\nhost all all {network} scram-sha-256\n"


def address_in_use(log_text: str) -> bool:
    """Whether a failed start lost a race for its port (then another port is worth a try)."""
    return bool(re.search(r"could not bind|Address already in use", log_text))


def tail(path: Path, lines: int = LOG_TAIL_LINES) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return "(no log)"
    return "\n".join(text.splitlines()[-lines:])


def _is_executable(path: Path) -> bool:
    return path.is_file() and os.access(path, os.X_OK)


def _version_key(name: str) -> tuple[int, ...]:
    # "9.6" < "10" < "15"; a directory that is not a version sorts first, so last in preference.
    try:
        return tuple(int(part) for part in name.split("."))
    except ValueError:
        return (-1,)


class LocalPostgres:
    """A PostgreSQL server for the duration of a ``with`` block, which gets a ``PostgresServer``."""

    def __init__(
        self,
        db_name: str = "dagster",
        user: str = "dagster",
        host: str = "127.0.0.1",
        bin_dir: Path | None = None,
    ) -> None:
        require_loopback(host, "listen address", type(self).__name__)
        self.db_name = db_name
        self.user = user
        self.host = host
        self._bin_dir = bin_dir
        self._account: tuple[int, int] | None = None
        self._password = secrets.token_urlsafe(24)
        self._workdir: Path | None = None
        self._running = False
        self.server: PostgresServer | None = None

    @property
    def data_dir(self) -> Path:
        assert self._workdir is not None, "not started"
        return self._workdir / "data"

    @property
    def log_path(self) -> Path:
        assert self._workdir is not None, "not started"
        return self._workdir / "postgres.log"

    def start(self) -> PostgresServer:
        self._bin_dir = bin_dir = self._bin_dir or find_bin_dir()
        self._account = account = service_account(os.geteuid())
        # Our own directory under the system temp dir, not a caller's: the server's user must be
        # able to reach it, and pytest's tmp_path (mode 0700, root's) is out of its reach.
        self._workdir = Path(tempfile.mkdtemp(prefix="linkedin-assets-pg-"))
        try:
            if account is not None:
                os.chown(self._workdir, *account)
            self._initdb(bin_dir, account)
            port = self._start_on_a_free_port(bin_dir, account)
            self._create_database(port)
        except BaseException:
            self.stop()
            raise
        self.server = PostgresServer(self.host, port, self.user, self._password, self.db_name)
        return self.server

    def _initdb(self, bin_dir: Path, account: tuple[int, int] | None) -> None:
        assert self._workdir is not None
        password_file = self._workdir / "password"
        password_file.write_text(self._password + "\n", encoding="utf-8")
        if account is not None:
            os.chown(password_file, *account)
        try:
            self._run(
                [
                    str(bin_dir / "initdb"), "-D", str(self.data_dir), "-U", self.user,
                    f"--pwfile={password_file}", "--auth=scram-sha-256",
                    "--encoding=UTF8", "--locale=C", "--no-sync",
                ],
                account,
                INITDB_TIMEOUT_S,
                "initdb",
            )  # fmt: skip
        finally:
            password_file.unlink(missing_ok=True)
        (self.data_dir / "pg_hba.conf").write_text(hba_rules(self.host), encoding="utf-8")

    def _start_on_a_free_port(self, bin_dir: Path, account: tuple[int, int] | None) -> int:
        conf = self.data_dir / "postgresql.conf"
        original = conf.read_text(encoding="utf-8")
        for attempt in range(1, PORT_ATTEMPTS + 1):
            # Another process may take the port between our probe and the server's bind.
            port = free_port(self.host)
            # Writing the file in place keeps its owner (the server's user).
            conf.write_text(original + server_settings(self.host, port), encoding="utf-8")
            try:
                self._pg_ctl(bin_dir, account, "start", "-l", str(self.log_path))
            except PostgresUnavailable:
                if attempt < PORT_ATTEMPTS and address_in_use(tail(self.log_path)):
                    continue
                raise
            self._running = True
            return port
        raise AssertionError("unreachable")

    def _create_database(self, port: int) -> None:
        import psycopg2  # dagster-postgres' driver; imported here so the pure helpers need none
        from psycopg2 import sql

        connection = psycopg2.connect(
            host=self.host, port=port, user=self.user, password=self._password,
            dbname="postgres", connect_timeout=CONNECT_TIMEOUT_S,
        )  # fmt: skip
        try:
            connection.autocommit = True  # CREATE DATABASE cannot run in a transaction
            with connection.cursor() as cursor:
                cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(self.db_name)))
        finally:
            connection.close()

    def _pg_ctl(self, bin_dir: Path, account: tuple[int, int] | None, *args: str) -> None:
        action = args[0]
        timeout = START_TIMEOUT_S if action == "start" else STOP_TIMEOUT_S
        self._run(
            [str(bin_dir / "pg_ctl"), "-D", str(self.data_dir), "-w", "-t", str(int(timeout)),
             *(["-m", "fast"] if action == "stop" else []), *args],
            account,
            timeout + 10,
            f"pg_ctl {action}",
        )  # fmt: skip

    def _run(
        self,
        command: Sequence[str],
        account: tuple[int, int] | None,
        timeout_s: float,
        what: str,
    ) -> None:
        assert self._workdir is not None
        env: Mapping[str, str] = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            # initdb and the server take their locale from the environment; C is always there.
            "LC_ALL": "C",
            "LANG": "C",
            "HOME": str(self._workdir),
        }
        # None: subprocess's own defaults (this process's user and groups).
        user, group = account if account else (None, None)
        extra_groups: list[int] | None = [] if account else None
        try:
            # The server's output goes to its own log (pg_ctl -l), so these pipes close when the
            # command ends, not when the server does.
            result = subprocess.run(
                command, cwd=self._workdir, env=env, capture_output=True, text=True,
                timeout=timeout_s, check=False, user=user, group=group, extra_groups=extra_groups,
            )  # fmt: skip
        except subprocess.TimeoutExpired:
            raise PostgresUnavailable(
                f"{what} did not finish within {timeout_s:.0f}s; server log:\n{tail(self.log_path)}"
            ) from None
        if result.returncode != 0:
            output = (result.stdout + result.stderr).strip()[-2000:]
            raise PostgresUnavailable(
                f"{what} failed (exit {result.returncode}): {output}\n"
                f"server log:\n{tail(self.log_path)}"
            )

    def stop(self) -> None:
        """Stop the server (fast shutdown, then signals) and delete its files. Idempotent."""
        if self._workdir is None:
            return
        try:
            # A start that timed out may still have left a server behind: its pid file says so.
            if self._running or self._postmaster_pid() is not None:
                self._shut_down()
        finally:
            self._running = False
            workdir, self._workdir = self._workdir, None
            shutil.rmtree(workdir, ignore_errors=True)

    def _shut_down(self) -> None:
        assert self._bin_dir is not None
        pid = self._postmaster_pid()
        try:
            self._pg_ctl(self._bin_dir, self._account, "stop")
            return
        except PostgresUnavailable:
            pass
        # pg_ctl could not stop it in time: immediate shutdown, then kill, each bounded; only the
        # server of this data directory, never whatever process a stale pid file now names.
        if pid is None or not self._is_our_server(pid):
            return
        for sig in (signal.SIGQUIT, signal.SIGKILL):
            try:
                os.kill(pid, sig)
            except ProcessLookupError:
                return
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline:
                if not _alive(pid):
                    return
                time.sleep(0.1)

    def _is_our_server(self, pid: int) -> bool:
        try:
            command = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        except OSError:
            return False
        return str(self.data_dir).encode() in command

    def _postmaster_pid(self) -> int | None:
        try:
            first = (self.data_dir / "postmaster.pid").read_text(encoding="utf-8").split("\n")[0]
            return int(first)
        except (OSError, ValueError):
            return None

    def __enter__(self) -> PostgresServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        where = f"{self.host}:{self.server.port}" if self.server else "not started"
        return f"{type(self).__name__}({where}, db={self.db_name!r})"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
