"""`Authorization: Bearer <token>`: the token's holder, loaded as a page's user is (park and
roles in one query, parkportal.auth). Sessions never authenticate an API call, so no API call
needs a CSRF token."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone
from ninja.security import HttpBearer

from api.models import ApiToken
from api.tokens import hash_token
from parkportal.auth import role_flags
from parkportal.roles import ALL_ROLES, remember_roles

TOUCH_EVERY = timedelta(minutes=5)  # last_used_at is written at most this often per token


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        if not token or len(token) > 200:
            return None
        found = (ApiToken.objects.filter(key_hash=hash_token(token), revoked_at__isnull=True)
                 .values("pk", "user_id", "last_used_at").first())
        if found is None:
            return None
        users = get_user_model()._default_manager
        user = (users.select_related("park_member__park").annotate(**role_flags())
                .filter(pk=found["user_id"], is_active=True).first())
        if user is None:
            return None
        remember_roles(user, {role for role in ALL_ROLES if getattr(user, f"has_role_{role}")})
        now = timezone.now()
        if found["last_used_at"] is None or now - found["last_used_at"] > TOUCH_EVERY:
            ApiToken.objects.filter(pk=found["pk"]).update(last_used_at=now)
        request.user = user
        return user
