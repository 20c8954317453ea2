"""Press inquiries: deadline from the setting, states, late flag, per-body counts."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from pressdesk.accounts.models import Role
from pressdesk.core.audit import history_for
from pressdesk.core.errors import TransitionError, ValidationFailed
from pressdesk.infohub import selectors, services
from pressdesk.infohub.models import PressInquiry
from tests.infohub.factories import Body, press_user

pytestmark = pytest.mark.django_db
T0 = dt.datetime(2024, 6, 3, 8, 0, tzinfo=dt.UTC)


def _ask(body: Body, reporter: Any = None, now: dt.datetime = T0) -> PressInquiry:
    return services.inquiry_create(
        actor=reporter or press_user(),
        body=body.org,
        subject="Số khách du lịch",
        question="Đề nghị cung cấp",
        now=now,
    )


def test_deadline_follows_setting(body: Body, settings: Any) -> None:
    settings.PRESSDESK_INQUIRY_DEADLINE_DAYS = 5
    inquiry = _ask(body)
    assert inquiry.received_at == T0
    assert inquiry.due_at == T0 + dt.timedelta(days=5)
    assert inquiry.status == PressInquiry.Status.RECEIVED


def test_only_press_roles_ask(body: Body, other_body: Body) -> None:
    with pytest.raises(PermissionDenied):
        services.inquiry_create(actor=other_body.officer, body=body.org, subject="S", question="Q")
    assert PressInquiry.objects.count() == 0


def test_assign_answer_close_on_time(body: Body, settings: Any) -> None:
    settings.PRESSDESK_INQUIRY_DEADLINE_DAYS = 2
    reporter = press_user(Role.AGENCY_EDITOR)
    inquiry = _ask(body, reporter)
    services.inquiry_assign(inquiry_id=inquiry.pk, actor=body.head, assignee=body.officer)
    inquiry = services.inquiry_answer(
        inquiry_id=inquiry.pk, actor=body.officer, answer="5,2 triệu lượt", now=T0 + dt.timedelta(days=1)
    )
    assert (inquiry.status, inquiry.late) == (PressInquiry.Status.ANSWERED, False)
    services.inquiry_close(inquiry_id=inquiry.pk, actor=reporter)
    inquiry.refresh_from_db()
    assert inquiry.status == PressInquiry.Status.CLOSED
    assert [h.action for h in history_for(inquiry)] == ["create", "assign", "answer", "close"]


def test_answer_after_deadline_is_flagged_late(body: Body, settings: Any) -> None:
    settings.PRESSDESK_INQUIRY_DEADLINE_DAYS = 2
    inquiry = _ask(body)
    assert not selectors.inquiry_is_overdue(inquiry, now=T0 + dt.timedelta(days=2))
    assert selectors.inquiry_is_overdue(inquiry, now=T0 + dt.timedelta(days=2, seconds=1))
    inquiry = services.inquiry_answer(
        inquiry_id=inquiry.pk, actor=body.spokesperson, answer="Trả lời", now=T0 + dt.timedelta(days=3)
    )
    assert inquiry.late is True
    assert not selectors.inquiry_is_overdue(inquiry, now=T0 + dt.timedelta(days=9))


def test_decline_needs_reason(body: Body) -> None:
    inquiry = _ask(body)
    with pytest.raises(ValidationFailed):
        services.inquiry_decline(inquiry_id=inquiry.pk, actor=body.head, reason=" ")
    inquiry.refresh_from_db()
    assert inquiry.status == PressInquiry.Status.RECEIVED
    services.inquiry_decline(inquiry_id=inquiry.pk, actor=body.head, reason="Thuộc bí mật nhà nước", now=T0)
    inquiry.refresh_from_db()
    assert (inquiry.status, inquiry.decline_reason) == (PressInquiry.Status.DECLINED, "Thuộc bí mật nhà nước")
    with pytest.raises(TransitionError):
        services.inquiry_answer(inquiry_id=inquiry.pk, actor=body.head, answer="x")


def test_officer_not_assigned_cannot_answer_and_other_body_cannot_act(body: Body, other_body: Body) -> None:
    inquiry = _ask(body)
    for actor in (body.officer, other_body.head, other_body.spokesperson):
        with pytest.raises(PermissionDenied):
            services.inquiry_answer(inquiry_id=inquiry.pk, actor=actor, answer="x")
    with pytest.raises(PermissionDenied):
        services.inquiry_assign(inquiry_id=inquiry.pk, actor=other_body.head, assignee=body.officer)
    with pytest.raises(ValidationFailed):  # assignee from another body
        services.inquiry_assign(inquiry_id=inquiry.pk, actor=body.head, assignee=other_body.officer)
    inquiry.refresh_from_db()
    assert (inquiry.status, inquiry.answer, inquiry.assigned_to) == (PressInquiry.Status.RECEIVED, "", None)


def test_inquiry_stats_per_body(body: Body, other_body: Body, settings: Any) -> None:
    settings.PRESSDESK_INQUIRY_DEADLINE_DAYS = 1
    on_time, late, declined, open_ = (_ask(body) for _ in range(4))
    services.inquiry_answer(
        inquiry_id=on_time.pk, actor=body.head, answer="a", now=T0 + dt.timedelta(hours=2)
    )
    services.inquiry_answer(inquiry_id=late.pk, actor=body.head, answer="a", now=T0 + dt.timedelta(days=3))
    services.inquiry_decline(
        inquiry_id=declined.pk, actor=body.head, reason="r", now=T0 + dt.timedelta(hours=1)
    )
    _ask(other_body)
    _ask(body, now=dt.datetime(2024, 8, 1, tzinfo=dt.UTC))  # outside the period
    stats = {
        s.body_id: s
        for s in selectors.inquiry_stats(
            dt.date(2024, 6, 1), dt.date(2024, 7, 1), now=T0 + dt.timedelta(days=5)
        )
    }
    mine = stats[body.org.pk]
    assert (mine.received, mine.answered, mine.declined, mine.late, mine.open_overdue) == (4, 2, 1, 1, 1)
    theirs = stats[other_body.org.pk]
    assert (theirs.received, theirs.answered, theirs.late, theirs.open_overdue) == (1, 0, 0, 1)
    del open_


def test_reporter_sees_own_agency_inquiries_only(body: Body) -> None:
    asker = press_user()
    mine = _ask(body, asker)
    _ask(body)  # another agency's
    assert list(selectors.inquiries_for_user(asker)) == [mine]
    assert selectors.inquiries_for_user(body.officer).count() == 2


def test_reports_count_late_answers_per_body(body: Body, settings: Any) -> None:
    from pressdesk.reports.periods import parse_period
    from pressdesk.reports.selectors import inquiry_figures

    settings.PRESSDESK_INQUIRY_DEADLINE_DAYS = 1
    late = _ask(body)
    services.inquiry_answer(inquiry_id=late.pk, actor=body.head, answer="a", now=T0 + dt.timedelta(days=3))
    section = inquiry_figures(period=parse_period(f"{T0.year}-{T0.month:02d}"))
    assert section.lines[0].startswith("tổng cộng nhận 1, đã trả lời 1 (trả lời muộn 1)")
    assert f"{body.org.name}: nhận 1, đã trả lời 1 (muộn 1), quá hạn chưa trả lời 0" in section.lines
