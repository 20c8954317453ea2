"""Read a plan document (plain text or DOCX) in the usual Vietnamese administrative layout.

Pure functions, no database. The layout, not one document, is what is recognised:

    [header: issuing bodies, "Số: …", "…, ngày … tháng … năm …"]
    KẾ HOẠCH
    <title, ending with "năm YYYY">
    <preamble, with the legal basis>
    I. <purposes and requirements>     "-" bullets
    II. <content>                        "1. Area" headings, "-" bullets = topics (events inside)
    III. <organisation>                  "1. Body" headings, "-" bullets = tasks
    [IV. … other sections]
    <closing paragraph "… ./.">
    <signature blocks: BODY IN CAPS / TITLE IN CAPS / (blank lines) / Name>
    Nơi nhận:
    - recipient; …

Sections are matched by their Roman numeral and position; the organisation section is the one whose
heading says "TỔ CHỨC THỰC HIỆN", else section III. Any malformed input raises PlanImportError naming
the line (paragraph for DOCX) and what was expected.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field

from pressdesk.core.errors import ValidationFailed


class PlanImportError(ValidationFailed):
    """The document is not a plan in the expected layout. `line` is 1-based (0: whole document)."""

    def __init__(self, message: str, *, line: int = 0, unit: str = "Dòng") -> None:
        self.line = line
        self.detail = message
        text = f"{unit} {line}: {message}" if line else message
        super().__init__("plan.import_error", text, line=line)


@dataclass
class ParsedTopic:
    order: int
    text: str
    line: int = 0


@dataclass
class ParsedArea:
    number: int
    title: str
    topics: list[ParsedTopic] = field(default_factory=list)
    line: int = 0


@dataclass
class ParsedEvent:
    title: str
    date: dt.date | None
    year: int
    since_year: int | None
    since_date: dt.date | None
    area_number: int
    topic_order: int


@dataclass
class ParsedResponsibility:
    order: int
    body: str
    tasks: list[str] = field(default_factory=list)


@dataclass
class ParsedSigner:
    name: str
    title: str
    body: str


@dataclass
class ParsedPlan:
    year: int
    title: str
    number: str
    issue_date: dt.date | None
    preamble: str
    legal_basis: list[str]
    purposes: list[str]
    areas: list[ParsedArea]
    events: list[ParsedEvent]
    responsibilities: list[ParsedResponsibility]
    signers: list[ParsedSigner]
    recipients: list[str]

    @property
    def topic_count(self) -> int:
        return sum(len(a.topics) for a in self.areas)


# --- reading the bytes ---------------------------------------------------------------------------------

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass
class _Line:
    no: int
    text: str


def read_lines(document: bytes | str, *, filename: str = "") -> tuple[list[_Line], str]:
    """The document as numbered lines, and the unit its numbers count ("Dòng" or "Đoạn")."""
    if isinstance(document, bytes):
        if document.startswith(_ZIP_MAGIC) or filename.lower().endswith(".docx"):
            return _docx_lines(document), "Đoạn"
        if document.startswith(_OLE_MAGIC):
            raise PlanImportError(
                "tệp Word 97-2003 (.doc) không được hỗ trợ; hãy lưu lại dưới dạng .docx hoặc văn bản .txt"
            )
        if b"\x00" in document[:65536] and not document.startswith((b"\xff\xfe", b"\xfe\xff")):
            raise PlanImportError(
                "tệp không phải văn bản (dữ liệu nhị phân)",
                line=document.count(b"\n", 0, document.index(b"\x00")) + 1,
            )
        text = _decode(document)
    else:
        text = document
    _reject_binary(text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    return [_Line(i, _clean(s)) for i, s in enumerate(text.split("\n"), start=1)], "Dòng"


def _decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise PlanImportError("tệp UTF-16 bị hỏng, không đọc được") from exc
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise PlanImportError(
            "tệp không ở mã UTF-8 (có byte không hợp lệ); hãy lưu lại văn bản với mã UTF-8",
            line=line,
        ) from exc


def _reject_binary(text: str) -> None:
    bad = 0
    for i, ch in enumerate(text):
        if ch == "\x00" or (unicodedata.category(ch) == "Cc" and ch not in "\t\n\r\f\v"):
            bad += 1
            if ch == "\x00" or bad > 8:
                line = text.count("\n", 0, i) + 1
                raise PlanImportError(
                    "tệp không phải văn bản (có ký tự điều khiển, dữ liệu nhị phân)", line=line
                )


def _clean(s: str) -> str:
    s = unicodedata.normalize("NFC", s)
    s = s.replace("\u00a0", " ").replace("\u200b", "").replace("\ufeff", "").replace("\t", " ")
    return s.strip()


def _docx_lines(data: bytes) -> list[_Line]:
    try:
        import docx
        from docx.oxml.ns import qn
    except ImportError as exc:  # pragma: no cover - python-docx is a dependency
        raise PlanImportError("không đọc được DOCX: thiếu thư viện python-docx") from exc
    try:
        document = docx.Document(io.BytesIO(data))
    # python-docx surfaces a damaged package as many unrelated exception types (zip, XML, key errors);
    # for an uploaded file every one of them means the same thing to the user.
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, Exception) as exc:  # noqa: BLE001
        raise PlanImportError("tệp DOCX bị hỏng hoặc không phải văn bản Word (.docx)") from exc

    texts: list[str] = []

    def paragraph_text(p: object) -> str:
        text: str = getattr(p, "text", "") or ""
        style = getattr(getattr(p, "style", None), "name", "") or ""
        # Bullets made by Word's list styles carry no "-" in their text.
        if (
            style.lower().startswith("list bullet")
            and text.strip()
            and not text.lstrip().startswith(("-", "–"))
        ):
            text = "- " + text.strip()
        return text

    from docx.table import Table
    from docx.text.paragraph import Paragraph

    for child in document.element.body.iterchildren():
        if child.tag == qn("w:p"):
            texts.append(paragraph_text(Paragraph(child, document)))
        elif child.tag == qn("w:tbl"):
            # Signature blocks and "Nơi nhận" often sit side by side in a table: read cell by cell.
            seen: set[int] = set()
            for row in Table(child, document).rows:
                for cell in row.cells:
                    if id(cell._tc) in seen:
                        continue
                    seen.add(id(cell._tc))
                    texts.append("")
                    texts.extend(paragraph_text(p) for p in cell.paragraphs)
                    texts.append("")
    lines: list[_Line] = []
    for no, text in enumerate(texts, start=1):
        # A paragraph is a unit of its own: a blank line after each keeps soft line breaks inside it
        # as adjacent lines while separating paragraphs.
        _reject_binary(text)
        for part in text.replace("\r", "\n").split("\n"):
            lines.append(_Line(no, _clean(part)))
        lines.append(_Line(no, ""))
    return lines


# --- tokens --------------------------------------------------------------------------------------------

_ROMAN_RE = re.compile(r"^(?P<num>[IVXL]{1,6})\s*[.)/:-]\s*(?P<title>\S.*)$")
_ARABIC_RE = re.compile(r"^(?P<num>\d{1,2})\s*[.)]\s*(?P<title>\D.*)$")
_SUBNUM_RE = re.compile(r"^\d{1,2}\.\d{1,2}\.?\s+(?P<text>\S.*)$")
_BULLET_RE = re.compile(r"^(?:[-–—•·▪●]|[a-zđ]\))\s*(?P<text>\S.*)$")
_SUBBULLET_RE = re.compile(r"^\+\s*(?P<text>\S.*)$")
# "... phê duyệt. - Chịu trách nhiệm ...": a new bullet after the end of a sentence.
_MIDLINE_BULLET_RE = re.compile(r"(?<=[.;!?…:])\s+[-–—]\s+(?=[^\W\d_])")
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50}


def _roman(num: str) -> int | None:
    total = 0
    prev = 0
    for ch in reversed(num):
        v = _ROMAN_VALUES[ch]
        total = total - v if v < prev else total + v
        prev = max(prev, v)
    # Only canonical numerals count as section numbers ("IIII" or "VX" are text).
    return total if total and _to_roman(total) == num else None


def _to_roman(n: int) -> str:
    out = ""
    for value, sym in ((50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out += sym
            n -= value
    return out


@dataclass
class _Token:
    kind: str  # roman | arabic | bullet | sub | text
    line: int
    text: str
    num: int = 0
    after_blank: bool = False


def _first_letter_lower(text: str) -> bool:
    for ch in text:
        if ch.isalpha():
            return ch.islower()
        if ch.isdigit():
            return False
    return False


def _is_caps(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def _classify(line: int, text: str, after_blank: bool) -> _Token:
    m = _ROMAN_RE.match(text)
    if m:
        value = _roman(m["num"])
        if value is not None and not _first_letter_lower(m["title"]):
            return _Token("roman", line, m["title"].strip(), value, after_blank)
    m = _SUBNUM_RE.match(text)
    if m:
        return _Token("bullet", line, m["text"].strip(), 0, after_blank)
    m = _ARABIC_RE.match(text)
    if m and not _first_letter_lower(m["title"]):
        return _Token("arabic", line, m["title"].strip(), int(m["num"]), after_blank)
    m = _BULLET_RE.match(text)
    if m:
        return _Token("bullet", line, m["text"].strip(), 0, after_blank)
    m = _SUBBULLET_RE.match(text)
    if m:
        return _Token("sub", line, m["text"].strip(), 0, after_blank)
    return _Token("text", line, text, 0, after_blank)


def _tokens(lines: list[_Line]) -> list[_Token]:
    """Lines → tokens, splitting mid-line bullets and joining continuation lines.

    A line without a marker continues the previous bullet or paragraph when it follows it directly
    (a wrapped line) or when it starts in lowercase after blank lines (a bullet cut by a page break).
    """
    out: list[_Token] = []
    blank = True
    prev_nonblank = False
    for ln in lines:
        if not ln.text:
            blank = True
            prev_nonblank = False
            continue
        pieces = _MIDLINE_BULLET_RE.split(ln.text)
        first = _classify(ln.no, pieces[0], blank)
        continuing = (
            first.kind == "text"
            and not _is_caps(first.text)  # signature lines (bodies, titles) stand alone
            and out
            and not (out[-1].kind == "text" and _is_caps(out[-1].text))
            and out[-1].kind in ("bullet", "sub", "text")
            and (prev_nonblank or _first_letter_lower(first.text))
        )
        if continuing:
            out[-1].text = f"{out[-1].text} {first.text}"
        elif (
            first.kind == "text"
            and out
            and out[-1].kind in ("roman", "arabic")
            and (prev_nonblank or _first_letter_lower(first.text))
            and _is_caps(first.text) == _is_caps(out[-1].text)
        ):
            # A heading wrapped onto a second line.
            out[-1].text = f"{out[-1].text} {first.text}"
        else:
            out.append(first)
        for piece in pieces[1:]:
            out.append(_Token("bullet", ln.no, piece.strip(), 0, False))
        blank = False
        prev_nonblank = True
    return out


# --- the document --------------------------------------------------------------------------------------

_TITLE_RE = re.compile(r"^K[ẾE]\s*HO[ẠA]CH\b\s*[:.]?\s*(?P<rest>.*)$")
_YEAR_RE = re.compile(r"năm\s+(\d{4})\b", re.IGNORECASE)
_NUMBER_RE = re.compile(r"^Số\s*:\s*(?P<num>[^\s,;]+)", re.IGNORECASE)
_ISSUE_DATE_RE = re.compile(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})", re.IGNORECASE)
_LEGAL_RE = re.compile(
    r"(?:Luật|Bộ luật|Nghị quyết|Nghị định|Quyết định|Chỉ thị|Kết luận|Thông tư|Thông báo|Quy định|Kế hoạch|"
    r"Hướng dẫn|Công văn|Văn bản|Chương trình|Đề án)\s+(?:số\s+)?\d+[\w/.\-]*\w"
    r"(?:\s+ngày\s+\d{1,2}/\d{1,2}/\d{4})?"
)
_CLOSING_RE = re.compile(r"(?:\./\.|\.\s*/\s*\.)\s*$")


def parse_plan(document: bytes | str, *, filename: str = "") -> ParsedPlan:
    lines, unit = read_lines(document, filename=filename)
    try:
        return _Parser(lines, unit).parse()
    except RecursionError as exc:  # pragma: no cover - defensive: pathological nesting
        raise PlanImportError("tài liệu quá phức tạp, không đọc được") from exc


class _Parser:
    def __init__(self, lines: list[_Line], unit: str) -> None:
        self.lines = lines
        self.unit = unit
        self.last_line = max((ln.no for ln in lines if ln.text), default=0)
        # Caps lines of the letterhead (issuing body and its parent), for a signer whose block
        # names only a title ("KT. TRƯỞNG BAN / PHÓ TRƯỞNG BAN").
        self.header_bodies: list[str] = []

    def error(self, message: str, line: int) -> PlanImportError:
        return PlanImportError(message, line=line, unit=self.unit)

    def parse(self) -> ParsedPlan:
        if not any(ln.text for ln in self.lines):
            raise PlanImportError(
                "tài liệu rỗng: cần một kế hoạch có tiêu đề “KẾ HOẠCH” và các mục I, II, III"
            )
        title_idx = next((i for i, ln in enumerate(self.lines) if _TITLE_RE.match(ln.text)), None)
        if title_idx is None:
            first = next(ln.no for ln in self.lines if ln.text)
            raise self.error("không tìm thấy tiêu đề “KẾ HOẠCH” ở đầu văn bản", first)
        number, issue_date = self._header(self.lines[:title_idx])
        title, title_line, body_start = self._title(title_idx)
        years = _YEAR_RE.findall(title)
        if not years:
            raise self.error(f"tên kế hoạch “{title}” không nêu năm (cần “… năm YYYY”)", title_line)
        year = int(years[-1])
        if not 1900 <= year <= 2200:
            raise self.error(f"năm của kế hoạch không hợp lệ: {year}", title_line)

        tokens = _tokens(self.lines[body_start:])
        preamble_tokens, sections = self._sections(tokens)
        preamble = "\n".join(t.text for t in preamble_tokens)
        purposes = self._purposes(sections[0])
        areas = self._areas(sections[1])
        events = _events(areas, year, self)
        org_section = next(
            (s for s in sections[2:] if "TỔ CHỨC THỰC HIỆN" in s[0].text.upper()),
            sections[2],
        )
        tail_start = self._tail_start(sections[-1])
        stop = tail_start if org_section is sections[-1] else None
        responsibilities = self._responsibilities(org_section, stop)
        tail = sections[-1][tail_start:] if tail_start is not None else []
        signers, recipients = self._tail(tail)
        if self.header_bodies:
            unnamed = next((s for s in signers if not s.body), None)
            if unnamed is not None:
                unnamed.body = self.header_bodies[-1]
        return ParsedPlan(
            year=year,
            title=title,
            number=number,
            issue_date=issue_date,
            preamble=preamble,
            legal_basis=_legal_basis(preamble),
            purposes=purposes,
            areas=areas,
            events=events,
            responsibilities=responsibilities,
            signers=signers,
            recipients=recipients,
        )

    # header and title

    def _header(self, lines: list[_Line]) -> tuple[str, dt.date | None]:
        number = ""
        issue_date = None
        for ln in lines:
            if _is_caps(ln.text) and not re.search(r"CỘNG HÒA|CỘNG HOÀ|ĐẢNG CỘNG SẢN|ĐỘC LẬP", ln.text):
                self.header_bodies.append(ln.text)
            m = _NUMBER_RE.match(ln.text)
            if m and not number:
                number = m["num"].rstrip(".")
            d = _ISSUE_DATE_RE.search(ln.text)
            if d and issue_date is None:
                issue_date = self._date(int(d[3]), int(d[2]), int(d[1]), ln.no)
        return number, issue_date

    def _title(self, idx: int) -> tuple[str, int, int]:
        """The title's text, its first line, and the index of the first line after it."""
        m = _TITLE_RE.match(self.lines[idx].text)
        assert m is not None
        parts = [m["rest"].strip()] if m["rest"].strip() else []
        line_no = self.lines[idx].no
        i = idx + 1
        if not parts:
            while i < len(self.lines) and not self.lines[i].text:
                i += 1
            if i < len(self.lines):
                line_no = self.lines[i].no
        groups = 0
        while i < len(self.lines):
            while i < len(self.lines) and self.lines[i].text:
                text = self.lines[i].text
                if _ROMAN_RE.match(text) and _roman(text.split(".")[0].strip()) == 1:
                    break
                if re.fullmatch(r"[-–—_*=. ]+", text) is None:
                    parts.append(text)
                i += 1
            groups += 1
            # A title set as several paragraphs (DOCX): keep reading short lines until the year appears.
            j = i
            while j < len(self.lines) and not self.lines[j].text:
                j += 1
            if groups >= 3 or j >= len(self.lines) or _YEAR_RE.search(" ".join(parts)) or not parts:
                break
            nxt = self.lines[j].text
            if (
                len(nxt) > 160
                or _classify(0, nxt, True).kind != "text"
                or nxt.startswith(("Căn cứ", "Thực hiện"))
            ):
                break
            i = j
        title = " ".join(parts).strip()
        if not title:
            raise self.error(
                "sau “KẾ HOẠCH” cần tên kế hoạch (ví dụ “Thông tin, tuyên truyền … năm 2025”)", line_no
            )
        return title, line_no, i

    # sections

    def _sections(self, tokens: list[_Token]) -> tuple[list[_Token], list[list[_Token]]]:
        preamble: list[_Token] = []
        sections: list[list[_Token]] = []
        for tok in tokens:
            if tok.kind == "roman":
                expected = len(sections) + 1
                if tok.num != expected:
                    raise self.error(
                        f"cần mục {_to_roman(expected)} ({_SECTION_NAMES.get(expected, 'mục tiếp theo')}), "
                        f"gặp mục {_to_roman(tok.num)}",
                        tok.line,
                    )
                sections.append([tok])
            elif sections:
                sections[-1].append(tok)
            else:
                preamble.append(tok)
        if len(sections) < 3:
            missing = len(sections) + 1
            raise self.error(
                f"thiếu mục {_to_roman(missing)} ({_SECTION_NAMES[missing]}); "
                "kế hoạch cần các mục I. MỤC ĐÍCH, YÊU CẦU; II. NỘI DUNG; III. TỔ CHỨC THỰC HIỆN",
                self.last_line,
            )
        return preamble, sections

    def _purposes(self, section: list[_Token]) -> list[str]:
        out: list[str] = []
        for tok in section[1:]:
            if tok.kind in ("bullet", "text"):
                out.append(_tidy(tok.text))
            elif tok.kind == "sub" and out:
                out[-1] = f"{out[-1]} {_tidy(tok.text)}"
        if not out:
            raise self.error(
                "mục I (mục đích, yêu cầu) không có nội dung (cần các dòng “- …”)", section[0].line
            )
        return out

    def _areas(self, section: list[_Token]) -> list[ParsedArea]:
        areas: list[ParsedArea] = []
        for tok in section[1:]:
            if tok.kind == "arabic":
                expected = len(areas) + 1
                if tok.num != expected:
                    raise self.error(f"cần lĩnh vực số {expected}, gặp số {tok.num}", tok.line)
                areas.append(ParsedArea(number=tok.num, title=_heading(tok.text), line=tok.line))
            elif not areas:
                continue  # an introductory paragraph before the first area
            elif tok.kind in ("bullet", "text"):
                area = areas[-1]
                area.topics.append(
                    ParsedTopic(order=len(area.topics) + 1, text=_tidy(tok.text), line=tok.line)
                )
            elif tok.kind == "sub":
                area = areas[-1]
                if not area.topics:
                    raise self.error("dòng “+ …” cần đứng sau một nội dung “- …”", tok.line)
                area.topics[-1].text = f"{area.topics[-1].text} {_tidy(tok.text)}"
        if not areas:
            raise self.error(
                "mục II (nội dung) không có lĩnh vực nào được đánh số (cần “1. Lĩnh vực …”)", section[0].line
            )
        for area in areas:
            if not area.topics:
                raise self.error(
                    f"lĩnh vực {area.number} “{area.title}” không có nội dung nào (cần các dòng “- …”)",
                    area.line,
                )
        return areas

    def _tail_start(self, section: list[_Token]) -> int | None:
        """Index in the last section where the closing, signatures or recipients begin."""
        for i, tok in enumerate(section[1:], start=1):
            if tok.kind == "text" and (
                _CLOSING_RE.search(tok.text) or tok.text.startswith("Trên đây") or _is_caps(tok.text)
            ):
                return i
            if tok.kind == "bullet" and _CLOSING_RE.search(tok.text):
                return i + 1
            if tok.text.lower().startswith("nơi nhận"):
                return i
        return None

    def _responsibilities(self, section: list[_Token], stop: int | None) -> list[ParsedResponsibility]:
        out: list[ParsedResponsibility] = []
        for tok in section[1:stop]:
            if tok.kind == "arabic":
                expected = len(out) + 1
                if tok.num != expected:
                    raise self.error(f"cần cơ quan, đơn vị số {expected}, gặp số {tok.num}", tok.line)
                body, _, inline = tok.text.partition(":")
                resp = ParsedResponsibility(order=tok.num, body=_heading(body))
                if inline.strip():
                    task = _tidy(inline)
                    resp.tasks.append(task[0].upper() + task[1:])
                out.append(resp)
            elif not out:
                continue
            elif tok.kind in ("bullet", "text"):
                out[-1].tasks.append(_tidy(tok.text))
            elif tok.kind == "sub" and out[-1].tasks:
                out[-1].tasks[-1] = f"{out[-1].tasks[-1]} {_tidy(tok.text)}"
        if not out:
            raise self.error(
                "mục tổ chức thực hiện không có cơ quan, đơn vị nào được đánh số (cần “1. Tên cơ quan”)",
                section[0].line,
            )
        return out

    # signatures and recipients

    def _tail(self, tail: list[_Token]) -> tuple[list[ParsedSigner], list[str]]:
        signers: list[ParsedSigner] = []
        recipients: list[str] = []
        pending: list[_Token] = []
        in_recipients = False
        for tok in tail:
            raw = tok.text if tok.kind == "text" else _raw(tok)
            low = raw.lower()
            if low.startswith("nơi nhận"):
                in_recipients = True
                rest = raw.split(":", 1)[1].strip() if ":" in raw else ""
                rest = rest.lstrip("-–• ").strip()
                if rest:
                    recipients.append(_recipient(rest))
                continue
            if in_recipients:
                if tok.kind in ("bullet", "sub"):
                    recipients.append(_recipient(tok.text))
                    continue
                in_recipients = False
            if tok.kind != "text" and not _is_caps(raw):
                continue
            if re.fullmatch(r"\(.*\)", raw) or re.fullmatch(r"[-–—_*=. ]+", raw):
                continue  # "(Đã ký)", "(Ký, ghi rõ họ tên)", rules
            if _is_caps(raw):
                pending.append(tok)
                continue
            if pending:
                signers.append(self._signer(pending, raw, tok.line))
                pending = []
        if pending:
            last = pending[-1]
            raise self.error(f"sau chức danh “{last.text}” cần họ tên người ký", last.line)
        return signers, recipients

    def _signer(self, pending: list[_Token], name: str, line: int) -> ParsedSigner:
        authority = re.compile(r"^(?:KT|TM|TL|TUQ|Q)\s*\.\s*(?P<rest>.+)$")
        body = ""
        plain: list[str] = []
        for tok in pending:
            m = authority.match(tok.text)
            if m:
                if tok.text.startswith("TM"):
                    body = m["rest"].strip()
                continue
            plain.append(tok.text)
        if not plain:
            raise self.error(f"trước họ tên “{name}” cần chức danh người ký (chữ in hoa)", line)
        title = plain[-1]
        if not body and len(plain) > 1:
            body = " ".join(plain[:-1])
        if not re.fullmatch(r"[^\W\d_][\w .'-]*", name) or len(name) > 80:
            raise self.error(f"cần họ tên người ký, gặp “{name[:60]}”", line)
        return ParsedSigner(name=name, title=title, body=body)

    def _date(self, year: int, month: int, day: int, line: int) -> dt.date:
        try:
            return dt.date(year, month, day)
        except ValueError as exc:
            raise self.error(f"ngày không hợp lệ: {day:02d}/{month:02d}/{year}", line) from exc


