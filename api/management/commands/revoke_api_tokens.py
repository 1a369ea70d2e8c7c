from django.core.management.base import BaseCommand, CommandError

from api.models import ApiToken
from api.services import revoke_token


class Command(BaseCommand):
    help = ("Revoke USER's API tokens: all of them, or the one whose prefix is given "
            "(docs/api.md). Lists the user's tokens with --list.")

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--prefix", help="revoke only the token starting with this")
        parser.add_argument("--list", action="store_true", help="list, revoke nothing")

    def handle(self, *args, username, prefix, list, **options):
        tokens = ApiToken.objects.filter(user__username=username)
        if list:
            for token in tokens:
                state = f"revoked {token.revoked_at:%Y-%m-%d}" if token.revoked_at else "active"
                self.stdout.write(f"{token.prefix}…  {token.name or '-'}  "
                                  f"created {token.created_at:%Y-%m-%d}  {state}")
            return
        tokens = tokens.filter(revoked_at__isnull=True)
        if prefix:
            tokens = tokens.filter(prefix__startswith=prefix[:10])
        found = [revoke_token(token=token) for token in tokens]
        if prefix and not found:
            raise CommandError(f"没有匹配的有效令牌（no active token {prefix!r} for {username!r}）")
        self.stdout.write(f"revoked {len(found)} token(s) of {username}")
