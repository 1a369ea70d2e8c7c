"""Writes of the api app: issue and revoke personal tokens."""

from django.db import transaction
from django.utils import timezone

from api.models import ApiToken
from api.tokens import PREFIX_LENGTH, hash_token, new_token_text


@transaction.atomic
def create_token(*, user, name: str = "") -> tuple[ApiToken, str]:
    """A new token for `user`: the stored record and the token text, which is shown once and
    never stored."""
    text = new_token_text()
    token = ApiToken(user=user, name=name, prefix=text[:PREFIX_LENGTH],
                     key_hash=hash_token(text))
    token.full_clean()
    token.save()
    return token, text


@transaction.atomic
def revoke_token(*, token: ApiToken) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token
