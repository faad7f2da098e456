"""The CJK fonts the generator draws with, registered once with reportlab.

reportlab embeds TrueType fonts as subsets with a ToUnicode map, so text drawn
with them extracts (pdfplumber, pdfium) as the same Unicode characters.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT_DIR = Path("/usr/share/fonts/truetype")

# name -> (file, index inside the .ttc)
FONTS: dict[str, tuple[str, int]] = {
    "wqy-zenhei": ("wqy/wqy-zenhei.ttc", 0),
    "wqy-microhei": ("wqy/wqy-microhei.ttc", 0),
    "ar-uming": ("arphic/uming.ttc", 0),
    "ar-ukai": ("arphic/ukai.ttc", 0),
}
FONT_NAMES: tuple[str, ...] = tuple(FONTS)


class FontMissing(RuntimeError):
    """A CJK font file is not installed (Debian: fonts-wqy-zenhei, fonts-wqy-microhei,
    fonts-arphic-uming, fonts-arphic-ukai)."""


def font_file(name: str) -> Path:
    rel, _ = FONTS[name]
    return FONT_DIR / rel


@cache
def register(name: str) -> str:
    """Register font `name` with reportlab and return the name to pass to setFont.

    Raises FontMissing when the file is not installed.
    """
    path = font_file(name)
    if not path.exists():
        raise FontMissing(
            f"{path} not found: apt-get install the fonts-wqy-* / fonts-arphic-* packages"
        )
    _, index = FONTS[name]
    pdfmetrics.registerFont(TTFont(name, str(path), subfontIndex=index))
    return name


def width(text: str, font: str, size: float) -> float:
    return pdfmetrics.stringWidth(text, register(font), size)
