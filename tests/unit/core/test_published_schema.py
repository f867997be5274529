"""docs/profile.schema.json is what the checks validate against: the published copy and the one the
package ships must be the same document."""

import json
from pathlib import Path

from linkedin_assets.core.documents import profile_schema

DOCS = Path(__file__).resolve().parents[3] / "docs" / "profile.schema.json"


def test_published_schema_is_the_packaged_one() -> None:
    assert json.loads(DOCS.read_text()) == profile_schema()
