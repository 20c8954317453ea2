"""The `pressdesk` command: Django's management commands plus PressDesk's own."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pressdesk.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["pressdesk", *sys.argv[1:]])


if __name__ == "__main__":
    main()
