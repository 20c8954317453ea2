"""Reminders (once per line per day, on dashboards and by e-mail) and attachments (type, size, access)."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from pressdesk.commissioning import selectors, services
from pressdesk.commissioning.inbox import items as inbox_items
from pressdesk.commissioning.models import Attachment, ReminderSent
from pressdesk.core.errors import ValidationFailed
from tests.commissioning.factories import D, deliver_all, running_contract
from tests.factories import PASSWORD

# Lines run 2024-04-01 .. 2024-06-30 (see factories.item_input).


@pytest.fixture(autouse=True)
def media(settings, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRESSDESK_REMINDER_DAYS = 7
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    return settings.MEDIA_ROOT


def _reminder_mails() -> list:
    return [m for m in mail.outbox if "Đôn đốc" in m.subject]


def test_due_soon_and_overdue_lines_are_found(world) -> None:
    c = running_contract(world)
    assert selectors.reminders_due(today=D(2024, 6, 1)) == []
    due = selectors.reminders_due(today=D(2024, 6, 25))
    assert {r.kind for r in due} == {"due_soon"} and len(due) == c.items.count()
    late = selectors.reminders_due(today=D(2024, 7, 2))
    assert {r.kind for r in late} == {"overdue"}
    assert late[0].days_left == -2


def test_fully_delivered_lines_need_no_reminder(world) -> None:
    c = running_contract(world)
    deliver_all(world, c)
    assert selectors.reminders_due(today=D(2024, 7, 2)) == []


def test_reminder_is_emailed_once_per_line_per_day(world, django_capture_on_commit_callbacks) -> None:
    c = running_contract(world)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.reminders_send(today=D(2024, 6, 25)) == c.items.count()
    sent = _reminder_mails()
    assert len(sent) == c.items.count()
    assert set(sent[0].to) == {world.users["editor_a"].email, world.users["officer"].email}
    assert c.number in sent[0].subject
    with django_capture_on_commit_callbacks(execute=True):
        assert services.reminders_send(today=D(2024, 6, 25)) == 0
    assert len(_reminder_mails()) == c.items.count()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.reminders_send(today=D(2024, 6, 26)) == c.items.count()
    assert len(_reminder_mails()) == 2 * c.items.count()
    assert ReminderSent.objects.count() == 2 * c.items.count()


def test_reminders_command(world, capsys) -> None:
    running_contract(world)
    call_command("reminders", "--date", "2024-07-02", "--dry-run")
    out = capsys.readouterr().out
    assert "overdue" in out and "không gửi thư" in out
    assert ReminderSent.objects.count() == 0
    call_command("reminders", "--date", "2024-07-02")
    assert ReminderSent.objects.count() == 2


def test_reminders_on_dashboards_of_officer_and_agency_only(world, monkeypatch) -> None:
    running_contract(world)
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: dt.date(2024, 7, 2))
    labels = {
        u: [i.label for i in inbox_items(world.users[u])]
        for u in ("officer", "editor_a", "editor_b", "viewer")
    }
    assert any("quá hạn" in label for label in labels["officer"])
    assert any("quá hạn" in label for label in labels["editor_a"])
    assert not any("quá hạn" in label for label in labels["editor_b"])
    client = Client()
    client.login(username="editor_a", password=PASSWORD)
    assert "Quá hạn" in client.get(reverse("commissioning:index")).content.decode()


# --- attachments ------------------------------------------------------------------------------------

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def _docx() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<w:document/>")
    return buf.getvalue()


def _zip_without_types() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("a.txt", "x")
    return buf.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "mime"),
    [
        ("qd.pdf", PDF, "application/pdf"),
        ("scan.png", PNG, "image/png"),
        ("scan.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 20, "image/jpeg"),
        ("hd.docx", _docx(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ],
)
def test_allowed_types_are_recognised_by_content(world, name, content, mime) -> None:
    c = running_contract(world)
    att = services.attachment_add(
        actor=world.users["officer"], subject=c, upload=SimpleUploadedFile(name, content)
    )
    assert att.mime_type == mime and att.size == len(content)
    assert att.file.name.startswith("commissioning/") and name not in att.file.name


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("virus.pdf", b"MZ\x90\x00 not a pdf"),
        ("page.pdf", b"<html><script>alert(1)</script></html>"),
        ("fake.docx", _zip_without_types()),
    ],
)
def test_wrong_content_is_refused_whatever_the_name(world, name, content) -> None:
    c = running_contract(world)
    with pytest.raises(ValidationFailed, match="không thuộc loại được nhận"):
        services.attachment_add(
            actor=world.users["officer"], subject=c, upload=SimpleUploadedFile(name, content)
        )
    assert Attachment.objects.count() == 0


def test_size_limit(world, settings) -> None:
    settings.PRESSDESK_UPLOAD_MAX_BYTES = 100
    c = running_contract(world)
    with pytest.raises(ValidationFailed, match="quá lớn"):
        services.attachment_add(
            actor=world.users["officer"], subject=c, upload=SimpleUploadedFile("a.pdf", PDF + b"x" * 200)
        )
    assert Attachment.objects.count() == 0


def test_only_writers_attach(world) -> None:
    c = running_contract(world)
    for username in ("editor_b", "viewer", "officer2", "appraiser"):
        with pytest.raises(PermissionDenied):
            services.attachment_add(
                actor=world.users[username], subject=c, upload=SimpleUploadedFile("a.pdf", PDF)
            )
    assert Attachment.objects.count() == 0


def test_download_is_permission_checked(world, media) -> None:
    c = running_contract(world)
    att = services.attachment_add(
        actor=world.users["editor_a"], subject=c, upload=SimpleUploadedFile("hd.pdf", PDF)
    )
    url = reverse("commissioning:attachment", args=[att.pk])
    client = Client()
    assert client.get(url).status_code == 302
    client.login(username="editor_b", password=PASSWORD)
    assert client.get(url).status_code == 404
    client.login(username="viewer", password=PASSWORD)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert Path(att.file.path).is_relative_to(media)


def test_upload_through_the_page(world) -> None:
    c = running_contract(world)
    client = Client()
    client.login(username="officer", password=PASSWORD)
    url = reverse("commissioning:attachment_upload", args=["contract", c.pk])
    response = client.post(url, {"kind": "contract", "file": SimpleUploadedFile("hd.pdf", PDF)})
    assert response.status_code == 302
    assert Attachment.objects.get().original_name == "hd.pdf"
    client.login(username="editor_b", password=PASSWORD)
    assert client.post(url, {"kind": "contract", "file": SimpleUploadedFile("x.pdf", PDF)}).status_code == 404
    client.login(username="viewer", password=PASSWORD)
    assert client.post(url, {"kind": "contract", "file": SimpleUploadedFile("x.pdf", PDF)}).status_code == 403
    assert Attachment.objects.count() == 1
