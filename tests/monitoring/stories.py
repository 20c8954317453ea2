"""Distinct article texts for ingestion tests (each long enough to be an article)."""

from __future__ import annotations

TOPICS = [
    (
        "Khởi công tuyến đường ven biển",
        "đường ven biển nối Sầm Sơn với Nghi Sơn, tổng vốn đầu tư lớn, hoàn thành sau ba năm thi công",
    ),
    (
        "Lễ hội Lam Kinh thu hút du khách",
        "lễ hội truyền thống tại khu di tích Lam Kinh, nhiều hoạt động văn hóa dân gian đặc sắc",
    ),
    (
        "Nông dân thu hoạch lúa đông xuân",
        "vụ lúa đông xuân đạt năng suất cao, giá bán ổn định, nông dân phấn khởi",
    ),
    (
        "Phòng chống cháy rừng mùa khô",
        "các huyện miền núi trực 24/24 giờ, tuyên truyền người dân không đốt nương rẫy",
    ),
    (
        "Tuyển sinh lớp 10 năm học mới",
        "Sở Giáo dục công bố phương án thi, số lượng chỉ tiêu và lịch thi cụ thể",
    ),
    (
        "Bệnh viện tỉnh ứng dụng kỹ thuật mới",
        "phẫu thuật nội soi, rút ngắn thời gian điều trị cho người bệnh",
    ),
]


def story(index: int, *, variant: str = "") -> tuple[str, str, str]:
    """(title, lead, body) for story `index`; `variant` makes a syndicated copy with small edits."""
    title, core = TOPICS[index % len(TOPICS)]
    n = index // len(TOPICS)
    title = f"{title} {n}" if n else title
    sentences = [
        f"{variant}Ngày {index + 1}/10, tại Thanh Hóa, {core}.",
        f"Theo lãnh đạo địa phương, {core}, đây là kết quả của sự chỉ đạo quyết liệt và sự đồng thuận của nhân dân.",
        f"Phóng viên ghi nhận tại hiện trường số {index}: không khí sôi nổi, người dân và chính quyền cùng chung tay.",
        f"Trong thời gian tới, tỉnh tiếp tục {core}, phấn đấu hoàn thành các chỉ tiêu đề ra cho năm {2020 + index}.",
    ]
    return title, f"Sa pô: {core}.", "\n".join(sentences)
