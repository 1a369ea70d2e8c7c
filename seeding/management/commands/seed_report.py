from django.core.management.base import BaseCommand, CommandError

from seeding.report import DEFAULT_FIXTURE, seed_report


class Command(BaseCommand):
    help = (
        "Load the Zhenba County Industrial Park as its 2024-04-03 report describes it "
        "(fixtures/zhenba-2024.json). Running it again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--fixture", default=str(DEFAULT_FIXTURE),
                            help="JSON file to load (default: %(default)s)")
        parser.add_argument("--demo-users", action="store_true",
                            help="Also create staff1, leader1 and admin1 in the groups "
                                 "staff, leader and admin.")
        parser.add_argument("--password",
                            help="Password for newly created demo users (default: a random "
                                 "one, printed once).")

    def handle(self, *args, fixture, demo_users, password, **options):
        if password and not demo_users:
            raise CommandError("--password only applies together with --demo-users")
        result = seed_report(path=fixture, demo_users=demo_users, password=password)
        self.stdout.write(
            f"seed_report: {result.created} created, {result.updated} updated, "
            f"{result.unchanged} unchanged")
        if result.passwords:
            self.stdout.write(self.style.SUCCESS("Demo logins (shown once):"))
            for username, chosen in result.passwords.items():
                self.stdout.write(f"  {username} / {chosen}")
