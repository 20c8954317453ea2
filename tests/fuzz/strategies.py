"""Hypothesis strategies for hostile web input: URLs, Vietnamese text, feed and sitemap documents."""

from __future__ import annotations

from urllib.parse import quote

from hypothesis import strategies as st

from pressdesk.ingest.urls import TRACKING_PARAMS, TRACKING_PREFIXES

# --- URLs -------------------------------------------------------------------------------------------
_LABEL = st.text("abcdefghijklmnopqrstuvwxyz0123456789-", min_size=1, max_size=12)
_HOST = st.one_of(
    st.lists(_LABEL, min_size=1, max_size=4).map(".".join),
    st.sampled_from(
        [
            "BaoThanhHoa.VN",
            "amp.baothanhhoa.vn",
            "amp.amp.nhandan.vn",
            "www.vnexpress.net",
            "m.tuoitre.vn",
            "thanhhóa.vn",
            "xn--thanhha-5ya.vn",
            "127.0.0.1",
            "[::1]",
            "[fe80::1]",
            "[::1",
            "[zz]",
            "ab\u2100c",
            "...",
            "a..b",
            "ß.vn",
            "",
        ]
    ),
)
_SEGMENT = st.one_of(
    st.text(min_size=0, max_size=10),
    st.sampled_from(
        ["amp", "AMP", "bai-1.amp.html", "x.html.amp", "x.amp.amp", "%25", "%2525", "%C3", "%2F", "tức", ".."]
    ),
)
_PARAM_NAME = st.one_of(
    st.sampled_from(sorted(TRACKING_PARAMS)),
    st.sampled_from(TRACKING_PREFIXES).map(lambda p: p + "source"),
    st.text("abcdefghijklmnopqrstuvwxyz_%", min_size=1, max_size=6),
)
_QUERY = st.lists(st.tuples(_PARAM_NAME, st.text(max_size=6)), max_size=5).map(
    lambda items: "&".join(f"{quote(k, safe='%')}={quote(v)}" for k, v in items)
)


@st.composite
def url_texts(draw: st.DrawFn) -> str:
    """Absolute-looking URLs, well-formed or not, with tracking parameters, AMP variants and odd escapes."""
    scheme = draw(st.sampled_from(["http", "https", "HTTPS", "HtTp", "ftp", "javascript", ""]))
    host = draw(_HOST)
    port = draw(st.sampled_from(["", ":80", ":443", ":8080", ":0", ":99999", ":x"]))
    path = "/" + "/".join(draw(st.lists(_SEGMENT, max_size=5)))
    query = draw(_QUERY)
    fragment = draw(st.sampled_from(["", "#", "#binh-luan"]))
    url = f"{scheme}://{host}{port}{path}" + (f"?{query}" if query else "") + fragment
    padding = draw(st.sampled_from(["", " ", "\n\t"]))
    return padding + url + padding


ANY_URL = st.one_of(url_texts(), st.text(max_size=60))

# --- Vietnamese text -------------------------------------------------------------------------------
_TEXT = (
    "Thanh Hóa đẩy mạnh tuyên truyền kỷ niệm năm Cách mạng tháng Tám Quốc khánh người dân huyện Quảng "
    "Xương phấn khởi đón nhận chủ trương sáp nhập xã thị trấn Ủy ban nhân tỉnh chỉ đạo khắc phục hậu quả "
    "bão số bảo đảm an toàn cho vùng ven biển Đoàn công tác thăm hỏi tặng quà gia đình chính sách ở Ngọc "
    "Lặc mưa lũ gây sạt lở đường hòa hoà thủy thuỷ quý khuya nghiêng giường thuở ươm Ông Bà Ưu Ơn"
)
_WORDS = _TEXT.split()
VIETNAMESE = st.lists(st.sampled_from(_WORDS), min_size=1, max_size=30).map(" ".join)
# Long enough, and with enough words with diacritics, for detection to have something to recognise.
VIETNAMESE_SENTENCE = (
    st.lists(st.sampled_from(_WORDS), min_size=12, max_size=40)
    .filter(lambda words: sum(not word.isascii() for word in words) >= 8)
    .map(" ".join)
)
