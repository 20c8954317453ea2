"""Build plan documents for tests: DOCX variants of text plans, small valid plans to break."""

from __future__ import annotations

import io

MINIMAL = """KẾ HOẠCH
Tuyên truyền năm 2030

Căn cứ Quyết định số 12/QĐ-UBND ngày 02/01/2030 của UBND tỉnh.

I. MỤC ĐÍCH, YÊU CẦU

- Thông tin kịp thời.

II. NỘI DUNG

1. Kinh tế

- Kết quả tăng trưởng.

III. TỔ CHỨC THỰC HIỆN

1. Ban Tuyên giáo Tỉnh ủy

- Định hướng nội dung./.
"""


def docx_bytes(text: str) -> bytes:
    """A DOCX with one paragraph per line of `text` (blank lines kept as empty paragraphs)."""
    import docx

    document = docx.Document()
    for line in text.split("\n"):
        document.add_paragraph(line)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()
