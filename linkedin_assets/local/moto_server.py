"""moto's server for the local stack, with its request recorder made safe for concurrent requests.

moto's recorder appends each request to the recording with two unsynchronised writes, and its
server handles requests on many threads. Since batched runs upload concurrently, entries of large
bodies interleaved and the next start's replay failed on the broken line (moto 5.2; seen in the
demo's restart test). ``_compat.lock_moto_recorder`` holds one lock around each entry, which keeps
every line whole; nothing else of moto changes. Run as
``python -m linkedin_assets.local.moto_server`` with moto.server's own arguments.
"""

from __future__ import annotations

from moto.server import main

from linkedin_assets._compat import lock_moto_recorder

lock_moto_recorder()

if __name__ == "__main__":
    main()
