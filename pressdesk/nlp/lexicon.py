"""Word lists for tone and false information, matched with one Aho-Corasick automaton.

The counts feed the trained classifiers (see `train`) and decide on their own where the model has
little to learn from (false information: a handful of labelled positives).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import ahocorasick

NEGATIVE = [
    "bắt giữ", "bắt quả tang", "bắt tạm giam", "tạm giữ", "khởi tố", "truy tố", "xét xử", "lĩnh án",
    "tử vong", "thiệt mạng", "tai nạn", "bị thương", "cháy", "hỏa hoạn", "ma túy", "heroin", "lừa đảo",
    "chiếm đoạt", "vi phạm", "sai phạm", "kỷ luật", "tham ô", "tham nhũng", "trộm", "cướp", "giết",
    "sát hại", "đâm chết", "chém", "hiếp dâm", "dâm ô", "xâm hại", "bạo hành", "đánh đập", "thiệt hại",
    "ô nhiễm", "bức xúc", "hư hỏng", "sự cố", "xử phạt", "đình chỉ", "cách chức", "khai trừ", "sạt lở",
    "lũ quét", "đuối nước", "tự tử", "mất tích", "nhập lậu", "buôn lậu", "hàng lậu", "gian lận",
    "tiêu cực", "thua", "chấn thương", "khủng bố", "xung đột", "phẫn nộ", "thất vọng", "yếu kém",
    "bê bối", "truy nã", "bỏ trốn", "côn đồ", "hung hãn", "náo loạn", "đe dọa", "thi thể", "xác",
    "bốc cháy", "hôi thối", "không rõ nguồn gốc", "trái phép", "lạm phát cấp phó", "khống",
    "chống đối", "thương tâm", "đau lòng", "nghi án", "tố cáo", "trục lợi", "bất cập", "hổ vồ",
    "đánh bạc", "cờ bạc", "phá rừng", "trái pháp luật", "quấy rối", "tranh chấp", "mâu thuẫn",
    "thất thoát", "lãng phí", "xuống cấp", "nợ đọng", "điêu đứng", "khó khăn",
]  # fmt: skip
POSITIVE = [
    "khánh thành", "khai trương", "khởi công", "thành công", "hiệu quả", "vinh danh", "tôn vinh",
    "khen thưởng", "giải thưởng", "chiến thắng", "vô địch", "huy chương", "thu hút", "cứu sống",
    "giúp đỡ", "kỷ niệm", "được mùa", "xuất sắc", "đột phá", "tăng trưởng", "phát triển", "nâng cao",
    "tích cực", "hiệu quả cao", "điểm 10", "thủ khoa", "đỗ tốt nghiệp", "hòa lưới", "đón nhận",
    "tri ân", "hỗ trợ", "tặng quà", "khen", "gương sáng", "người tốt", "việc tốt", "trả lại tài sản",
    "hồi sinh", "ấn tượng", "tuyệt đẹp", "mùa lúa đẹp", "kỷ lục", "vượt khó", "ủng hộ", "lan tỏa",
]  # fmt: skip
FALSE_STRONG = [
    "tin giả", "tin thất thiệt", "thông tin thất thiệt", "sai sự thật", "không đúng sự thật",
    "xuyên tạc", "bịa đặt", "tung tin đồn", "tung tin sai", "tin đồn thất thiệt", "cải chính", "đính chính",
    "bác bỏ thông tin", "bác thông tin", "bác tin đồn", "phủ nhận thông tin", "xử phạt đăng tin",
    "đăng tin sai", "thông tin sai lệch", "thông tin sai", "tin sai", "giả mạo văn bản",
    "văn bản giả mạo", "bịa tin", "tin bịa", "hãng tin giả", "thông tin giả", "câu like",
    "thông tin không chính xác",
]  # fmt: skip
# A check of what circulates ("thực hư", "sự thật") next to the circulation itself ("lan truyền"):
# either alone is ordinary news (viral clips, celebrity rumours).
FALSE_CHECK = ["thực hư", "sự thật", "thực chất"]
FALSE_SPREAD = ["tin đồn", "lan truyền", "mạng xã hội", "clip"]

# Words of stories that no area of a plan covers (crime, accidents): the area classifier's "none".
NO_AREA = [
    "bắt giữ", "bắt quả tang", "tạm giữ", "khởi tố", "ma túy", "tai nạn", "tử vong", "cháy", "trộm",
    "cướp", "giết", "sát hại", "đâm chết", "chém", "hiếp dâm", "dâm ô", "lừa đảo", "buôn lậu",
    "nhập lậu", "đuối nước", "thi thể", "đánh bạc", "trái phép", "csgt", "truy tìm", "tự tử",
    "mất tích", "phạt tù", "xét xử", "bị thương", "truy sát",
]  # fmt: skip

CATEGORIES = {
    "neg": NEGATIVE,
    "pos": POSITIVE,
    "false": FALSE_STRONG,
    "false_check": FALSE_CHECK,
    "false_spread": FALSE_SPREAD,
}


@dataclass(frozen=True)
class LexiconCounts:
    neg_head: int
    pos_head: int
    neg_body: int
    pos_body: int
    false_head: int
    false_body: int
    false_check_head: int
    false_spread: int

    @property
    def false_weak_head(self) -> int:
        return self.false_check_head + min(self.false_spread, 1)

    def as_features(self) -> list[float]:
        return [
            float(self.neg_head),
            float(self.pos_head),
            min(10.0, float(self.neg_body)) / 2,
            min(10.0, float(self.pos_body)) / 2,
            float(self.false_head),
            min(5.0, float(self.false_body)),
            float(self.false_weak_head),
        ]

    @property
    def false_info(self) -> bool:
        """The article is about false information or its correction (see the module docstring)."""
        return (
            self.false_head > 0
            or (self.false_check_head > 0 and self.false_spread > 0)
            or (self.false_body >= 2 and self.false_check_head > 0)
        )


@lru_cache(maxsize=1)
def _automaton() -> ahocorasick.Automaton:
    auto = ahocorasick.Automaton()
    merged: dict[str, set[str]] = {}
    for category, words in CATEGORIES.items():
        for word in words:
            merged.setdefault(word.lower(), set()).add(category)
    for word, cats in merged.items():
        auto.add_word(word, (len(word), tuple(sorted(cats))))
    auto.make_automaton()
    return auto


def _count(text: str) -> dict[str, int]:
    counts = {category: 0 for category in CATEGORIES}
    for end, (length, cats) in _automaton().iter(text):
        start = end - length + 1
        if start > 0 and text[start - 1].isalnum():
            continue
        if end + 1 < len(text) and text[end + 1].isalnum():
            continue
        for cat in cats:
            counts[cat] += 1
    return counts


def count(head: str, body: str) -> LexiconCounts:
    """`head` = title + lead, `body` = start of the body; both lower-cased, normalised."""
    h = _count(head)
    b = _count(body)
    return LexiconCounts(
        h["neg"],
        h["pos"],
        b["neg"],
        b["pos"],
        h["false"],
        b["false"],
        h["false_check"],
        h["false_spread"] + b["false_spread"],
    )


def matched_terms(
    text: str, categories: Iterable[str] = ("false", "false_check", "false_spread")
) -> list[str]:
    wanted = set(categories)
    found = []
    for end, (length, cats) in _automaton().iter(text):
        if wanted & set(cats):
            found.append(text[end - length + 1 : end + 1])
    return found