_SECTION_NAMES = {1: "MỤC ĐÍCH, YÊU CẦU", 2: "NỘI DUNG", 3: "TỔ CHỨC THỰC HIỆN"}


def _raw(tok: _Token) -> str:
    return {"bullet": "- ", "sub": "+ "}.get(tok.kind, "") + tok.text


def _tidy(text: str) -> str:
    # Italic markers of a text export ("*Kỷ niệm …*") are layout, not content.
    text = re.sub(r"(?<!\w)\*+|\*+(?!\w)", "", text)
    return re.sub(r"\s+", " ", text).strip()


def _heading(text: str) -> str:
    return _tidy(text).rstrip(":.").strip()


def _recipient(text: str) -> str:
    return _tidy(text).rstrip(";.,").strip()


def _legal_basis(preamble: str) -> list[str]:
    seen: list[str] = []
    for m in _LEGAL_RE.finditer(preamble):
        ref = m.group(0).rstrip(".,;")
        if ref not in seen:
            seen.append(ref)
    return seen


# --- key events ----------------------------------------------------------------------------------------

_DATE = r"(\d{1,2})\s*/\s*(\d{1,2})\s*/\s*(\d{4})"
_SIDE = rf"(?:{_DATE}|(\d{{4}}))"
_RANGE_RE = re.compile(rf"\(\s*(?:ngày\s+)?{_SIDE}\s*[-–—]\s*(?:ngày\s+)?{_SIDE}\s*\)", re.IGNORECASE)
_SINGLE_RE = re.compile(rf"\(\s*(?:ngày\s+)?{_DATE}\s*\)", re.IGNORECASE)
_SPAN_RE = re.compile(r"(?<![\w/])(\d{1,4})\s+năm\b", re.IGNORECASE)
_START_RE = re.compile(r"(?:(?:Lễ\s+)?kỷ\s+niệm\s+)?(?<![\w/])\d{1,4}\s+năm\b", re.IGNORECASE)
_SPLIT_AND_RE = re.compile(r"\s*(?:,|\bvà\b)\s+(?=(?:(?:Lễ\s+)?kỷ\s+niệm\s+)?\d{1,4}\s+năm\b)", re.IGNORECASE)


