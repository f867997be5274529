"""The ``linkedin-assets`` command line."""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
from pathlib import Path

import click
from rich.console import Console

from linkedin_assets.commands.env_file import ENV_FILE, load_env_file
from linkedin_assets.errors import ConfigurationError, LinkedInAssetsError
from linkedin_assets.settings import ENVIRONMENTS, apply_local_defaults

# The environment a command acts on, for every command that takes one.
ENVIRONMENT_OPTION = click.option(
    "--env",
    "env",
    type=click.Choice(ENVIRONMENTS),
    default=None,
    help="Default: LINKEDIN_ASSETS_ENV.",
)


class _ConfigurationProblem(click.ClickException):
    """A setting the command cannot run with: status 2, like any other usage mistake."""

    exit_code = 2


class _Group(click.Group):
    """Project errors (bad configuration, bad input) end the command with their message alone."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except ConfigurationError as exc:
            raise _ConfigurationProblem(str(exc)) from exc
        except LinkedInAssetsError as exc:
            raise click.ClickException(str(exc)) from exc


@click.group(cls=_Group)
def main() -> None:
    """Capture LinkedIn profiles into S3 and DynamoDB with Dagster.

    Reads ./.env as `dagster dev` does; variables already set in the environment win.
    """
    loaded = load_env_file(Path.cwd() / ENV_FILE, os.environ)
    if loaded:
        # Names only, as dagster dev says them: values may be secrets.
        click.echo(f"Loaded environment variables from {ENV_FILE}: {', '.join(loaded)}", err=True)


@main.command()
def demo() -> None:
    """Run the main job on the local stack: every sample profile, one run, checks, a table."""
    from linkedin_assets.commands.demo import run_demo

    # Wide enough for S3 keys and failure reasons when the output is a file or a CI log.
    ok = run_demo(Console(width=None if sys.stdout.isatty() else 160))
    sys.exit(0 if ok else 1)


@main.command()
@click.argument("urls", nargs=-1)
@click.option(
    "--file", "files", multiple=True, type=click.Path(exists=True, dir_okay=False),
    help="A .txt (one URL a line) or .csv (url[,status] columns) file; repeatable.",
)  # fmt: skip
@click.option("--status", help="Lead status for every URL that has none of its own.")
def add(urls: tuple[str, ...], files: tuple[str, ...], status: str | None) -> None:
    """Register profile URLs as partitions of the Dagster instance in DAGSTER_HOME.

    Prints every accepted and rejected input with its reason, registers the good ones, and exits
    with status 1 if anything was rejected.
    """
    if not urls and not files:
        # Nothing to register is a mistake in the command, not a success (exit 2, with usage).
        raise click.UsageError("give at least one profile URL or --file")
    from linkedin_assets.commands.intake_command import run_add

    sys.exit(run_add(list(urls), list(files), status, Console(highlight=False, soft_wrap=True)))


@main.command()
@ENVIRONMENT_OPTION
@click.option("--check", is_flag=True, help="Only report drift; change nothing (exit 1 on drift).")
@click.option("--versioning", is_flag=True, help="Also turn bucket versioning on.")
def provision(env: str | None, check: bool, versioning: bool) -> None:
    """Create or verify the bucket(s) and the index table of an environment, idempotently."""
    from linkedin_assets.commands.provision_command import run_provision
    from linkedin_assets.settings import current_environment

    sys.exit(
        run_provision(
            env or current_environment(),
            check,
            versioning,
            Console(highlight=False, soft_wrap=True),
        )
    )


@main.command(name="check-access")
@ENVIRONMENT_OPTION
def check_access(env: str | None) -> None:
    """Probe every bucket prefix and the table with the pipeline's own credentials (exit 1 when
    a permission is missing, naming its IAM action)."""
    from linkedin_assets.commands.check_access_command import run_check_access
    from linkedin_assets.settings import current_environment

    console = Console(highlight=False, width=None if sys.stdout.isatty() else 160)
    sys.exit(run_check_access(env or current_environment(), console))


@main.command()
@click.argument("profile_ids", nargs=-1, required=True)
@click.option("--dry-run", is_flag=True, help="Report what exists; delete nothing.")
@ENVIRONMENT_OPTION
def forget(profile_ids: tuple[str, ...], dry_run: bool, env: str | None) -> None:
    """Delete profiles' data everywhere: S3 objects, index items, Dagster partitions."""
    from linkedin_assets.commands.forget_command import run_forget
    from linkedin_assets.settings import current_environment

    console = Console(highlight=False, soft_wrap=True)
    sys.exit(run_forget(env or current_environment(), list(profile_ids), dry_run, console))


@main.command()
@click.option("--no-persist", is_flag=True, help="Do not record or replay local data.")
def stack(no_persist: bool) -> None:
    """Serve moto's S3/DynamoDB and the sample site on 127.0.0.1 until interrupted."""
    from linkedin_assets.local.local_stack import LocalStack, StackSettings

    apply_local_defaults(os.environ)
    settings = StackSettings.from_environ(os.environ)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    inbox = settings.data_dir / "inbox"
    inbox.mkdir(parents=True, exist_ok=True)
    with LocalStack(settings, persist=not no_persist) as local:
        click.echo(
            f"S3/DynamoDB: {settings.endpoint_url} ({'replayed' if local.replayed else 'fresh'})\n"
            f"sample site: {settings.site_url}\n"
            f"inbox (PROFILE_URL_INBOX): {inbox}\n"
            f"bucket {settings.bucket}, table {settings.table}, data in {settings.data_dir}\n"
            "Ctrl-C to stop."
        )
        with contextlib.suppress(KeyboardInterrupt):
            stop.wait()


@main.command(context_settings={"ignore_unknown_options": True, "allow_extra_args": True})
@click.argument("dagster_args", nargs=-1, type=click.UNPROCESSED)
def dev(dagster_args: tuple[str, ...]) -> None:
    """`dagster dev` (UI + daemon, intake sensor on) on the local instance, on 127.0.0.1:3000.

    Extra arguments go to `dagster dev`.
    """
    from linkedin_assets.commands.dev_command import dagster_command, dev_environ

    environ = dev_environ(os.environ)
    command = dagster_command(dagster_args)
    # Replaced, not wrapped: Ctrl-C and the exit status are dagster dev's own.
    os.execve(command[0], command, environ)


if __name__ == "__main__":
    main()
