"""Title, issuer, year and the three prose sections, from the text outside tables."""

from __future__ import annotations

import re
from dataclasses import dataclass

from extractors.layout import Grid, PageLayout
from extractors.text import group_lines, line_text
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
    first_page = [ln for ln in lines if ln.page == lines[0].page] if lines else []
    for i, ln in enumerate(first_page[:15]):
        t = _compact(ln.text)
        if TITLE_WORDS not in t:
            continue
        title = t
        head = t[: t.index(TITLE_WORDS)]
        m = _YEAR.search(head)
        year = int(m.group(1)) if m else None
        issuer = head[: m.start()] if m else head
        if not issuer and i > 0:
            issuer = _compact(first_page[i - 1].text)
            title = issuer + title
        return ReportInfo(issuer=issuer or None, year=year, title=title)
    return ReportInfo()


def _heading_key(text: str) -> str | None:
    t = _compact(text)
    if not _HEADING.match(t) or len(t) > 40:
        return None
    for key, words in SECTION_HEADINGS:
        if any(w in t for w in words):
            return key
    return None


def read_sections(lines: list[Line]) -> tuple[Sections, list[str]]:
    """The prose sections, and the section keys whose headings were found, in order."""
    found: list[tuple[str, int]] = []
    for i, ln in enumerate(lines):
        key = _heading_key(ln.text)
        if key and key not in {k for k, _ in found}:
            found.append((key, i))
    bodies: dict[str, str] = {}
    for n, (key, start) in enumerate(found):
        end = found[n + 1][1] if n + 1 < len(found) else len(lines)
        bodies[key] = _paragraphs(lines[start + 1 : end])
    return (
        Sections(
            overview=bodies.get("overview"),
            problems_and_improvements=bodies.get("problems_and_improvements"),
            other_matters=bodies.get("other_matters"),
        ),
        [k for k, _ in found],
    )


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
