"""The upload policy: type by content, size limits, private random storage names."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from pressdesk.core.errors import ValidationFailed
from pressdesk.core.uploads import store_private, validate_upload

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32


def _ooxml(marker: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(marker, "<x/>")
    return buffer.getvalue()


DOCX = _ooxml("word/document.xml")
XLSX = _ooxml("xl/workbook.xml")


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("cong-van.pdf", PDF, "pdf"),
        ("anh.png", PNG, "png"),
        ("anh.JPG", JPEG, "jpeg"),
        ("hop-dong.docx", DOCX, "docx"),
        ("bang-gia.xlsx", XLSX, "xlsx"),
        ("khong-duoi", PDF, "pdf"),
    ],
)
def test_known_kinds_are_recognised_by_content(name, content, kind):
    assert validate_upload(SimpleUploadedFile(name, content)) == kind


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("trang.html", b"<html><script>alert(1)</script></html>", "upload_type_not_allowed"),
        ("gia-pdf.pdf", b"MZ\x90\x00 this is an exe", "upload_type_not_allowed"),
        ("nen.zip", _ooxml("other/thing.xml"), "upload_type_not_allowed"),
        ("hong.docx", b"PK\x03\x04 not really a zip", "upload_type_not_allowed"),
        ("doi-ten.pdf", PNG, "upload_extension_mismatch"),
        ("rong.pdf", b"", "upload_empty"),
    ],
)
def test_bad_files_are_refused_with_a_vietnamese_message(name, content, code):
    with pytest.raises(ValidationFailed) as error:
        validate_upload(SimpleUploadedFile(name, content))
    assert error.value.code == code
    assert error.value.status_code == 422
    assert name in error.value.message


def test_the_allowed_list_is_honoured():
    with pytest.raises(ValidationFailed, match="chỉ nhận: PDF") as error:
        validate_upload(SimpleUploadedFile("anh.png", PNG), allowed=("pdf",))
    assert "PNG" in error.value.message


def test_size_is_limited(settings):
    settings.PRESSDESK_UPLOAD_MAX_BYTES = 1000
    validate_upload(SimpleUploadedFile("a.pdf", PDF + b" " * 900))
    with pytest.raises(ValidationFailed, match="quá lớn") as error:
        validate_upload(SimpleUploadedFile("a.pdf", PDF + b" " * 1000))
    assert error.value.code == "upload_too_large"
    with pytest.raises(ValidationFailed, match="quá lớn"):
        validate_upload(io.BytesIO(PDF * 10), max_bytes=100)


def test_files_are_stored_privately_under_a_random_name(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("../../etc/passwd.pdf", PDF)
    kind = validate_upload(upload)
    first = store_private(upload, folder="commissioning/contracts", kind=kind)
    second = store_private(SimpleUploadedFile("same.pdf", PDF), folder="commissioning/contracts")
    assert first != second
    assert first.startswith("commissioning/contracts/") and first.endswith(".pdf")
    assert "passwd" not in first and ".." not in first
    assert len(first.rsplit("/", 1)[1]) >= 30  # 24 random bytes, url-safe: not guessable
    assert (tmp_path / first).read_bytes() == PDF


@pytest.mark.parametrize("folder", ["../outside", "/abs", "Upper", "a//b", "a/../b", ""])
def test_store_private_refuses_odd_folders(folder, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    with pytest.raises(ValidationFailed, match="Thư mục lưu tệp không hợp lệ"):
        store_private(SimpleUploadedFile("a.pdf", PDF), folder=folder)


@pytest.mark.django_db
def test_stored_files_are_not_served_by_any_public_url(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    name = store_private(SimpleUploadedFile("a.pdf", PDF), folder="infohub/answers")
    client = Client()
    for prefix in ("/media/", "/static/", "/"):
        assert client.get(prefix + name).status_code in (302, 404), prefix
