"""Compute every person's reminders for today and deliver them (inbox, and a mail digest
when mail is configured). Run daily by the deployment (deploy/systemd/parkportal-reminders.*).
"""

import json
from datetime import date

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from reminders import selectors, services
from reminders.selectors import KINDS


class Command(BaseCommand):
    help = ("Compute each user's reminders (reports due and late, demands due, procedures "
            "overdue, lead follow-ups due) and put them in their inbox; mail a digest when "
            "mail is configured (MAIL_CONFIGURED). Idempotent per user, day and kind.")

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true",
                            help="Compute and print only: no inbox item, no mail.")
        parser.add_argument("--format", choices=("text", "json"), default="text")
        parser.add_argument("--date", help="Compute as of this day (YYYY-MM-DD); default today.")

    def handle(self, *args, dry_run=False, format="text", date=None, **options):
        today = self._day(date)
        rows = selectors.reminders(today)
        delivered = []
        if not dry_run:
            mail = bool(getattr(settings, "MAIL_CONFIGURED", False))
            for user, counts in rows:
                delivered.append(services.deliver(user=user, counts=counts, today=today,
                                                  mail=mail))
        if format == "json":
            self.stdout.write(json.dumps({"users": [
                {"username": user.username, **{kind: counts[kind] for kind in KINDS}}
                for user, counts in rows]}, ensure_ascii=False))
            return
        for user, counts in rows:
            self.stdout.write(user.username + ": " + ", ".join(
                f"{kind} {counts[kind]}" for kind in KINDS))
        if dry_run:
            self.stdout.write("dry run: nothing written, nothing sent")
        else:
            self.stdout.write(
                f"{sum(d['created'] for d in delivered)} inbox items created, "
                f"{sum(d['updated'] for d in delivered)} updated, "
                f"{sum(d['mailed'] for d in delivered)} digests mailed")

    @staticmethod
    def _day(value) -> date:
        if not value:
            return timezone.localdate()
        try:
            return date.fromisoformat(value)
        except ValueError as exc:
            raise CommandError(f"--date: not a date: {value!r} (use YYYY-MM-DD)") from exc
