"""Token text and its hash: the one place that knows a token's shape."""

import hashlib
import secrets

TOKEN_PREFIX = "pp_"
PREFIX_LENGTH = 10  # "pp_" and 7 characters of the random part, kept in clear


def new_token_text() -> str:
    """32 random bytes, URL-safe: "pp_" and 43 characters."""
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def hash_token(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()
