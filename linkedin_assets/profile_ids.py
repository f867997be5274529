"""The profile-ID rules, where outside code has always imported them from; they live in
``linkedin_assets.core.profile_ids`` with the other pure rules."""

from linkedin_assets.core.profile_ids import (
    MAX_SLUG_LENGTH,
    MIN_SLUG_LENGTH,
    InvalidProfileUrl,
    profile_id_from_url,
    profile_url,
    validate_profile_id,
)

__all__ = [
    "MAX_SLUG_LENGTH",
    "MIN_SLUG_LENGTH",
    "InvalidProfileUrl",
    "profile_id_from_url",
    "profile_url",
    "validate_profile_id",
]
