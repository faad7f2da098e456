"""Title, issuer, year and the three prose sections, from the text outside tables."""

from __future__ import annotations

import re
from dataclasses import dataclass

from extractors.layout import Grid, PageLayout
from extractors.text import group_lines, line_text, simplified
from schemas import ReportInfo, Sections

TITLE_WORDS = "政府信息公开工作年度报告"
_YEAR = re.compile(r"(20\d{2})\s*年")
_FOOTER = re.compile(r"^[\s\-—–·第页共/\d]*$")
_HEADING = re.compile(r"^\s*[一二三四五六七八九十]{1,2}\s*[、.．]")

# Section key -> words that identify its heading (TEMPLATE.md §1; titles vary).
SECTION_HEADINGS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("overview", ("总体情况",)),
    ("active_disclosure", ("主动公开政府信息",)),
    ("applications", ("收到和处理政府信息公开申请",)),
    ("reviews_and_litigation", ("行政复议", "行政诉讼")),
    ("problems_and_improvements", ("存在的主要问题", "改进情况")),
    ("other_matters", ("其他需要报告",)),
)


@dataclass
class Line:
    page: int
    top: float
    x0: float
    text: str


def text_lines(pages: list[PageLayout], grids_by_page: dict[int, list[Grid]]) -> list[Line]:
    """Lines of text outside every table, in reading order."""
    from extractors.grid import words_outside

    out: list[Line] = []
    for page in pages:
        words = words_outside(page.words, grids_by_page.get(page.number, []))
        for ln in group_lines(words):
            text = line_text(ln).strip()
            if text and not _FOOTER.match(text):
                out.append(Line(page.number, ln[0].top, min(w.x0 for w in ln), text))
    return out


def _compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


def read_report_info(lines: list[Line]) -> ReportInfo:
    """The title may wrap over lines, and the issuer may stand on a line of its own."""
    first_page = [ln for ln in lines if ln.page == lines[0].page][:12] if lines else []
    texts = [simplified(_compact(ln.text)) for ln in first_page]
    for i in range(len(texts)):
        if _HEADING.match(texts[i]):
            break
        for j in range(i, min(i + 4, len(texts))):
            title = "".join(texts[i : j + 1])
            head = _before_title_words(title)
            if head is None:
                continue
            years = list(_YEAR.finditer(head))
            if not years:
                continue
            m = years[-1]
            issuer = head[: m.start()] or None
            if not title.rstrip("。.").endswith(TITLE_WORDS):
                title = head + TITLE_WORDS  # the format's fixed words, one misread
            return ReportInfo(issuer=issuer, year=int(m.group(1)), title=title)
    return ReportInfo()


def _before_title_words(title: str) -> str | None:
    """What comes before the title's fixed words 政府信息公开工作年度报告, one of them
    misread at most (a black-and-white scan's 工 broken into 二, 10665-0005); None
    where the text does not end with them."""
    text = title.rstrip("。.")
    n = len(TITLE_WORDS)
    if len(text) < n:
        return None
    if sum(a != b for a, b in zip(text[-n:], TITLE_WORDS, strict=True)) > 1:
        return None
    return text[:-n]


def _heading_key(text: str) -> str | None:
    t = _compact(text)
    if not _HEADING.match(t) or len(t) > 40:
        return None
    for key, words in SECTION_HEADINGS:
        if any(w in t for w in words):
            return key
    return None


def read_sections(lines: list[Line]) -> Sections:
    """The prose sections, each the text between its heading and the next one."""
    found: list[tuple[str, int]] = []
    for i, ln in enumerate(lines):
        key = _heading_key(ln.text)
        if key and key not in {k for k, _ in found}:
            found.append((key, i))
    bodies: dict[str, str] = {}
    for n, (key, start) in enumerate(found):
        end = found[n + 1][1] if n + 1 < len(found) else _before_signature(lines)
        bodies[key] = _paragraphs(lines[start + 1 : end])
    return Sections(
        overview=bodies.get("overview"),
        problems_and_improvements=bodies.get("problems_and_improvements"),
        other_matters=bodies.get("other_matters"),
    )


_DATE = re.compile(r"^(20\d{2}|二〇[一二三四五六七八九〇]{2})\s*年.{1,3}月.{1,4}日$")


def _before_signature(lines: list[Line]) -> int:
    """End of the last section: the signature block (organ and date) is not prose."""
    end = len(lines)
    if end and _DATE.match(_compact(lines[end - 1].text)):
        end -= 1
        prev = _compact(lines[end - 1].text) if end else ""
        if end and len(prev) <= 30 and "。" not in prev:
            end -= 1
    return end


def _paragraphs(lines: list[Line]) -> str:
    """Join wrapped lines; a new paragraph starts at an indented or heading-like line."""
    if not lines:
        return ""
    left = min(ln.x0 for ln in lines)
    paras: list[str] = []
    for ln in lines:
        t = ln.text.strip()
        starts = (
            not paras
            or ln.x0 > left + 8
            or _HEADING.match(t)
            or re.match(r"^[（(][一二三四五六七八九十\d]+[)）]", t)
        )
        if starts:
            paras.append(t)
        else:
            paras[-1] += t
    return "\n".join(paras)
