from django.core.management.base import BaseCommand, CommandError

from pressdesk.accounts.models import User
from pressdesk.accounts.services import token_issue


class Command(BaseCommand):
    help = "Cấp khóa API cho người dùng (in ra một lần)."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("username")
        parser.add_argument("--name", default="")

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"Không có người dùng '{options['username']}'.")
        self.stdout.write(token_issue(user=user, name=options["name"]))
