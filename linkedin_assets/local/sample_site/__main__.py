"""`python -m linkedin_assets.local.sample_site --port 8088`: serve the sample site until Ctrl-C."""

from __future__ import annotations

import threading
from pathlib import Path

import click

from linkedin_assets.local.sample_site.server import SampleSite


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="A loopback address.")
@click.option("--port", default=8088, show_default=True, type=int)
@click.option(
    "--pages-dir",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=None,
    help="A generated pages directory (with manifest.json) instead of the packaged one.",
)
def main(host: str, port: int, pages_dir: Path | None) -> None:
    """Serve the sample profile site in the foreground."""
    with SampleSite(host=host, port=port, pages_dir=pages_dir) as site:
        click.echo(f"Serving sample profiles at {site.base_url}/in/<profile-id>/ (Ctrl-C to stop)")
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            click.echo("stopped")


if __name__ == "__main__":
    main()
