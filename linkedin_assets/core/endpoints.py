"""Which AWS endpoint variables point at this machine, and whether that is allowed.

boto3 reads ``AWS_ENDPOINT_URL`` (and ``AWS_ENDPOINT_URL_<SERVICE>``) in every process, so a
``.env`` copied from a local setup would send ``dev``, ``staging`` or ``prod`` to a moto server on
127.0.0.1 without a word. Outside ``local`` such an endpoint is refused at load, naming the
variable, unless ``AWS_ALLOW_LOOPBACK_ENDPOINT=1`` asks for it (a tunnel, a local S3-compatible
store on purpose).
"""

from __future__ import annotations

import ipaddress
import urllib.parse
from collections.abc import Mapping
from typing import Final

from linkedin_assets.errors import ConfigurationError

ENDPOINT_VAR: Final = "AWS_ENDPOINT_URL"
# botocore's per-service form: AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL_DYNAMODB, ...
SERVICE_ENDPOINT_PREFIX: Final = "AWS_ENDPOINT_URL_"
ALLOW_LOOPBACK_VAR: Final = "AWS_ALLOW_LOOPBACK_ENDPOINT"
_YES: Final = ("1", "true", "yes", "on")
_NO: Final = ("", "0", "false", "no", "off")


def is_loopback_host(host: str) -> bool:
    """``localhost`` (or a name under it) or a loopback address (127.0.0.0/8, ::1)."""
    host = host.strip("[]").rstrip(".").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def endpoint_variables(environ: Mapping[str, str]) -> dict[str, str]:
    """The endpoint variables boto3 would read from ``environ`` that are set, by name."""
    return {
        name: value.strip()
        for name, value in sorted(environ.items())
        if (name == ENDPOINT_VAR or name.startswith(SERVICE_ENDPOINT_PREFIX)) and value.strip()
    }


def loopback_allowed(environ: Mapping[str, str]) -> bool:
    """Whether ``AWS_ALLOW_LOOPBACK_ENDPOINT`` asks for a loopback endpoint; anything but a yes or
    a no fails, naming the variable."""
    value = environ.get(ALLOW_LOOPBACK_VAR, "").strip().lower()
    if value not in _YES + _NO:
        raise ConfigurationError(f"{ALLOW_LOOPBACK_VAR}={value!r} must be 1 (allow) or 0 (refuse)")
    return value in _YES


def check_endpoints(env: str, environ: Mapping[str, str]) -> None:
    """Refuse, in a deployed environment ``env``, every endpoint variable that points at this
    machine's loopback, all in one message; ``AWS_ALLOW_LOOPBACK_ENDPOINT=1`` allows them."""
    if loopback_allowed(environ):
        return
    loopback = [
        f"{name}={url}"
        for name, url in endpoint_variables(environ).items()
        if is_loopback_host(urllib.parse.urlsplit(url).hostname or "")
    ]
    if loopback:
        raise ConfigurationError(
            f"{', '.join(loopback)} points {env} at this machine (the local stack's moto server?), "
            f"not at AWS: unset it (local-only values belong to LINKEDIN_ASSETS_ENV=local, which "
            f"sets its own endpoint), or set {ALLOW_LOOPBACK_VAR}=1 if that is intended"
        )