def _events(areas: list[ParsedArea], plan_year: int, parser: _Parser) -> list[ParsedEvent]:
    """Anniversaries named inside topics: "Kỷ niệm N năm … (dd/mm/yyyy - dd/mm/yyyy)" or "(yyyy - yyyy)".

    A clause is an event when it says "N năm" and either "kỷ niệm" or a dated range; "sau 04 năm thực
    hiện" is not. Enumerations are split on ";" and before "và N năm" / ", N năm".
    """
    out: list[ParsedEvent] = []
    for area in areas:
        for topic in area.topics:
            for clause in _clauses(topic.text):
                event = _event(clause, plan_year, area.number, topic.order, topic.line, parser)
                if event is not None:
                    out.append(event)
    return out


def _clauses(text: str) -> list[str]:
    out: list[str] = []
    for part in text.split(";"):
        out.extend(p for p in _SPLIT_AND_RE.split(part) if p.strip())
    return out


def _event(
    clause: str, plan_year: int, area: int, topic: int, line: int, parser: _Parser
) -> ParsedEvent | None:
    start = _START_RE.search(clause)
    if start is None:
        return None
    text = clause[start.start() :]
    rng = _RANGE_RE.search(text)
    single = _SINGLE_RE.search(text) if rng is None else None
    if rng is None and single is None and "kỷ niệm" not in text.lower():
        return None
    span = _SPAN_RE.search(text)
    assert span is not None
    n_years = int(span[1])
    date = since_date = None
    since_year: int | None = None
    if rng is not None:
        g = rng.groups()
        if g[3]:
            since_year = int(g[3])
        else:
            since_date = parser._date(int(g[2]), int(g[1]), int(g[0]), line)
            since_year = since_date.year
        if g[7]:
            year = int(g[7])
        else:
            date = parser._date(int(g[6]), int(g[5]), int(g[4]), line)
            year = date.year
        if since_year > year:
            raise parser.error(f"khoảng năm ngược chiều trong “{rng.group(0)}”", line)
        text = text[: rng.start()] + text[rng.end() :]
    elif single is not None:
        date = parser._date(int(single[3]), int(single[2]), int(single[1]), line)
        year = date.year
        since_year = year - n_years
        text = text[: single.start()] + text[single.end() :]
    else:
        year = plan_year
        since_year = plan_year - n_years
    title = _tidy(text)
    title = re.sub(r"(?:\s*[,.…]+)+$", "", title).strip()
    title = re.sub(r"\s+([,.])", r"\1", title)
    if not re.match(r"(?:lễ\s+)?kỷ\s+niệm", title, re.IGNORECASE):
        title = f"Kỷ niệm {title}"
    title = title[0].upper() + title[1:]
    return ParsedEvent(
        title=title,
        date=date,
        year=year,
        since_year=since_year,
        since_date=since_date,
        area_number=area,
        topic_order=topic,
    )
