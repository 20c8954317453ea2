"""Pages, feeds and API: the persona matrix with "nothing changed" checks, public sees only published."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import feedparser
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from pressdesk.accounts.models import Role
from pressdesk.infohub import services
from pressdesk.infohub.models import PressInquiry, PressRelease, SpokespersonAppointment
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.infohub.factories import Body, press_user

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n%%EOF\n"


def _client(user: Any = None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _release(body: Body, status: str = "draft", title: str = "Thông cáo") -> PressRelease:
    release = services.release_create(
        actor=body.officer, body=body.org, title=title, body_text="Nội dung chi tiết"
    )
    if status in ("submitted", "published", "withdrawn"):
        services.release_submit(release_id=release.pk, actor=body.officer)
    if status in ("published", "withdrawn"):
        services.release_approve(release_id=release.pk, actor=body.head)
    if status == "withdrawn":
        services.release_withdraw(release_id=release.pk, actor=body.head, reason="Sai")
    release.refresh_from_db()
    return release


def _viewer() -> Any:
    user = UserFactory()
    MembershipFactory(user=user, organisation=OrganisationFactory(), role=Role.VIEWER)
    return user


def test_officer_drafts_and_head_approves_through_pages(body: Body) -> None:
    officer = _client(body.officer)
    response = officer.post(
        reverse("infohub:release_new"), {"title": "Lễ hội biển", "body_text": "Khai mạc", "summary": ""}
    )
    release = PressRelease.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "infohub:release_detail", args=[release.pk]
    )
    assert officer.post(reverse("infohub:release_action", args=[release.pk, "submit"])).status_code == 302
    head = _client(body.head)
    page = head.get(reverse("infohub:release_detail", args=[release.pk]))
    assert b"approve-release" in page.content
    assert head.post(reverse("infohub:release_action", args=[release.pk, "approve"])).status_code == 302
    release.refresh_from_db()
    assert release.status == "published"
    public = _client().get(reverse("infohub:public_list"))
    assert "Lễ hội biển" in public.content.decode()


@pytest.mark.parametrize("persona", ["other_officer", "other_head", "viewer", "anonymous"])
def test_persona_cannot_change_release(body: Body, other_body: Body, persona: str) -> None:
    release = _release(body, "submitted")
    user = {
        "other_officer": other_body.officer,
        "other_head": other_body.head,
        "viewer": _viewer(),
        "anonymous": None,
    }[persona]
    client = _client(user)
    before = PressRelease.objects.values().get(pk=release.pk)
    for action in ("approve", "submit", "withdraw", "return"):
        response = client.post(reverse("infohub:release_action", args=[release.pk, action]), {"note": "x"})
        if user is None:
            assert response.status_code == 302 and "/dang-nhap/" in response["Location"]
        else:
            assert response.status_code == 404
    response = client.post(
        reverse("infohub:release_edit", args=[release.pk]), {"title": "Bị sửa", "body_text": "x"}
    )
    assert response.status_code in (302, 404) if user is None else response.status_code == 404
    assert PressRelease.objects.values().get(pk=release.pk) == before
    assert client.get(reverse("infohub:release_detail", args=[release.pk])).status_code in (
        (302,) if user is None else (404, 403)
    )


def test_own_officer_cannot_approve_through_page(body: Body) -> None:
    release = _release(body, "submitted")
    response = _client(body.officer).post(reverse("infohub:release_action", args=[release.pk, "approve"]))
    assert response.status_code == 403
    release.refresh_from_db()
    assert release.status == "submitted"


def test_viewer_and_anonymous_cannot_draft(body: Body) -> None:
    assert (
        _client(_viewer()).post(reverse("infohub:release_new"), {"title": "T", "body_text": "B"}).status_code
        == 403
    )
    assert _client().post(reverse("infohub:release_new"), {"title": "T", "body_text": "B"}).status_code == 302
    assert PressRelease.objects.count() == 0


def test_public_pages_show_only_published(body: Body) -> None:
    for status in ("draft", "submitted", "published", "withdrawn"):
        _release(body, status, title=f"Tiêu đề {status}")
    client = _client()
    for url in (reverse("infohub:public_list"), reverse("infohub:public_body", args=[body.org.pk])):
        html = client.get(url).content.decode()
        assert "Tiêu đề published" in html
        for hidden in ("draft", "submitted", "withdrawn"):
            assert f"Tiêu đề {hidden}" not in html
    for release in PressRelease.objects.all():
        response = client.get(reverse("infohub:public_detail", args=[release.slug]))
        assert response.status_code == (200 if release.status == "published" else 404)


def test_attachment_public_only_once_published(
    body: Body, other_body: Body, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    release = _release(body, "draft")
    att = services.release_attach(
        release_id=release.pk, actor=body.officer, file=SimpleUploadedFile("a.pdf", PDF)
    )
    url = reverse("infohub:attachment", args=[att.pk])
    assert _client().get(url).status_code == 404
    assert _client(other_body.officer).get(url).status_code == 404
    own = _client(body.officer).get(url)
    assert own.status_code == 200 and b"".join(own.streaming_content) == PDF
    services.release_submit(release_id=release.pk, actor=body.officer)
    services.release_approve(release_id=release.pk, actor=body.head)
    public = _client().get(url)
    assert public.status_code == 200 and b"".join(public.streaming_content) == PDF
    assert "attachment" in public["Content-Disposition"]


def test_attachment_upload_through_page_refuses_fake_pdf(body: Body, settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path
    release = _release(body)
    response = _client(body.officer).post(
        reverse("infohub:release_action", args=[release.pk, "attach"]),
        {"file": SimpleUploadedFile("gia.pdf", b"<html>not a pdf</html>")},
    )
    assert response.status_code == 422
    assert "không thuộc loại được nhận" in response.content.decode()
    assert release.attachments.count() == 0


def test_atom_feeds_parse_and_are_valid_atom(body: Body, other_body: Body) -> None:
    mine = _release(body, "published", title="Thông cáo của tôi")
    _release(body, "draft", title="Bản nháp")
    theirs = _release(other_body, "published", title="Thông cáo cơ quan khác")
    client = _client()
    response = client.get(reverse("infohub:feed_all"))
    assert response.status_code == 200 and response["Content-Type"].startswith("application/atom+xml")
    parsed = feedparser.parse(response.content)
    assert parsed.bozo == 0 and parsed.version == "atom10"
    assert parsed.feed.title and parsed.feed.id and parsed.feed.updated
    assert sorted(e.title for e in parsed.entries) == sorted([mine.title, theirs.title])
    for entry in parsed.entries:
        assert entry.id.startswith("tag:") and entry.updated and entry.link.startswith("http")
        assert entry.author in (body.org.name, other_body.org.name)
    per_body = feedparser.parse(client.get(reverse("infohub:feed_body", args=[body.org.pk])).content)
    assert [e.title for e in per_body.entries] == [mine.title]
    assert body.org.name in per_body.feed.title
    # RFC 4287 structure: <feed> in the Atom namespace with id/title/updated; each entry with
    # id/title/updated/link and an author (no feed-level author is given)
    from lxml import etree

    atom = "{http://www.w3.org/2005/Atom}"
    root = etree.fromstring(response.content)
    assert root.tag == f"{atom}feed"
    for child in ("id", "title", "updated"):
        assert len(root.findall(f"{atom}{child}")) == 1, child
    entries = root.findall(f"{atom}entry")
    assert len(entries) == 2
    for entry in entries:
        for child in ("id", "title", "updated", "link", "author"):
            assert entry.find(f"{atom}{child}") is not None, child
        assert entry.find(f"{atom}author/{atom}name").text


def test_subscription_pages(body: Body, django_capture_on_commit_callbacks: Any) -> None:
    from django.core import mail

    client = _client()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("infohub:subscribe"), {"email": "pv@bao.vn", "body": body.org.pk})
    assert response.status_code == 302 and len(mail.outbox) == 1
    from pressdesk.infohub.models import Subscription

    sub = Subscription.objects.get()
    assert client.get(reverse("infohub:subscription_confirm", args=["sai"])).status_code == 404
    client.get(reverse("infohub:subscription_confirm", args=[sub.token]))
    sub.refresh_from_db()
    assert sub.confirmed_at is not None
    # GET does not unsubscribe (mail scanners); POST does
    client.get(reverse("infohub:subscription_unsubscribe", args=[sub.token]))
    sub.refresh_from_db()
    assert sub.unsubscribed_at is None
    client.post(reverse("infohub:subscription_unsubscribe", args=[sub.token]))
    sub.refresh_from_db()
    assert sub.unsubscribed_at is not None


def test_spokesperson_directory_and_admin_warning(body: Body, other_body: Body) -> None:
    services.spokesperson_appoint(
        actor=body.head,
        body=body.org,
        person_name="Nguyễn Phương Thảo",
        position="Chánh VP",
        kind=SpokespersonAppointment.Kind.SPOKESPERSON,
        valid_from=dt.date(2020, 1, 1),
    )
    services.spokesperson_appoint(
        actor=other_body.head,
        body=other_body.org,
        person_name="Người cũ",
        position="PGĐ",
        kind=SpokespersonAppointment.Kind.SPOKESPERSON,
        valid_from=dt.date(2020, 1, 1),
        valid_to=dt.date(2021, 1, 1),
    )
    html = _client().get(reverse("infohub:spokespersons")).content.decode()
    assert "Nguyễn Phương Thảo" in html and "Người cũ" not in html
    monitor = UserFactory()
    MembershipFactory(user=monitor, organisation=OrganisationFactory(), role=Role.MONITOR)
    page = _client(monitor).get(reverse("infohub:spokesperson_admin")).content.decode()
    warning = page.split('id="uncovered"')[1].split("</ul>")[0]
    assert other_body.org.name in warning and body.org.name not in warning
    # the other body's dashboard warns it
    dash = _client(other_body.officer).get(reverse("infohub:index")).content.decode()
    assert "Chưa có người phát ngôn còn hiệu lực" in dash
    assert _client(_viewer()).get(reverse("infohub:spokesperson_admin")).status_code == 403
    # an officer of another body cannot register for this body through the page
    before = SpokespersonAppointment.objects.count()
    response = _client(other_body.officer).post(
        reverse("infohub:spokesperson_admin"),
        {
            "body": body.org.pk,
            "person_name": "X",
            "position": "Y",
            "kind": "head",
            "valid_from": "2024-01-01",
        },
    )
    assert response.status_code == 422
    assert SpokespersonAppointment.objects.count() == before


def test_inquiry_pages_flow_and_other_body_blocked(body: Body, other_body: Body) -> None:
    reporter = press_user()
    client = _client(reporter)
    response = client.post(
        reverse("infohub:inquiry_new"), {"body": body.org.pk, "subject": "Hỏi", "question": "Nội dung"}
    )
    inquiry = PressInquiry.objects.get()
    assert response.status_code == 302
    outsider = _client(other_body.head)
    assert outsider.get(reverse("infohub:inquiry_detail", args=[inquiry.pk])).status_code == 404
    assert (
        outsider.post(
            reverse("infohub:inquiry_action", args=[inquiry.pk, "answer"]), {"text": "x"}
        ).status_code
        == 404
    )
    head = _client(body.head)
    assert (
        head.post(
            reverse("infohub:inquiry_action", args=[inquiry.pk, "assign"]), {"assignee": body.officer.pk}
        ).status_code
        == 302
    )
    empty = _client(body.officer).post(
        reverse("infohub:inquiry_action", args=[inquiry.pk, "decline"]), {"text": ""}
    )
    assert empty.status_code == 422
    assert (
        _client(body.officer)
        .post(reverse("infohub:inquiry_action", args=[inquiry.pk, "answer"]), {"text": "Đáp"})
        .status_code
        == 302
    )
    inquiry.refresh_from_db()
    assert (inquiry.status, inquiry.answer) == ("answered", "Đáp")
    assert client.post(reverse("infohub:inquiry_action", args=[inquiry.pk, "close"])).status_code == 302
    inquiry.refresh_from_db()
    assert inquiry.status == "closed"
    assert (
        _client(body.officer)
        .post(reverse("infohub:inquiry_new"), {"body": body.org.pk, "subject": "x", "question": "y"})
        .status_code
        == 403
    )


@pytest.mark.parametrize(
    "name",
    [
        "infohub:index",
        "infohub:events",
        "infohub:reporters",
        "infohub:websites",
        "infohub:spokesperson_admin",
    ],
)
def test_staff_pages_need_login(name: str) -> None:
    response = _client().get(reverse(name))
    assert response.status_code == 302 and "/dang-nhap/" in response["Location"]


def test_staff_pages_render_for_body_officer(body: Body) -> None:
    client = _client(body.officer)
    for name in (
        "infohub:index",
        "infohub:events",
        "infohub:reporters",
        "infohub:websites",
        "infohub:spokesperson_admin",
    ):
        assert client.get(reverse(name)).status_code == 200, name
    assert client.get(reverse("infohub:collaborators")).status_code == 403


# --- API --------------------------------------------------------------------------------------------


def test_api_published_list_is_public_and_hides_drafts(body: Body) -> None:
    _release(body, "published", title="Công bố")
    _release(body, "draft", title="Nháp")
    response = _client().get("/api/infohub/releases/published/")
    assert response.status_code == 200
    assert [r["title"] for r in response.json()] == ["Công bố"]


def test_api_workflow_and_denials(body: Body, other_body: Body) -> None:
    officer = _client(body.officer)
    created = officer.post(
        "/api/infohub/releases/",
        json.dumps({"body_id": body.org.pk, "title": "API", "body_text": "B"}),
        content_type="application/json",
    )
    assert created.status_code == 201
    pk = created.json()["id"]
    denied = _client(other_body.officer).post(
        "/api/infohub/releases/",
        json.dumps({"body_id": body.org.pk, "title": "X", "body_text": "B"}),
        content_type="application/json",
    )
    assert denied.status_code == 403
    assert _client(other_body.head).post(f"/api/infohub/releases/{pk}/submit/").status_code == 404
    assert officer.post(f"/api/infohub/releases/{pk}/submit/").json()["status"] == "submitted"
    assert officer.post(f"/api/infohub/releases/{pk}/approve/").status_code == 403
    again = officer.post(f"/api/infohub/releases/{pk}/submit/")
    assert again.status_code == 409
    approved = _client(body.head).post(f"/api/infohub/releases/{pk}/approve/")
    assert approved.status_code == 200 and approved.json()["status"] == "published"
    assert _client().post("/api/infohub/releases/", "{}", content_type="application/json").status_code == 401
    assert PressRelease.objects.count() == 1


def test_api_inquiry_create_and_answer(body: Body) -> None:
    reporter = _client(press_user())
    created = reporter.post(
        "/api/infohub/inquiries/",
        json.dumps({"body_id": body.org.pk, "subject": "S", "question": "Q"}),
        content_type="application/json",
    )
    assert created.status_code == 201
    pk = created.json()["id"]
    assert (
        reporter.post(
            f"/api/infohub/inquiries/{pk}/answer/",
            json.dumps({"answer": "x"}),
            content_type="application/json",
        ).status_code
        == 403
    )
    answered = _client(body.spokesperson).post(
        f"/api/infohub/inquiries/{pk}/answer/",
        json.dumps({"answer": "Trả lời"}),
        content_type="application/json",
    )
    assert answered.status_code == 200 and answered.json()["status"] == "answered"
    empty = _client(body.officer).post(
        "/api/infohub/inquiries/",
        json.dumps({"body_id": body.org.pk, "subject": "S", "question": "Q"}),
        content_type="application/json",
    )
    assert empty.status_code == 403


def test_logged_in_press_user_subscribes_without_typing_an_address(body: Body) -> None:
    from pressdesk.infohub.models import Subscription

    reporter = press_user()
    response = _client(reporter).post(reverse("infohub:subscribe"), {"email": "", "body": body.org.pk})
    assert response.status_code == 302
    sub = Subscription.objects.get()
    assert (sub.email, sub.body, sub.user) == (reporter.email.lower(), body.org, reporter)
    assert sub.confirmed_at is not None
    # an anonymous visitor must give an address
    _client().post(reverse("infohub:subscribe"), {"email": "", "body": body.org.pk})
    assert Subscription.objects.count() == 1


def test_subscription_form_is_rate_limited_per_client_address(body: Body) -> None:
    from django.core.cache import cache

    from pressdesk.infohub.models import Subscription
    from pressdesk.infohub.views import SUBSCRIBE_LIMIT

    cache.clear()
    client = _client()
    for n in range(SUBSCRIBE_LIMIT):
        client.post(reverse("infohub:subscribe"), {"email": f"pv{n}@bao.vn", "body": body.org.pk})
    assert Subscription.objects.count() == SUBSCRIBE_LIMIT
    response = client.post(
        reverse("infohub:subscribe"), {"email": "thua@bao.vn", "body": body.org.pk}, follow=True
    )
    assert "Quá nhiều yêu cầu" in response.content.decode()
    assert Subscription.objects.count() == SUBSCRIBE_LIMIT  # refused: nothing stored, nothing sent
    other = Client(REMOTE_ADDR="10.0.0.9")
    other.post(reverse("infohub:subscribe"), {"email": "khac@bao.vn", "body": body.org.pk})
    assert Subscription.objects.count() == SUBSCRIBE_LIMIT + 1
    cache.clear()
