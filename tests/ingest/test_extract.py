from __future__ import annotations

import pytest

from pressdesk.ingest.errors import FetchError
from pressdesk.ingest.extract import extract_article
from pressdesk.ingest.feeds import FeedEntry
from tests.ingest.pages import article_page

BODY = "\n".join(
    [
        "Sáng 1/10, tại thành phố Thanh Hóa, Ủy ban nhân dân tỉnh tổ chức hội nghị triển khai kế hoạch tuyên truyền.",
        "Phát biểu tại hội nghị, đồng chí Phó Chủ tịch UBND tỉnh nhấn mạnh vai trò của báo chí trong việc đưa chủ trương đến người dân.",
        "Các sở, ngành, địa phương được giao nhiệm vụ phối hợp chặt chẽ với các cơ quan báo chí trung ương và địa phương.",
        "Hội nghị cũng đã nghe báo cáo kết quả thực hiện nhiệm vụ năm trước và thảo luận giải pháp cho thời gian tới.",
    ]
)


def test_article_fields_from_the_page() -> None:
    html = article_page(
        title="Thanh Hóa triển khai kế hoạch tuyên truyền năm 2024",
        lead="Sa pô của bài viết về kế hoạch.",
        body=BODY,
        canonical="https://baothanhhoa.vn/thoi-su/ke-hoach-1001.html",
    )
    item = extract_article(html, "https://baothanhhoa.vn/amp/thoi-su/ke-hoach-1001.html?utm_source=zalo")
    assert item.title == "Thanh Hóa triển khai kế hoạch tuyên truyền năm 2024"
    assert item.lead == "Sa pô của bài viết về kế hoạch."
    assert item.text.startswith("Sáng 1/10") and "Phó Chủ tịch" in item.text
    assert "Bình luận" not in item.text and "Tin liên quan" not in item.text and "Giấy phép" not in item.text
    assert item.author == "Lê Minh"
    assert item.published_at is not None and item.published_at.isoformat() == "2024-10-01T08:30:00+07:00"
    assert item.canonical_url == "https://baothanhhoa.vn/thoi-su/ke-hoach-1001.html"
    assert len(item.content_hash) == 64


def test_feed_entry_fills_missing_metadata() -> None:
    html = (
        "<html><head></head><body><article>"
        + "".join(f"<p>{p}</p>" for p in BODY.split("\n"))
        + "</article></body></html>"
    )
    from datetime import UTC, datetime

    entry = FeedEntry(
        url="https://a.vn/x-1001.html",
        title="Tiêu đề từ RSS",
        summary="<p>Tóm tắt RSS</p>",
        author="PV",
        published=datetime(2024, 10, 2, tzinfo=UTC),
    )
    item = extract_article(html, entry.url, entry)
    assert item.title == "Tiêu đề từ RSS" and item.lead == "Tóm tắt RSS"
    assert item.published_at == datetime(2024, 10, 2, tzinfo=UTC) and item.author == "PV"


@pytest.mark.parametrize(
    ("html", "reason"),
    [
        (
            "<html><head><title>Trang chủ</title><meta property='og:type' content='website'></head>"
            "<body><nav><a href='/a'>A</a></nav><p>Chào mừng bạn đọc.</p></body></html>",
            "not_an_article",
        ),
        (
            "<html><head><title>Tin ngắn</title></head><body><article><h1>Tin ngắn</h1><p>Chỉ một dòng.</p></article></body></html>",
            "no_text",
        ),
        ("", "not_an_article"),
    ],
)
def test_not_an_article_and_no_text(html: str, reason: str) -> None:
    with pytest.raises(FetchError) as info:
        extract_article(html, "https://a.vn/x")
    assert info.value.reason in (reason, "no_text", "not_an_article") and info.value.reason == reason
