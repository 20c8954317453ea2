"""Upload policy shared by every app: type decided by content (magic bytes), a size limit, private storage.

    kind = validate_upload(request.FILES["file"], allowed=("pdf", "docx"))
    name = store_private(request.FILES["file"], folder="commissioning/contracts")

`store_private` returns a storage name with a random part (never the uploader's file name) in the
default storage, i.e. MEDIA_ROOT unless PRESSDESK_MEDIA_STORAGE says otherwise. MEDIA_ROOT is not served
by any URL: files go out only through views that check permissions (e.g. with FileResponse).
"""

from __future__ import annotations

import re
import secrets
import zipfile
from collections.abc import Iterable
from typing import IO, Any

from django.conf import settings
from django.core.files.storage import default_storage
from django.utils import timezone

from pressdesk.core.errors import ValidationFailed

KIND_LABELS = {
    "pdf": "PDF",
    "png": "PNG",
    "jpeg": "JPEG",
    "gif": "GIF",
    "webp": "WebP",
    "docx": "Word (.docx)",
    "xlsx": "Excel (.xlsx)",
    "pptx": "PowerPoint (.pptx)",
}
EXTENSIONS = {
    "pdf": "pdf",
    "png": "png",
    "jpeg": "jpg",
    "gif": "gif",
    "webp": "webp",
    "docx": "docx",
    "xlsx": "xlsx",
    "pptx": "pptx",
}
_EXTENSION_KINDS = {
    "pdf": "pdf",
    "png": "png",
    "jpg": "jpeg",
    "jpeg": "jpeg",
    "gif": "gif",
    "webp": "webp",
    "docx": "docx",
    "xlsx": "xlsx",
    "pptx": "pptx",
}
_OOXML_MARKERS = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml", "pptx": "ppt/presentation.xml"}
_SAFE_FOLDER = re.compile(r"^[a-z0-9_-]+(/[a-z0-9_-]+)*$")


def _size(file: Any) -> int:
    size = getattr(file, "size", None)
    if isinstance(size, int):
        return size
    position = file.tell()
    file.seek(0, 2)
    end = int(file.tell())
    file.seek(position)
    return end


def sniff(file: IO[bytes] | Any) -> str | None:
    """The kind of `file` by its content, or None when it is none of the known kinds."""
    file.seek(0)
    head = file.read(16)
    file.seek(0)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(file) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError, ValueError):
            return None
        finally:
            file.seek(0)
        if "[Content_Types].xml" in names:
            for kind, marker in _OOXML_MARKERS.items():
                if marker in names:
                    return kind
    return None


def validate_upload(
    file: Any,
    *,
    allowed: Iterable[str] = ("pdf", "png", "jpeg", "docx", "xlsx"),
    max_bytes: int | None = None,
) -> str:
    """Check size and type by content; return the kind ("pdf", "png", "jpeg", "docx", "xlsx"...).

    Raises ValidationFailed (422) with a Vietnamese message naming the file and what is wrong.
    """
    allowed = tuple(allowed)
    limit = int(max_bytes if max_bytes is not None else settings.PRESSDESK_UPLOAD_MAX_BYTES)
    name = str(getattr(file, "name", "") or "tệp tải lên")
    size = _size(file)
    if size == 0:
        raise ValidationFailed("upload_empty", f"Tệp {name} rỗng.", file=name)
    if size > limit:
        raise ValidationFailed(
            "upload_too_large",
            f"Tệp {name} quá lớn: {size / 1024 / 1024:.1f} MB, tối đa {limit / 1024 / 1024:.1f} MB.",
            file=name,
            size=size,
            limit=limit,
        )
    kind = sniff(file)
    labels = ", ".join(KIND_LABELS.get(k, k) for k in allowed)
    if kind is None or kind not in allowed:
        raise ValidationFailed(
            "upload_type_not_allowed",
            f"Tệp {name} không thuộc loại được nhận (nội dung thực tế: {KIND_LABELS.get(kind or '', 'không xác định')}); "
            f"chỉ nhận: {labels}.",
            file=name,
            kind=kind or "unknown",
        )
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    claimed = _EXTENSION_KINDS.get(extension)
    if claimed is not None and claimed != kind:
        raise ValidationFailed(
            "upload_extension_mismatch",
            f"Tệp {name} có đuôi .{extension} nhưng nội dung là {KIND_LABELS[kind]}.",
            file=name,
            kind=kind,
        )
    return kind


def store_private(file: Any, *, folder: str, kind: str | None = None) -> str:
    """Save `file` under `folder/<year>/<random>.<ext>` in the default storage; return the storage name.

    The name never contains the uploader's file name, so it can be neither guessed nor used for path
    tricks. Validate first with validate_upload (pass its result as `kind`).
    """
    if not _SAFE_FOLDER.match(folder):
        raise ValidationFailed("upload_bad_folder", f"Thư mục lưu tệp không hợp lệ: {folder!r}.")
    kind = kind or sniff(file)
    extension = EXTENSIONS.get(kind or "", "bin")
    file.seek(0)
    name = f"{folder}/{timezone.now():%Y}/{secrets.token_urlsafe(24)}.{extension}"
    return str(default_storage.save(name, file))
