"""Article pages with realistic furniture (menus, related links, comments) for tests and benchmarks."""

from __future__ import annotations

from html import escape


def article_page(
    *,
    title: str,
    lead: str,
    body: str,
    canonical: str | None = None,
    published: str = "2024-10-01T08:30:00+07:00",
    author: str = "Lê Minh",
    outlet: str = "Báo Thanh Hóa",
) -> str:
    paragraphs = "".join(f"<p>{escape(p)}</p>" for p in body.split("\n") if p.strip())
    canonical_link = f'<link rel="canonical" href="{escape(canonical)}">' if canonical else ""
    menu = "".join(
        f'<li><a href="/{slug}">{name}</a></li>'
        for slug, name in [
            ("thoi-su", "Thời sự"),
            ("kinh-te", "Kinh tế"),
            ("xa-hoi", "Xã hội"),
            ("van-hoa", "Văn hóa"),
            ("the-thao", "Thể thao"),
            ("phap-luat", "Pháp luật"),
            ("quoc-te", "Quốc tế"),
            ("video", "Video"),
        ]
    )
    related = "".join(
        f'<li><a href="/thoi-su/tin-lien-quan-so-{i}-{1000 + i}.html">Tin liên quan số {i}: hội nghị, '
        f"lễ hội và đời sống người dân</a></li>"
        for i in range(8)
    )
    comments = "".join(
        f'<div class="comment"><b>Bạn đọc {i}</b><p>Bài viết rất hay, cảm ơn phóng viên đã phản ánh kịp thời.</p></div>'
        for i in range(4)
    )
    return f"""<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>{escape(title)} - {outlet}</title>
<meta property="og:type" content="article"><meta property="og:title" content="{escape(title)}">
<meta property="og:description" content="{escape(lead)}"><meta name="author" content="{escape(author)}">
<meta property="article:published_time" content="{published}">{canonical_link}
</head><body><header><div class="logo"><a href="/">{outlet}</a></div><nav><ul>{menu}</ul></nav>
<form action="/tim-kiem"><input name="q"></form></header>
<main><div class="breadcrumb"><a href="/">Trang chủ</a> › <a href="/thoi-su">Thời sự</a></div>
<article><h1>{escape(title)}</h1><div class="meta">{published} · {escape(author)}</div>
<p class="sapo"><strong>{escape(lead)}</strong></p>{paragraphs}
<div class="tags">Từ khóa: <a href="/tag/thanh-hoa">Thanh Hóa</a></div></article>
<aside><h3>Tin liên quan</h3><ul>{related}</ul></aside>
<section class="comments"><h3>Bình luận</h3>{comments}</section></main>
<footer><p>© {outlet}. Giấy phép số 123/GP-BTTTT. Địa chỉ: 25A Đại lộ Lê Lợi, TP Thanh Hóa.</p></footer>
</body></html>"""


def rss(items: list[tuple[str, str]], *, title: str = "Báo Thanh Hóa") -> str:
    body = "".join(
        f"<item><title>{escape(t)}</title><link>{escape(u)}</link>"
        f"<pubDate>Tue, 01 Oct 2024 08:30:00 +0700</pubDate></item>"
        for u, t in items
    )
    return f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>{title}</title>{body}</channel></rss>'
