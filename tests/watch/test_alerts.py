"""Alerts: grouping per story cluster, routing (with successor), answers, notifications, escalation."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from pressdesk.accounts.models import OrgKind, Role
from pressdesk.core.audit import history_for
from pressdesk.core.errors import NotFound, TransitionError, ValidationFailed
from pressdesk.monitoring.models import StoryCluster
from pressdesk.watch import schedule
from pressdesk.watch.models import Alert, AlertRule, Notification, Response, RoutingRule
from pressdesk.watch.selectors import alerts_visible_to
from pressdesk.watch.services import (
    alert_answer,
    alert_close,
    alerts_escalate_overdue,
    alerts_evaluate,
)
from tests.factories import OrganisationFactory
from tests.watch.factories import make_article

pytestmark = pytest.mark.django_db(transaction=False)


@pytest.fixture
def world(make_user):  # type: ignore[no-untyped-def]
    old = OrganisationFactory(
        name="UBND huyện Quảng Xương (cũ)",
        kind=OrgKind.LOCALITY,
        admin_unit_code="389",
        valid_to=dt.date(2025, 6, 30),
    )
    new = OrganisationFactory(
        name="UBND xã Quảng Xương",
        kind=OrgKind.LOCALITY,
        admin_unit_code="16000",
        valid_from=dt.date(2025, 7, 1),
    )
    old.successor = new
    old.save()
    samson = OrganisationFactory(name="UBND TP Sầm Sơn", kind=OrgKind.LOCALITY, admin_unit_code="382")
    other = OrganisationFactory(name="UBND thị xã Nghi Sơn", kind=OrgKind.LOCALITY, admin_unit_code="394")
    rule = AlertRule.objects.create(
        name="Tiêu cực", kind=AlertRule.Kind.NEGATIVE_TONE, severity="high", deadline_hours=24
    )
    return {
        "old": old,
        "new": new,
        "samson": samson,
        "other": other,
        "rule": rule,
        "officer": make_user(Role.BODY_OFFICER, samson),
        "new_officer": make_user(Role.BODY_OFFICER, new),
        "other_officer": make_user(Role.BODY_OFFICER, other),
        "monitor": make_user(Role.MONITOR),
        "viewer": make_user(Role.VIEWER),
    }


def negative(title: str, code: str, cluster: StoryCluster | None = None):  # type: ignore[no-untyped-def]
    return make_article(
        title,
        "Nội dung tiêu cực.",
        places=[(code, "nơi")],
        cluster=cluster,
        tone="negative",
        about_province=True,
        analysed_at=timezone.now(),
    )


def test_one_alert_per_cluster_and_copies_join_it(world, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    first = negative("Sầm Sơn chặt chém du khách", "382")
    cluster = StoryCluster.objects.create(first_article=first, size=3, outlet_count=3)
    first.cluster = cluster
    first.save()
    with django_capture_on_commit_callbacks(execute=True):
        alerts_evaluate([first.pk])
    copies = [negative("Sầm Sơn chặt chém (đăng lại)", "382", cluster) for _ in range(2)]
    with django_capture_on_commit_callbacks(execute=True):
        alerts_evaluate([c.pk for c in copies])
        alerts_evaluate([first.pk, *[c.pk for c in copies]])  # evaluating again changes nothing
    alert = Alert.objects.get()
    assert alert.articles.count() == 3
    assert alert.body == world["samson"] and alert.status == Alert.Status.ASSIGNED
    # Once per alert and recipient: one mail to the Sầm Sơn officer, however many copies.
    assert [m.to for m in mail.outbox] == [[world["officer"].email]]
    assert Notification.objects.filter(alert=alert).count() == 1


def test_routing_follows_the_2025_successor_and_the_table_wins(world) -> None:  # type: ignore[no-untyped-def]
    (alert,) = alerts_evaluate([negative("Quảng Xương ngập", "389").pk])
    assert alert.body == world["new"]
    RoutingRule.objects.create(place_code="394", body=world["samson"])
    (alert2,) = alerts_evaluate([negative("Nghi Sơn khói bụi", "394").pk])
    assert alert2.body == world["samson"]


def test_an_article_naming_only_an_old_commune_goes_to_its_district(world) -> None:  # type: ignore[no-untyped-def]
    # xa:14830 is the ward Trung Sơn of Sầm Sơn (before 2025); no body is registered for the ward.
    (alert,) = alerts_evaluate([negative("Phường Trung Sơn ngập rác", "xa:14830").pk])
    assert alert.body == world["samson"]
    # A commune of an old district that has a 2025 successor goes on to the successor.
    (alert2,) = alerts_evaluate([negative("Xã Lam Sơn mất điện", "xa:15064").pk])
    assert alert2.body == world["new"]  # xa:15064 lies in old district 389 (the test's Quảng Xương)


def test_a_body_without_anyone_to_answer_makes_the_monitors_act(  # type: ignore[no-untyped-def]
    world, django_capture_on_commit_callbacks
) -> None:
    empty = OrganisationFactory(name="UBND xã Bá Thước", kind=OrgKind.LOCALITY, admin_unit_code="386")
    with django_capture_on_commit_callbacks(execute=True):
        (alert,) = alerts_evaluate([negative("Bá Thước sạt lở", "386").pk])
    assert alert.body == empty and alert.status == Alert.Status.ASSIGNED
    assert [m.to for m in mail.outbox] == [[world["monitor"].email]]


def test_unrouted_alert_notifies_monitors_once(world, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        (alert,) = alerts_evaluate([negative("Tin không rõ nơi", "999").pk])
    assert alert.body is None and alert.status == Alert.Status.OPEN
    assert [m.to for m in mail.outbox] == [[world["monitor"].email]]


def test_keyword_rule_matches_whole_syllables_without_diacritics(world) -> None:  # type: ignore[no-untyped-def]
    AlertRule.objects.create(name="Ô nhiễm", kind=AlertRule.Kind.KEYWORDS, keywords=["ô nhiễm môi trường"])
    hit = make_article("Phản ánh o nhiem moi truong ở Nghi Sơn", analysed_at=timezone.now())
    miss = make_article("Môi trường đầu tư thông thoáng", analysed_at=timezone.now())
    alerts = alerts_evaluate([hit.pk, miss.pk])
    assert [a.articles.get() for a in alerts] == [hit]


def test_spike_against_the_usual_level(world) -> None:  # type: ignore[no-untyped-def]
    rule = AlertRule.objects.create(
        name="Đột biến Sầm Sơn", kind=AlertRule.Kind.SPIKE, place_code="382", spike_k=3, spike_min_count=3
    )
    now = timezone.now()
    for day in range(2, 29, 3):  # about one article every three days in the baseline
        make_article("Tin thường", places=[("382", "Sầm Sơn")], published=now - dt.timedelta(days=day))
    quiet = make_article("Một tin", places=[("382", "Sầm Sơn")], published=now - dt.timedelta(hours=1))
    assert not [a for a in alerts_evaluate([quiet.pk], now=now) if a.rule == rule]
    burst = [
        make_article(f"Tin {i}", places=[("382", "Sầm Sơn")], published=now - dt.timedelta(hours=2))
        for i in range(4)
    ]
    fired = [a for a in alerts_evaluate([burst[-1].pk], now=now) if a.rule == rule]
    assert len(fired) == 1


def test_answer_close_and_audit(world, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    (alert,) = alerts_evaluate([negative("Sầm Sơn", "382").pk])
    with pytest.raises(NotFound):
        alert_answer(alert_id=alert.pk, actor=world["other_officer"], kind="rebuttal", text="x")
    with pytest.raises(ValidationFailed) as error:
        alert_answer(alert_id=alert.pk, actor=world["officer"], kind="no_action", text=" ")
    assert "lý do" in str(error.value.message)
    with pytest.raises(TransitionError):
        alert_close(alert_id=alert.pk, actor=world["officer"])
    with django_capture_on_commit_callbacks(execute=True):
        alert_answer(
            alert_id=alert.pk,
            actor=world["officer"],
            kind="correction_request",
            text="Đã gửi đề nghị cải chính theo Điều 42 Luật Báo chí.",
            link_url="https://baothanhhoa.vn/x",
        )
    assert Response.objects.get().kind == "correction_request"
    assert [m.to for m in mail.outbox] == [[world["monitor"].email]]
    alert_close(alert_id=alert.pk, actor=world["officer"])
    alert.refresh_from_db()
    assert alert.status == Alert.Status.CLOSED
    assert [r.action for r in history_for(alert)][-3:] == ["route", "answer", "close"]


def test_visibility_matrix(world) -> None:  # type: ignore[no-untyped-def]
    (alert,) = alerts_evaluate([negative("Sầm Sơn", "382").pk])
    assert list(alerts_visible_to(world["officer"])) == [alert]
    assert list(alerts_visible_to(world["monitor"])) == [alert]
    assert list(alerts_visible_to(world["viewer"])) == [alert]
    assert list(alerts_visible_to(world["other_officer"])) == []


def test_overdue_escalation_notifies_monitors_once(world, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    (alert,) = alerts_evaluate([negative("Sầm Sơn", "382").pk])
    later = timezone.now() + dt.timedelta(hours=25)
    with django_capture_on_commit_callbacks(execute=True):
        assert alerts_escalate_overdue(now=later) == [alert]
        assert alerts_escalate_overdue(now=later) == []
    alert.refresh_from_db()
    assert alert.status == Alert.Status.ESCALATED
    assert [m.to for m in mail.outbox] == [[world["monitor"].email]]
    # An escalated alert can still be answered by its body.
    alert_answer(alert_id=alert.pk, actor=world["officer"], kind="rebuttal", text="Đã đăng tin phản bác.")


def test_scheduled_jobs_turn_a_new_analysed_article_into_a_routed_alert(world) -> None:  # type: ignore[no-untyped-def]
    # Ingestion + analysis stand-in: a stored article with its analysis fields (see the report).
    article = negative("Sầm Sơn: du khách phản ánh", "382")
    unanalysed = make_article(
        "Sầm Sơn chưa phân tích", places=[("382", "Sầm Sơn")], tone="negative", about_province=True
    )
    jobs = dict((f.__name__, f) for _s, f in schedule.JOBS)
    assert min(s for s, _f in schedule.JOBS) < 60
    jobs["evaluate_new_articles"]()
    alert = Alert.objects.get()
    assert list(alert.articles.all()) == [article] and alert.body == world["samson"]
    assert unanalysed not in alert.articles.all()
    jobs["evaluate_new_articles"]()  # nothing new: nothing changes
    assert Alert.objects.count() == 1


def _release(body, user, *, status="published", slug="tcbc"):  # type: ignore[no-untyped-def]
    from pressdesk.infohub.models import PressRelease

    published = status in ("published", "withdrawn")
    return PressRelease.objects.create(
        body=body,
        title=f"Thông cáo {slug}",
        body_text="Thông tin chính thức của cơ quan.",
        status=status,
        drafted_by=user,
        approved_by=user if published else None,
        published_at=timezone.now() if published else None,
        slug=slug,
    )


def test_answer_links_the_bodys_published_release_both_ways(world, client) -> None:  # type: ignore[no-untyped-def]
    (alert,) = alerts_evaluate([negative("Sầm Sơn", "382").pk])
    own = _release(world["samson"], world["officer"], slug="own")
    draft = _release(world["samson"], world["officer"], status="draft", slug="draft")
    foreign = _release(world["other"], world["other_officer"], slug="foreign")
    for wrong in (draft, foreign):
        with pytest.raises(ValidationFailed) as error:
            alert_answer(
                alert_id=alert.pk,
                actor=world["officer"],
                kind="rebuttal",
                text="x",
                press_release_id=wrong.pk,
            )
        assert "đã công bố" in str(error.value.message)
    assert not Response.objects.exists()  # a refused answer changes nothing

    client.force_login(world["officer"])
    page = client.get(f"/canh-bao/canh-bao/{alert.pk}/").content.decode()
    assert f'<option value="{own.pk}">' in page and f'value="{foreign.pk}"' not in page
    response = client.post(
        f"/canh-bao/canh-bao/{alert.pk}/",
        {"action": "answer", "kind": "rebuttal", "text": "Đã đăng thông cáo.", "press_release": own.pk},
    )
    assert response.status_code == 302
    assert Response.objects.get().press_release == own
    alert_page = client.get(f"/canh-bao/canh-bao/{alert.pk}/").content.decode()
    assert f'href="/thong-tin/thong-cao/xem/{own.slug}/"' in alert_page  # the public page: anyone may open it
    release_page = client.get(f"/thong-tin/thong-cao/{own.pk}/").content.decode()
    assert f'href="/canh-bao/canh-bao/{alert.pk}/"' in release_page


def test_monitor_saves_a_rule_of_every_kind_with_its_history(world) -> None:  # type: ignore[no-untyped-def]
    from pressdesk.watch.services import alert_rule_save

    for kind, extra in [
        (AlertRule.Kind.NEGATIVE_TONE, {}),
        (AlertRule.Kind.FALSE_INFO, {}),
        (AlertRule.Kind.KEYWORDS, {"keywords": ["sạt lở"]}),
        (AlertRule.Kind.SPIKE, {"place_code": "dist:382"}),
    ]:
        rule = alert_rule_save(actor=world["monitor"], name=f"Quy tắc {kind}", kind=kind, **extra)
        rule = alert_rule_save(
            actor=world["monitor"], rule_id=rule.pk, name=rule.name, kind=kind, enabled=False, **extra
        )
        assert [(r.from_state, r.to_state, r.note) for r in history_for(rule)] == [
            ("", "on", kind),
            ("on", "off", kind),
        ]
