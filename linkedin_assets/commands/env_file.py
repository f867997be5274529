"""The ``.env`` file the commands read, as ``dagster dev`` reads it: the one in the working
directory, parsed by python-dotenv (Dagster's own parser).

Unlike ``dagster dev``, a variable the environment already has wins over the file, so a deployment's
real settings are never replaced by a stray ``.env``; and a blank value (``NAME=``, as in
``.env.example``) leaves the variable unset, as a blank value means everywhere in this project.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from pathlib import Path

from dotenv import dotenv_values

ENV_FILE = ".env"


def load_env_file(path: Path, environ: MutableMapping[str, str]) -> list[str]:
    """Set in ``environ`` each variable of the file at ``path`` that ``environ`` does not have and
    the file gives a value; return their names (never their values: some are secrets)."""
    if not path.is_file():
        return []
    loaded = []
    for name, value in dotenv_values(path).items():
        if value is None or not value.strip() or name in environ:
            continue
        environ[name] = value
        loaded.append(name)
    return loaded
