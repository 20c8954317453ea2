"""Demonstration data: the shipped 2024 plan, imported through the service (idempotent), with a few
topic keywords and one orientation note issued by the demo plan editor."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from pressdesk.core.demo import DemoContext
from pressdesk.plans import selectors, services
from pressdesk.plans.models import Orientation, Topic

PLAN_2024 = Path(__file__).resolve().parent / "data" / "ke-hoach-tuyen-truyen-2024.txt"
ORIENTATION_TITLE = "Định hướng tuyên truyền kỷ niệm 70 năm Chiến thắng Điện Biên Phủ"

# (area number, topic order) → keywords that help recognise articles about the topic.
TOPIC_KEYWORDS: dict[tuple[int, int], list[str]] = {
    (1, 3): ["Khu kinh tế Nghi Sơn", "khu công nghiệp", "nông thôn mới"],
    (2, 3): ["cải cách hành chính", "chuyển đổi số"],
    (5, 3): ["du lịch Thanh Hóa", "Sầm Sơn", "di tích"],
    (5, 4): ["Điện Biên Phủ", "Văn hóa Đông Sơn", "Đô thị Tĩnh lý"],
}


def load(ctx: DemoContext) -> None:
    plan = services.plan_import(document=PLAN_2024.read_bytes(), filename=PLAN_2024.name)
    btg, stttt = ctx.orgs.get("btg"), ctx.orgs.get("stttt")
    if btg is not None and plan.owner_id != btg.pk:
        plan.owner = btg
        plan.save(update_fields=["owner", "updated_at"])
    plan.issuing_bodies.add(*[o for o in (btg, stttt) if o is not None])
    editor = ctx.users.get("bientap")
    if editor is not None:
        for (area_no, order), words in TOPIC_KEYWORDS.items():
            topic = Topic.objects.get(area__plan=plan, area__number=area_no, order=order)
            if not topic.keywords:
                services.topic_update(
                    topic_id=topic.pk,
                    actor=editor,
                    text=topic.text,
                    keywords=words,
                    target_count=topic.target_count,
                )
        if not Orientation.objects.filter(plan=plan, title=ORIENTATION_TITLE).exists():
            topic = Topic.objects.get(area__plan=plan, area__number=5, order=4)
            services.orientation_issue(
                plan=plan,
                actor=editor,
                title=ORIENTATION_TITLE,
                number="15-HD/BTGTU",
                body=(
                    "Tập trung tuyên truyền ý nghĩa lịch sử của Chiến thắng Điện Biên Phủ và đóng góp của quân "
                    "và dân Thanh Hóa; đăng tải bài viết, phóng sự trong tháng 4 và tháng 5/2024."
                ),
                topics=[topic],
                valid_from=dt.date(2024, 4, 1),
                valid_to=dt.date(2024, 5, 31),
            )
    ctx.extra["plan"] = plan
    c = selectors.plan_counts(plan)
    ctx.lines.append(
        f"Kế hoạch {plan.year}: {c['areas']} lĩnh vực, {c['topics']} nội dung, {c['events']} sự kiện"
    )
