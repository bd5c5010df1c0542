"""`icihub delivery_jobs [--today DATE]`: the daily job of course delivery: the one-month and two-week
reminders with the joining instructions before a course, and the evaluation invitations after it (the
end-of-course questionnaire, and the follow-up survey six months later). Idempotent: run it daily
(cron, a systemd timer); running it again the same day sends nothing more."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from icihub.delivery.joining import send_reminders
from icihub.evaluation.services import send_invitations


class Command(BaseCommand):
    help = "Send the reminders and evaluation invitations due today."

    def add_arguments(self, parser):
        parser.add_argument("--today", help="the day to act as (YYYY-MM-DD); default: today")

    def handle(self, *args, today=None, **options):
        try:
            day = datetime.date.fromisoformat(today) if today else timezone.localdate()
        except ValueError:
            raise CommandError(f"--today {today!r} is not a date (YYYY-MM-DD).") from None
        self.stdout.write(f"{send_reminders(day)} reminders sent for {day.isoformat()}.")
        self.stdout.write(f"{send_invitations(day)} evaluation invitations sent for {day.isoformat()}.")
