"""Demo data of the information hub, all written through services; loading twice adds nothing."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from pressdesk.core.demo import DemoContext
from pressdesk.infohub import services
from pressdesk.infohub.models import (
    Collaborator,
    PressEvent,
    PressInquiry,
    PressRelease,
    ResidentReporter,
    SpokespersonAppointment,
)

RELEASES = [
    (
        "01/TCBC-UBND",
        "Sầm Sơn khai mạc Lễ hội du lịch biển năm 2024",
        "Lễ hội du lịch biển Sầm Sơn 2024 khai mạc tối 29/4 với chủ đề “Sầm Sơn – Điểm hẹn bốn mùa”.",
        "UBND thành phố Sầm Sơn thông báo: Lễ hội du lịch biển năm 2024 khai mạc tại Quảng trường biển.\n"
        "Chuỗi sự kiện kéo dài đến tháng 9 với các hoạt động văn hóa, thể thao, ẩm thực.",
    ),
    (
        "02/TCBC-UBND",
        "Kết quả kiểm tra an toàn thực phẩm mùa du lịch",
        "Đoàn liên ngành kiểm tra 126 cơ sở, nhắc nhở 14 cơ sở, xử phạt 3 cơ sở vi phạm.",
        "Trong tháng 6, đoàn kiểm tra liên ngành thành phố Sầm Sơn đã kiểm tra 126 cơ sở kinh doanh "
        "ăn uống. Các cơ sở vi phạm đã bị xử lý theo quy định.",
    ),
    (
        "03/TCBC-UBND",
        "Thông tin về việc niêm yết giá dịch vụ tại bãi biển",
        "Thành phố yêu cầu 100% cơ sở kinh doanh dịch vụ niêm yết giá công khai.",
        "Trước phản ánh của báo chí về tình trạng “chặt chém”, UBND thành phố Sầm Sơn đã chỉ đạo kiểm tra, "
        "yêu cầu niêm yết và bán đúng giá niêm yết; đường dây nóng tiếp nhận phản ánh: 0237 3821 xxx.",
    ),
]


def load(ctx: DemoContext) -> None:
    samson, officer, head = ctx.orgs["samson"], ctx.users["samson"], ctx.users["thutruong"]
    if not PressRelease.objects.filter(body=samson).exists():
        for number, title, summary, text in RELEASES:
            release = services.release_create(
                actor=officer, body=samson, title=title, summary=summary, body_text=text, number=number
            )
            services.release_submit(release_id=release.pk, actor=officer)
            services.release_approve(release_id=release.pk, actor=head)
        draft = services.release_create(
            actor=officer,
            body=samson,
            title="Dự thảo: Kế hoạch tổ chức Tuần Văn hóa – Du lịch",
            body_text="Nội dung đang soạn.",
        )
        services.release_submit(release_id=draft.pk, actor=officer)

    admin = ctx.users["quantri"]
    today = timezone.localdate()
    if not SpokespersonAppointment.objects.exists():
        # TP Sầm Sơn and UBND tỉnh have someone valid today; the departments are left without one on
        # purpose so that the warning list shows bodies missing a spokesperson.
        services.spokesperson_appoint(
            actor=head,
            body=samson,
            person_name="Lê Đình Sơn",
            position="Chủ tịch UBND thành phố",
            kind=SpokespersonAppointment.Kind.HEAD,
            valid_from=dt.date(2021, 1, 1),
        )
        services.spokesperson_appoint(
            actor=head,
            body=samson,
            person_name="Nguyễn Phương Thảo",
            position="Chánh Văn phòng HĐND và UBND thành phố",
            kind=SpokespersonAppointment.Kind.SPOKESPERSON,
            phone="0237 3821 000",
            email="phatngon@samson.example.vn",
            decision_number="125/QĐ-UBND",
            decision_date=dt.date(2023, 3, 2),
            valid_from=dt.date(2023, 3, 2),
        )
        services.spokesperson_appoint(
            actor=admin,
            body=ctx.orgs["ubnd"],
            person_name="Chánh Văn phòng UBND tỉnh",
            position="Chánh Văn phòng UBND tỉnh Thanh Hóa",
            kind=SpokespersonAppointment.Kind.SPOKESPERSON,
            decision_number="1234/QĐ-UBND",
            decision_date=dt.date(2022, 4, 1),
            valid_from=dt.date(2022, 4, 1),
        )
        services.spokesperson_appoint(
            actor=admin,
            body=ctx.orgs["svhttdl"],
            person_name="Phó Giám đốc Sở (đã hết nhiệm kỳ phát ngôn)",
            position="Phó Giám đốc",
            kind=SpokespersonAppointment.Kind.SPOKESPERSON,
            valid_from=dt.date(2020, 1, 1),
            valid_to=today - dt.timedelta(days=30),
        )

    reporter = ctx.users["pvtt"]
    if not PressInquiry.objects.filter(asked_by=reporter).exists():
        now = timezone.now()
        questions = [
            (
                "Số khách du lịch đến Sầm Sơn 6 tháng đầu năm",
                "Đề nghị cung cấp số liệu lượt khách, doanh thu.",
            ),
            (
                "Tiến độ dự án đường ven biển",
                "Đề nghị cho biết tiến độ giải phóng mặt bằng đoạn qua Sầm Sơn.",
            ),
            ("Phản ánh giá dịch vụ tắm biển", "Đề nghị thông tin về việc xử lý cơ sở bán sai giá niêm yết."),
            ("Công tác cứu hộ bãi biển", "Đề nghị cho biết số vụ đuối nước và lực lượng cứu hộ."),
        ]
        created = [
            services.inquiry_create(
                actor=reporter, body=samson, subject=s, question=q, now=now - dt.timedelta(days=5 - i)
            )
            for i, (s, q) in enumerate(questions)
        ]
        services.inquiry_assign(inquiry_id=created[0].pk, actor=head, assignee=ctx.users["phatngon"])
        services.inquiry_answer(
            inquiry_id=created[0].pk,
            actor=ctx.users["phatngon"],
            answer="6 tháng đầu năm thành phố đón khoảng 5,2 triệu lượt khách.",
            now=now - dt.timedelta(days=4, hours=12),
        )
        services.inquiry_close(inquiry_id=created[0].pk, actor=reporter)
        services.inquiry_decline(
            inquiry_id=created[1].pk,
            actor=head,
            reason="Dự án do tỉnh làm chủ đầu tư; đề nghị liên hệ Ban QLDA tỉnh.",
            now=now - dt.timedelta(days=1),
        )  # answered after the deadline: flagged late
        services.inquiry_assign(inquiry_id=created[2].pk, actor=head, assignee=officer)
        # created[3] stays received (and overdue) to show the warning

    monitor = ctx.users["theodoi"]
    if not PressEvent.objects.filter(kind=PressEvent.Kind.BRIEFING).exists():
        event = services.event_create(
            actor=monitor,
            kind=PressEvent.Kind.BRIEFING,
            title="Giao ban báo chí tháng 6/2024",
            date=dt.date(2024, 6, 25),
            bodies=[samson, ctx.orgs["svhttdl"], ctx.orgs["ubnd"]],
            agenda="1. Thông tin tình hình kinh tế – xã hội tháng 6.\n2. Định hướng tuyên truyền mùa du lịch.",
        )
        services.event_record_minutes(
            event_id=event.pk,
            actor=monitor,
            minutes="Các cơ quan báo chí phản ánh tình trạng giá dịch vụ tại bãi biển; "
            "UBND TP Sầm Sơn tiếp thu, báo cáo kết quả xử lý.",
        )
        task = services.event_add_task(
            event_id=event.pk,
            actor=monitor,
            text="Báo cáo kết quả xử lý phản ánh về giá dịch vụ tại bãi biển",
            owner=samson,
            due_date=dt.date(2024, 7, 10),
        )
        services.task_mark_done(task_id=task.pk, actor=officer)
        services.event_add_task(
            event_id=event.pk,
            actor=monitor,
            text="Cung cấp lịch sự kiện văn hóa quý III cho các cơ quan báo chí",
            owner=ctx.orgs["svhttdl"],
            due_date=dt.date(2024, 7, 15),
        )

    editor = ctx.users["baothanhhoa"]
    if not Collaborator.objects.filter(agency=ctx.orgs["baoth"]).exists():
        for name, beats, communes in [
            ("Nguyễn Văn Hải", "Du lịch, dịch vụ", "Sầm Sơn, Quảng Xương"),
            ("Trần Thị Lan", "Nông nghiệp, nông thôn mới", "Thọ Xuân, Triệu Sơn"),
            ("Lê Minh Đức", "Công nghiệp, Khu kinh tế", "Nghi Sơn, Tĩnh Gia"),
        ]:
            services.collaborator_save(
                actor=editor, agency=ctx.orgs["baoth"], person_name=name, beats=beats, communes=communes
            )

    if not ResidentReporter.objects.filter(office=ctx.orgs["vpttxvn"]).exists():
        services.resident_reporter_save(
            actor=reporter,
            office=ctx.orgs["vpttxvn"],
            agency_name="Thông tấn xã Việt Nam",
            person_name="Vũ Đức Quang",
            press_card_number="TTX-01234",
            valid_from=dt.date(2021, 1, 1),
            valid_to=dt.date(2026, 12, 31),
        )

    _answer_demo_alert(ctx)

    ctx.lines.append(
        "Cung cấp thông tin: /thong-tin/ (samson soạn, thutruong duyệt); trang công khai /thong-tin/thong-cao/, "
        "Atom /thong-tin/thong-cao/atom.xml, người phát ngôn /thong-tin/nguoi-phat-ngon/"
    )


ANSWER_TITLE = "Xử lý nghiêm cơ sở ép giá hải sản, bảo đảm quyền lợi du khách"


def _answer_demo_alert(ctx: DemoContext) -> None:
    """The Sầm Sơn ward answers the alert on the overcharging story with a press release (linked both ways)."""
    from pressdesk.watch import services as watch
    from pressdesk.watch.models import Alert

    ward = ctx.orgs.get("psamson")
    alert = (
        Alert.objects.filter(body=ward, status=Alert.Status.ASSIGNED, title__icontains="chặt chém")
        .order_by("pk")
        .first()
    )
    if ward is None or alert is None or PressRelease.objects.filter(title=ANSWER_TITLE).exists():
        return
    officer, head = ctx.users["samson"], ctx.users["thutruong"]
    release = services.release_create(
        actor=officer,
        body=ward,
        number="05/TCBC-UBND",
        title=ANSWER_TITLE,
        summary="Cơ sở bị du khách phản ánh đã bị xử phạt, buộc hoàn trả tiền chênh lệch cho khách.",
        body_text="Ngay sau phản ánh của báo chí, UBND phường Sầm Sơn đã kiểm tra nhà hàng bị du khách phản ánh, "
        "lập biên bản vi phạm về niêm yết giá và buộc hoàn trả tiền chênh lệch cho khách.\n"
        "Đường dây nóng tiếp nhận phản ánh của du khách hoạt động 24/24 giờ trong mùa du lịch.",
    )
    services.release_submit(release_id=release.pk, actor=officer)
    services.release_approve(release_id=release.pk, actor=head)
    watch.alert_answer(
        alert_id=alert.pk,
        actor=officer,
        kind="rebuttal",
        text="Đã kiểm tra, xử phạt cơ sở vi phạm và công bố thông cáo báo chí.",
        press_release_id=release.pk,
    )
