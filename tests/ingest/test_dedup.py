from __future__ import annotations

from pressdesk.ingest import dedup

STORY = (
    "Chiều 5/3, UBND tỉnh Thanh Hóa tổ chức hội nghị tổng kết công tác năm 2023 và triển khai nhiệm vụ năm 2024. "
    "Dự hội nghị có lãnh đạo các sở, ban, ngành và các huyện, thị xã, thành phố trong tỉnh. Tại hội nghị, các đại "
    "biểu đã thảo luận nhiều nội dung quan trọng về phát triển kinh tế, xã hội, bảo đảm quốc phòng, an ninh. Chủ "
    "tịch UBND tỉnh yêu cầu các đơn vị tập trung tháo gỡ khó khăn cho doanh nghiệp, đẩy nhanh giải ngân vốn đầu tư công."
)
SYNDICATED = (
    "(Báo Tin tức) Chiều ngày 5/3, UBND tỉnh Thanh Hóa đã tổ chức hội nghị tổng kết công tác năm 2023 và triển khai nhiệm vụ "
    "năm 2024. Dự hội nghị có lãnh đạo các sở, ban, ngành và các huyện, thị xã, thành phố trong tỉnh. Tại hội nghị, các "
    "đại biểu đã thảo luận nhiều nội dung quan trọng về phát triển kinh tế, xã hội, bảo đảm quốc phòng, an ninh. Chủ tịch "
    "UBND tỉnh yêu cầu các đơn vị tập trung tháo gỡ khó khăn cho doanh nghiệp, đẩy nhanh giải ngân vốn đầu tư công. (TTXVN)"
)
SAME_TITLE_OTHER_STORY = (
    "Chiều 5/3, UBND tỉnh Thanh Hóa tổ chức hội nghị về công tác phòng chống cháy rừng mùa khô. Theo báo cáo của "
    "Chi cục Kiểm lâm, từ đầu năm đến nay trên địa bàn xảy ra 3 vụ cháy với diện tích thiệt hại nhỏ. Các huyện miền "
    "núi được yêu cầu bố trí lực lượng trực 24/24 giờ, chuẩn bị phương tiện chữa cháy tại chỗ và tuyên truyền người "
    "dân không đốt nương rẫy trong những ngày nắng nóng kéo dài."
)


def test_small_edits_are_near_duplicates() -> None:
    a, b = dedup.signature(STORY), dedup.signature(SYNDICATED)
    assert dedup.jaccard(a, b) >= dedup.THRESHOLD
    assert set(dedup.band_hashes(a)) & set(dedup.band_hashes(b))


def test_different_story_with_similar_opening_is_not() -> None:
    a, c = dedup.signature(STORY), dedup.signature(SAME_TITLE_OTHER_STORY)
    assert dedup.jaccard(a, c) < dedup.THRESHOLD


def test_signatures_serialise_and_band_hashes_are_stable() -> None:
    a = dedup.signature(STORY)
    restored = dedup.from_bytes(dedup.to_bytes(a))
    assert dedup.jaccard(a, restored) == 1.0
    assert dedup.band_hashes(restored) == dedup.band_hashes(a)
    assert dedup.band_hashes(a) == dedup.band_hashes(dedup.signature(STORY))
    assert (
        all(-(2**63) <= h < 2**63 for h in dedup.band_hashes(a)) and len(dedup.band_hashes(a)) == dedup.BANDS
    )


def test_story_index_groups_near_duplicates_only() -> None:
    index = dedup.StoryIndex()
    index.add("first", dedup.signature(STORY))
    index.add("other", dedup.signature(SAME_TITLE_OTHER_STORY))
    found = index.similar(dedup.signature(SYNDICATED))
    assert [key for key, _score in found] == ["first"]


def test_shingles_ignore_diacritics_and_case() -> None:
    assert dedup.shingles("Thanh Hóa hôm nay") == dedup.shingles("thanh hoa HOM NAY")
