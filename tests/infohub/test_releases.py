"""Press release workflow through the services: who may do what, in which state, with records."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from pressdesk.accounts.models import Role
from pressdesk.core.audit import history_for
from pressdesk.core.errors import TransitionError, ValidationFailed
from pressdesk.infohub import selectors, services
from pressdesk.infohub.models import PressRelease, ReleaseDelivery, Subscription
from tests.infohub.factories import Body, press_user

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2024, 6, 1, 9, 0, tzinfo=dt.UTC)


def _draft(body: Body, title: str = "Thông cáo về lễ hội") -> PressRelease:
    return services.release_create(
        actor=body.officer, body=body.org, title=title, body_text="Nội dung", summary="Tóm tắt"
    )


def _published(body: Body) -> PressRelease:
    release = _draft(body)
    services.release_submit(release_id=release.pk, actor=body.officer)
    return services.release_approve(release_id=release.pk, actor=body.head, now=NOW)


def test_officer_drafts_submits_head_approves_and_every_step_is_recorded(body: Body) -> None:
    release = _draft(body)
    assert release.status == PressRelease.Status.DRAFT
    assert release.slug.startswith("thong-cao-ve-le-hoi-")
    services.release_submit(release_id=release.pk, actor=body.officer)
    release = services.release_approve(release_id=release.pk, actor=body.head, now=NOW)
    assert release.status == PressRelease.Status.PUBLISHED
    assert release.published_at == NOW
    assert release.approved_by == body.head
    actions = [(h.action, h.from_state, h.to_state, h.actor) for h in history_for(release)]
    assert actions == [
        ("create", "", "draft", body.officer),
        ("submit", "draft", "submitted", body.officer),
        ("approve", "submitted", "published", body.head),
    ]
    assert list(selectors.published_releases()) == [release]


def test_officer_cannot_approve_own_release(body: Body) -> None:
    release = _draft(body)
    services.release_submit(release_id=release.pk, actor=body.officer)
    with pytest.raises(PermissionDenied):
        services.release_approve(release_id=release.pk, actor=body.officer)
    release.refresh_from_db()
    assert release.status == PressRelease.Status.SUBMITTED
    assert release.published_at is None


@pytest.mark.parametrize("who", ["officer", "head"])
def test_other_body_cannot_touch_release(body: Body, other_body: Body, who: str) -> None:
    release = _draft(body)
    actor = getattr(other_body, who)
    for call in (
        lambda: services.release_submit(release_id=release.pk, actor=actor),
        lambda: services.release_update(release_id=release.pk, actor=actor, title="X", body_text="Y"),
    ):
        with pytest.raises(PermissionDenied):
            call()
    release.refresh_from_db()
    assert (release.status, release.title) == (PressRelease.Status.DRAFT, "Thông cáo về lễ hội")
    with pytest.raises(PermissionDenied):
        services.release_create(actor=actor, body=body.org, title="T", body_text="B")
    assert PressRelease.objects.count() == 1


def test_cannot_approve_a_draft_or_publish_twice(body: Body) -> None:
    release = _draft(body)
    with pytest.raises(TransitionError):
        services.release_approve(release_id=release.pk, actor=body.head)
    published = _published(body)
    with pytest.raises(TransitionError):
        services.release_approve(release_id=published.pk, actor=body.head)


def test_withdraw_needs_reason_and_hides_release(body: Body) -> None:
    release = _published(body)
    with pytest.raises(ValidationFailed):
        services.release_withdraw(release_id=release.pk, actor=body.head, reason="  ")
    assert selectors.published_releases().count() == 1
    services.release_withdraw(release_id=release.pk, actor=body.head, reason="Số liệu sai")
    release.refresh_from_db()
    assert release.status == PressRelease.Status.WITHDRAWN
    assert release.withdrawn_reason == "Số liệu sai"
    assert selectors.published_releases().count() == 0


def test_head_returns_with_note(body: Body) -> None:
    release = _draft(body)
    services.release_submit(release_id=release.pk, actor=body.officer)
    with pytest.raises(ValidationFailed):
        services.release_return(release_id=release.pk, actor=body.head, note="")
    services.release_return(release_id=release.pk, actor=body.head, note="Bổ sung số liệu")
    release.refresh_from_db()
    assert release.status == PressRelease.Status.DRAFT


def test_empty_title_is_refused_with_vietnamese_message(body: Body) -> None:
    with pytest.raises(ValidationFailed) as exc:
        services.release_create(actor=body.officer, body=body.org, title=" ", body_text="B")
    assert "tiêu đề" in exc.value.message
    assert PressRelease.objects.count() == 0


# --- attachments ------------------------------------------------------------------------------------

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def test_attachment_checked_by_content_and_stored_privately(body: Body, settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path
    release = _draft(body)
    att = services.release_attach(
        release_id=release.pk, actor=body.officer, file=SimpleUploadedFile("thong-cao.pdf", PDF)
    )
    assert att.kind == "pdf" and att.size == len(PDF)
    assert att.file.startswith("infohub/releases/") and "thong-cao" not in att.file
    assert (tmp_path / att.file).read_bytes() == PDF
    img = services.release_attach(
        release_id=release.pk, actor=body.officer, file=SimpleUploadedFile("anh.png", PNG)
    )
    assert img.kind == "png"


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("virus.pdf", b"MZ\x90\x00 not a pdf", "upload_type_not_allowed"),
        ("anh.pdf", PNG, "upload_extension_mismatch"),
        ("rong.pdf", b"", "upload_empty"),
        ("bang.gif", b"GIF89a" + b"\x00" * 10, "upload_type_not_allowed"),
    ],
)
def test_bad_attachments_refused(
    body: Body, settings: Any, tmp_path: Any, name: str, content: bytes, code: str
) -> None:
    settings.MEDIA_ROOT = tmp_path
    release = _draft(body)
    with pytest.raises(ValidationFailed) as exc:
        services.release_attach(
            release_id=release.pk, actor=body.officer, file=SimpleUploadedFile(name, content)
        )
    assert exc.value.code == code
    assert release.attachments.count() == 0


def test_attachment_size_limit(body: Body, settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path
    settings.PRESSDESK_UPLOAD_MAX_BYTES = 100
    release = _draft(body)
    with pytest.raises(ValidationFailed) as exc:
        services.release_attach(
            release_id=release.pk, actor=body.officer, file=SimpleUploadedFile("lon.pdf", PDF + b"x" * 200)
        )
    assert exc.value.code == "upload_too_large"
    assert release.attachments.count() == 0


def test_no_attachment_after_publication(body: Body, settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path
    release = _published(body)
    with pytest.raises(TransitionError):
        services.release_attach(
            release_id=release.pk, actor=body.officer, file=SimpleUploadedFile("a.pdf", PDF)
        )


# --- subscriptions ----------------------------------------------------------------------------------


def test_double_opt_in_then_one_email_per_subscriber(
    body: Body, other_body: Body, django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    settings.PRESSDESK_PUBLIC_URL = "http://pressdesk.test"
    with django_capture_on_commit_callbacks(execute=True):
        sub = services.subscription_request(email="Toa.Soan@Bao.vn", body=body.org)
    assert len(mail.outbox) == 1 and sub.token in mail.outbox[0].body
    assert sub.confirmed_at is None
    services.subscription_confirm(token=sub.token)
    # the same address also follows all bodies: still one e-mail per release
    with django_capture_on_commit_callbacks(execute=True):
        all_sub = services.subscription_request(email="toa.soan@bao.vn")
    services.subscription_confirm(token=all_sub.token)
    with django_capture_on_commit_callbacks(execute=True):
        pending = services.subscription_request(email="chua.xac.nhan@bao.vn")
    assert pending.confirmed_at is None
    reporter = press_user()
    services.subscription_for_user(actor=reporter, body=None)
    with django_capture_on_commit_callbacks(execute=True):
        services.subscription_request(email="khac@bao.vn", body=other_body.org)  # other body only
    mail.outbox.clear()

    release = _draft(body)
    services.release_submit(release_id=release.pk, actor=body.officer)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.release_approve(release_id=release.pk, actor=body.head)
    assert len(callbacks) == 1
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == sorted(["toa.soan@bao.vn", reporter.email.lower()])
    assert all(release.title in m.subject for m in mail.outbox)
    to_toa_soan = next(m for m in mail.outbox if m.to == ["toa.soan@bao.vn"])
    assert f"http://pressdesk.test/thong-tin/thong-cao/xem/{release.slug}/" in to_toa_soan.body
    assert f"/thong-tin/dang-ky/huy/{sub.token}/" in to_toa_soan.body  # the body's own subscription
    # running the notification again sends nothing more
    assert services.release_notify_subscribers(release_id=release.pk) == 0
    assert len(mail.outbox) == 2
    assert ReleaseDelivery.objects.filter(release=release).count() == 2


def test_no_email_before_commit(body: Body, django_capture_on_commit_callbacks: Any) -> None:
    services.subscription_for_user(actor=press_user(), body=body.org)
    release = _draft(body)
    services.release_submit(release_id=release.pk, actor=body.officer)
    with django_capture_on_commit_callbacks(execute=False):
        services.release_approve(release_id=release.pk, actor=body.head)
    assert mail.outbox == []


def test_unsubscribed_gets_nothing(body: Body, django_capture_on_commit_callbacks: Any) -> None:
    sub = services.subscription_for_user(actor=press_user(), body=body.org)
    services.subscription_unsubscribe(token=sub.token)
    release = _draft(body)
    services.release_submit(release_id=release.pk, actor=body.officer)
    with django_capture_on_commit_callbacks(execute=True):
        services.release_approve(release_id=release.pk, actor=body.head)
    assert mail.outbox == []


def test_bad_email_refused_and_nothing_stored() -> None:
    with pytest.raises(ValidationFailed):
        services.subscription_request(email="khong-phai-thu")
    assert Subscription.objects.count() == 0


def test_logged_in_subscription_needs_press_role(body: Body) -> None:
    with pytest.raises(PermissionDenied):
        services.subscription_for_user(actor=body.officer, body=body.org)
    assert Subscription.objects.count() == 0
    assert services.subscription_for_user(actor=press_user(Role.AGENCY_EDITOR)).confirmed_at is not None


def test_confirmation_is_not_resent_within_minutes(django_capture_on_commit_callbacks: Any) -> None:
    import datetime as dt

    with django_capture_on_commit_callbacks(execute=True):
        first = services.subscription_request(email="a@bao.vn")
        again = services.subscription_request(email="a@bao.vn")
    assert len(mail.outbox) == 1 and again.token == first.token
    Subscription.objects.filter(pk=first.pk).update(
        updated_at=first.updated_at - services.CONFIRMATION_RESEND_AFTER - dt.timedelta(seconds=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        later = services.subscription_request(email="a@bao.vn")
    assert len(mail.outbox) == 2 and later.token != first.token  # a fresh link; the old one is void
