"""`pressdesk social import FILE`: store social posts from an exported JSON or CSV file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pressdesk.core.errors import DomainError
from pressdesk.watch.social import social_import


class Command(BaseCommand):
    help = "Nhập bài đăng mạng xã hội từ tệp JSON/CSV (cột url, text, title, author, published_at)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["import"])
        parser.add_argument("file")

    def handle(self, *args: Any, **opts: Any) -> None:
        path = Path(opts["file"])
        if not path.is_file():
            raise CommandError(f"Không tìm thấy tệp {path}.")
        try:
            created, known = social_import(data=path.read_bytes(), filename=path.name, actor=None)
        except DomainError as error:
            raise CommandError(str(error.message)) from error
        self.stdout.write(f"Đã nhập {len(created)} bài đăng mới, {known} bài đã có.")
