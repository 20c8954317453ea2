"""Tone and false-information word lists."""

from __future__ import annotations

import pytest

from pressdesk.nlp import lexicon
from pressdesk.nlp.features import prepare


@pytest.mark.parametrize(
    ("title", "lead", "false_info"),
    [
        ("Xử phạt người đăng tin sai sự thật về dịch bệnh", "Công an tỉnh xử phạt 7,5 triệu đồng.", True),
        (
            "UBND tỉnh cải chính thông tin về dự án lấn biển",
            "Thông tin lan truyền là không đúng sự thật.",
            True,
        ),
        ("Triệu tập nam thanh niên tung tin thất thiệt trên Facebook", "", True),
        ("Sơn La bác tin đồn biệt phủ của Chủ nhiệm Ủy ban Kiểm tra", "Thông tin không đúng sự thật.", True),
        ("Thực hư clip nhảy từ nóc trụ sở công an", "Mạng xã hội đang lan truyền thông tin.", True),
        ("Bộ Ngoại giao Nga: thông tin là hoàn toàn bịa đặt", "", True),
        ("Trung Quốc xuyên tạc lịch sử Biển Đông", "", True),
        ("Thanh Hóa khánh thành nhà máy điện mặt trời", "Dự án có vốn 4.000 tỷ đồng.", False),
        ("Bị chồng cũ tung tin nhắn riêng tư, ca sĩ lên tiếng", "", False),
        ("Tổng thống Brazil bác bỏ quyết định khởi tố", "", False),
    ],
)
def test_false_info(title, lead, false_info):
    assert prepare(title, lead, "").lex.false_info is false_info


@pytest.mark.parametrize(
    ("text", "neg", "pos"),
    [
        ("công an bắt giữ đối tượng vận chuyển ma túy", 2, 0),
        ("hai cha con tử vong khi qua cầu phao", 1, 0),
        ("khánh thành nhà máy, tăng trưởng ấn tượng", 0, 3),
        ("kỷ niệm 70 năm chiến thắng điện biên phủ", 0, 2),
        ("thời tiết hôm nay: bắc bộ có mưa rào", 0, 0),
    ],
)
def test_tone_words(text, neg, pos):
    counts = lexicon.count(text, "")
    assert (counts.neg_head, counts.pos_head) == (neg, pos)


def test_words_match_whole_words_only():
    # "cháy" must not fire inside "chạy"/"cháyx"; "thua" not inside "thuận"
    counts = lexicon.count("thuận lợi cho người chạy bộ", "")
    assert counts.neg_head == 0
