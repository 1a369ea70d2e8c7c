from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from api.services import create_token
from parkportal.roles import roles_for


class Command(BaseCommand):
    help = ("Issue a personal API token for USER and print it as the last line (docs/api.md). "
            "Only its hash is stored: copy it now.")

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="", help="what the token is for")

    def handle(self, *args, username, name, **options):
        user = get_user_model()._default_manager.filter(username=username).first()
        if user is None:
            raise CommandError(f"未找到用户 {username!r}（no user {username!r}）")
        if not user.is_active:
            raise CommandError(f"用户 {username!r} 已停用（user {username!r} is inactive）")
        if not roles_for(user):
            raise CommandError(f"用户 {username!r} 没有角色（user {username!r} has no role: "
                               "the API would show nothing）")
        token, text = create_token(user=user, name=name)
        self.stdout.write(f"API token {token.prefix}… for {username} "
                          "(shown once; send it as 'Authorization: Bearer <token>'):")
        self.stdout.write(text)
