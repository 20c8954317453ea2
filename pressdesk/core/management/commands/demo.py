from django.core.management.base import BaseCommand

from pressdesk.core.demo import load_demo


class Command(BaseCommand):
    help = "Nạp dữ liệu minh họa (kế hoạch 2024, cơ quan, tài khoản mẫu). Chạy lại không tạo bản trùng."

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        ctx = load_demo()
        for line in ctx.lines:
            self.stdout.write(line)
