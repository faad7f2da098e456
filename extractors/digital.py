"""Born-digital PDF pages: characters and ruling lines from pdfplumber, no OCR."""

from __future__ import annotations

import re
from typing import Any

from extractors.layout import PageLayout, Ruling, Word

_GARBAGE = re.compile(r"\(cid:\d+\)")
MIN_TEXT_CHARS = 20


def has_text_layer(pdf_page: Any) -> bool:
    """A usable text layer: real characters, not unmapped glyph ids, and not a
    page-sized scan with a few stray characters (a stamp, a page number) on it."""
    chars = pdf_page.chars
    text = "".join(c["text"] for c in chars[:2000])
    bad = len(_GARBAGE.findall(text)) + text.count("\ufffd")
    if not chars or bad >= 0.05 * len(chars):
        return False
    if len(chars) >= MIN_TEXT_CHARS:
        return True
    area = float(pdf_page.width * pdf_page.height) or 1.0
    covered = sum(float(im["width"] * im["height"]) for im in pdf_page.images)
    return covered < 0.5 * area


def read_digital_page(pdf_page: Any, number: int) -> PageLayout:
    """Characters as words (one per glyph, so no word straddles a cell) and rulings."""
    words = []
    for ch in pdf_page.chars:
        text = ch["text"]
        if not text.strip():
            continue
        upright = ch.get("upright", True)
        words.append(
            Word(
                text=text,
                bbox=(float(ch["x0"]), float(ch["top"]), float(ch["x1"]), float(ch["bottom"])),
                confidence=1.0,
                source="pdf_text",
                vertical=not upright,
            )
        )
    return PageLayout(
        number=number,
        width=float(pdf_page.width),
        height=float(pdf_page.height),
        kind="digital",
        words=words,
        rulings=_rulings(pdf_page),
    )


def _rulings(pdf_page: Any) -> list[Ruling]:
    out: list[Ruling] = []
    for ln in pdf_page.lines:
        out.append(Ruling(float(ln["x0"]), float(ln["top"]), float(ln["x1"]), float(ln["bottom"])))
    for rc in pdf_page.rects:
        x0, top, x1, bottom = (float(rc[k]) for k in ("x0", "top", "x1", "bottom"))
        w, h = x1 - x0, bottom - top
        if w < 3 or h < 3:  # a thin filled rectangle is a drawn line
            out.append(Ruling(x0, top, x1, bottom))
        elif rc.get("stroke"):
            out.extend(
                [
                    Ruling(x0, top, x1, top),
                    Ruling(x0, bottom, x1, bottom),
                    Ruling(x0, top, x0, bottom),
                    Ruling(x1, top, x1, bottom),
                ]
            )
    return out
