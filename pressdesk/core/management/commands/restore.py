"""`pressdesk restore FILE`: put a backup back (stop `pressdesk web` and the workers first)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from pressdesk.core.backup import read_manifest, restore
from pressdesk.core.errors import DomainError


class Command(BaseCommand):
    help = "Khôi phục cơ sở dữ liệu và tệp đính kèm từ một bản sao lưu (thay thế dữ liệu hiện có)."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("file", help="tệp do `pressdesk backup` tạo")
        parser.add_argument("--yes", "--noinput", action="store_true", dest="yes", help="không hỏi lại")
        parser.add_argument("--no-media", action="store_true", help="giữ nguyên tệp đính kèm hiện có")

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"Không tìm thấy tệp sao lưu {path}.")
        try:
            manifest = read_manifest(path)
            if not options["yes"]:
                answer = input(
                    f"Bản sao lưu {manifest['vendor']} lúc {manifest['created_at']} sẽ THAY THẾ toàn bộ dữ liệu "
                    "hiện có. Gõ 'co' để tiếp tục: "
                )
                if answer.strip().lower() not in {"co", "có"}:
                    raise CommandError("Đã hủy, không thay đổi gì.")
            result = restore(path, include_media=not options["no_media"])
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(self.style.SUCCESS(f"Đã khôi phục {result['vendor']} từ {path}."))
        if result.get("media_replaced_from") not in (None, "None"):
            self.stdout.write(f"Thư mục tệp đính kèm cũ được giữ tại {result['media_replaced_from']}.")
        self.stdout.write("Nếu bản sao lưu cũ hơn mã nguồn, chạy tiếp `pressdesk migrate`.")
