"""``linkedin-assets add``: the sensor's validation and registration, from the command line."""

from __future__ import annotations

import os
from contextlib import ExitStack
from pathlib import Path

import dagster as dg
from rich.console import Console
from rich.markup import escape

from linkedin_assets.automation import intake
from linkedin_assets.core.inbox import InboxEntry, Rejected, clean_status, parse_file, shown_name
from linkedin_assets.errors import StorageError
from linkedin_assets.local.instance import ensure_dagster_home
from linkedin_assets.resources.environments import build_resources
from linkedin_assets.settings import apply_local_defaults, current_environment

ARGUMENTS = "arguments.txt"


def collect(
    urls: list[str], files: list[str], status: str | None
) -> tuple[list[InboxEntry], list[Rejected]]:
    """Every input parsed with the inbox rules; ``status`` fills in where a line has none."""
    parsed = [parse_file(ARGUMENTS, "\n".join(urls).encode())] if urls else []
    for path in files:
        name = Path(path).name
        data = Path(path).read_bytes()
        parsed.append(parse_file(name if name.endswith((".csv", ".txt")) else name + ".txt", data))
    entries = [e for p in parsed for e in p.entries]
    rejected = [r for p in parsed for r in p.rejected]
    default = clean_status(status)
    entries = [
        InboxEntry(e.file, e.line, e.url, e.profile_id, e.status or default) for e in entries
    ]
    return entries, rejected


def where(file: str, line: int) -> str:
    return f"argument {line}" if file == ARGUMENTS else f"{shown_name(file)}:{line}"


def run_add(urls: list[str], files: list[str], status: str | None, console: Console) -> int:
    try:
        entries, rejected = collect(urls, files, status)
    except ValueError as exc:  # a malformed --status
        console.print(f"--status: {escape(str(exc))}", style="red")
        return 2
    env = current_environment()
    local = env == "local"
    if local:
        apply_local_defaults(os.environ)
        ensure_dagster_home()
    # Built (and every setting checked) before anything is printed: a bad setting ends the command
    # with its one line alone.
    resources = build_resources(env, os.environ)
    for e in entries:
        status_note = f" (status {e.status})" if e.status else ""
        console.print(
            escape(f"accepted {where(e.file, e.line)}: {e.url} -> {e.profile_id}{status_note}")
        )
    for r in rejected:
        console.print(
            escape(f"rejected {where(r.file, r.line)}: {r.input!r}: {r.reason}"), style="red"
        )
    statuses = {e.profile_id: e.status for e in entries if e.status}
    with ExitStack() as stack:
        automation = stack.enter_context(resources["automation"].process_config_and_initialize_cm())
        index = None
        if statuses:
            resource = resources["profile_index_store"]
            index = stack.enter_context(resource.process_config_and_initialize_cm()).open()
        try:
            new = intake.register(
                dg.DagsterInstance.get(), index, [e.profile_id for e in entries],
                statuses=statuses, base_url=automation.base_url,
            )  # fmt: skip
        except StorageError as exc:
            hint = " (is the local stack running? `linkedin-assets stack`)" if local else ""
            console.print(escape(f"nothing registered: {exc}{hint}"), style="red")
            return 2
    unique = len({e.profile_id for e in entries})
    console.print(
        f"{len(entries)} accepted ({unique} profiles, {len(new)} new partitions), "
        f"{len(rejected)} rejected"
    )
    return 1 if rejected else 0
